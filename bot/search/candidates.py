"""Scoring only the sessions a question can reach, not every session of the store.

The ranking adds one float per session for each clause and alternative: with 100,000 sessions each step costs
a full pass, although a question's words occur in a few thousand. Before scoring, the engine collects every
session that can end with a score (those holding any of the question's words, the whole of a track that may be
about the topic, those of a speaker named), and scores over that subset: the same arithmetic on the same
floats, so the same answers, with work that follows the postings of the question's words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.search.clauses import TRACK_TOPIC_SHARE, Clause
from bot.search.index import Floats, Ints, SearchIndex
from bot.search.lookups import Docs
from bot.search.text import compact, stem


def reachable(index: SearchIndex, clauses: list[Clause], free: list[str], extra: Ints | None = None) -> Ints:
    """Every session a question can give a score to, sorted (marked in one array: no sorting)."""
    marked = np.zeros(index.n, dtype=bool)
    for term in {t for clause in clauses for alt in clause.alternatives for t in alt.terms}:
        marked[index.postings(term)[0]] = True
    # A track most of whose sessions match is about the topic: its other sessions may score too. A clause makes
    # a track topical when its matches there reach a share of the track (and three): the question's matches,
    # which hold every clause's, reaching it is the least such a track shows.
    per_track = np.bincount(index.track_of[marked], minlength=index.track_sizes.size)
    three = np.flatnonzero(per_track >= 3)
    topical = three[per_track[three] / index.track_sizes[three] >= TRACK_TOPIC_SHARE]
    if topical.size:
        marked[index.track_docs(topical)] = True
    marked[index.compact_speakers.docs(compact(" ".join(free)))] = True
    for word in free:
        marked[index.speaker_terms.docs(stem(word))] = True
    if extra is not None:
        marked[extra] = True
    return np.flatnonzero(marked)


@dataclass
class _Positions:
    array: Ints
    filled: Ints
    owner: object


def _claim(whole: SearchIndex, docs: Ints, owner: object) -> _Positions:
    local: _Positions | None = getattr(whole.scratch, "positions", None)
    if local is None or local.array.size != whole.n:
        local = whole.scratch.positions = _Positions(np.full(whole.n, -1, dtype=np.int64), docs[:0], None)
    local.array[local.filled] = -1  # only what the last view set
    local.array[docs] = np.arange(docs.size)
    local.filled, local.owner = docs, owner
    return local


class Reachable(SearchIndex):
    """The index seen through a sorted subset of its sessions: numbers are positions in the subset; statistics
    (document frequencies, the session count they are relative to) stay those of the whole index."""

    def __init__(self, whole: SearchIndex, docs: Ints) -> None:  # a view: no SearchIndex.__init__
        self.whole = whole
        self.subset = docs
        self.n = int(docs.size)
        self.stats_n = whole.stats_n
        self.track_of = whole.track_of[docs]
        self.docs = Docs(whole, docs)
        self._claimed = _claim(whole, docs, self)

    @property
    def _position(self) -> Ints:
        """A session's place in the subset, or -1: one array per thread, reused from question to question (filled
        afresh it was a pass over the whole store for every question), and taken back if a later view took it."""
        if self._claimed.owner is not self:
            self._claimed = _claim(self.whole, self.subset, self)
        return self._claimed.array

    def __getattr__(self, name: str) -> Any:
        return getattr(self.whole, name)

    def local(self, docs: Ints) -> Ints:
        """Positions in the subset of sessions of the whole index (which the subset holds)."""
        found: Ints = self._position[docs]
        return found

    @property
    def start_order(self) -> Floats:  # type: ignore[override]  # correct for any reader, if slower
        found: Floats = self.whole.start_order[self.subset]
        return found

    def named_docs(self, term: str, fields: int) -> Ints:
        at = self._position[self.whole.named_docs(term, fields)]  # the subset is sorted: so are these
        found: Ints = at[at >= 0]
        return found

    def start_order_of(self, docs: Ints) -> Floats:
        return self.whole.start_order_of(self.subset[docs])  # only for the few ranked: not the whole subset

    def postings(self, term: str) -> tuple[Ints, Floats]:
        docs, scores = self.whole.postings(term)
        at = self._position[docs]
        keep = at >= 0
        return at[keep], scores[keep]

    def postings_in(self, term: str, fields: int) -> tuple[Ints, Floats]:
        docs, scores = self.whole.postings_in(term, fields)
        at = self._position[docs]
        keep = at >= 0
        return at[keep], scores[keep]

    def postings_masked(self, term: str, fields: int) -> tuple[Ints, Floats, Ints]:
        docs, scores, masks = self.whole.postings_masked(term, fields)
        at = self._position[docs]
        keep = at >= 0
        return at[keep], scores[keep], masks[keep]

    def field_masks(self, docs: Ints, term: str) -> Ints:
        return self.whole.field_masks(self.subset[docs], term)

    def phrase(self, doc: int) -> str:
        return self.whole.phrase(int(self.subset[doc]))

    def topics(self, doc: int) -> frozenset[str]:
        return self.whole.topics(int(self.subset[doc]))
