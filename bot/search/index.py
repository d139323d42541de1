"""The index a question is answered from: BM25F scores precomputed per term and session, as flat arrays.

A query turns into a handful of vectorised additions over one float per session, which keeps every answer
to a millisecond or two. The arrays come from `merge` (over each conference's tokenised `parts`) and, for a store
on disk, are memory maps of files saved at import time (`persist`): opening one is a few file headers, not a
build. Sessions themselves stay in the store and are read for the hits shown; field weights say where a word
counts most: a speaker's name or a track outranks a passing mention in an abstract.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections import OrderedDict, defaultdict
from datetime import date
from typing import cast

import numpy as np
import numpy.typing as npt

from bot.search.clauses import Alternative
from bot.search.keytable import hashes_of
from bot.search.lookups import Doc, Docs, MemorySessions, SessionSource, Surface, Vocab
from bot.search.memory import settle
from bot.search.merge import Merged, merge
from bot.search.parts import FIELDS, Part, tokenise
from bot.search.text import compact, fold, tokens
from catalog.model import Conference, Session

__all__ = ["FIELDS", "NAMING", "NOT_SPEAKERS", "Doc", "Floats", "Ints", "SearchIndex", "SessionSource", "field_bits"]


def field_bits(*names: str) -> int:
    """A mask of fields, one bit per field of FIELDS."""
    return sum(1 << FIELDS.index(name) for name in names)


# Where a name stands: the fields a lone letter or a word that people name things with is looked for in.
NAMING = field_bits("title", "subtitle", "track", "tags")
NOT_SPEAKERS = (1 << len(FIELDS)) - 1 - field_bits("speakers")

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


class SearchIndex:
    def __init__(
        self, merged: Merged, conferences: dict[str, Conference], source: SessionSource, parts: list[Part] | None = None
    ) -> None:
        self.merged = merged
        # Plain array views of the memory maps: the same pages, without numpy's memmap bookkeeping on every slice.
        self.arrays = a = {name: np.asarray(values) for name, values in merged.arrays.items()}
        for name in ("conference_of", "track_of", "room_of"):  # used as indexes on every question: numpy's own kind
            a[name] = a[name].astype(np.intp)
        self.source = source
        self.slugs: list[str] = list(merged.facts["slugs"])
        self.conferences = {slug: conferences[slug] for slug in self.slugs if slug in conferences}
        self._parts: dict[int, Part] = dict(enumerate(parts)) if parts is not None else {}
        self.n = int(a["starts"].size)
        self.stats_n = self.n  # what statistics are relative to (a view of some sessions keeps the whole count)
        self._by_track: tuple[Ints, Ints] | None = None
        self.conference_ids = {slug: i for i, slug in enumerate(self.slugs)}
        self.part_starts = cast(Ints, a["part_starts"])
        self.conference_of = cast(Ints, a["conference_of"])
        self.track_of = cast(Ints, a["track_of"])
        self.room_of = cast(Ints, a["room_of"])
        self.starts = cast(Floats, a["starts"])
        self.ends = cast(Floats, a["ends"])
        self.start_order: Floats = np.nan_to_num(self.starts, nan=np.inf)  # untimed sessions sort last
        self.vocab = Vocab(a["vocab"])
        self.offsets = cast(Ints, a["offsets"])
        self.post_docs = cast(Ints, a["post_docs"])
        self.post_scores = cast(Floats, a["post_scores"])
        self.post_masks = cast(Ints, a["post_masks"])  # which fields hold the term in that session, a bit each
        self.df_of = cast(Ints, a["df"])
        self.strong = cast(npt.NDArray[np.bool_], a["strong"])
        self.surface = Surface(self)
        self.docs = Docs(self)
        tables = merged.tables
        self.speaker_terms = tables["speaker_terms"]
        self.compact_speakers = tables["compact_speakers"]
        self._by_ref = tables["by_ref"]
        self._by_id = tables["by_id"]
        self.tracks: dict[str, dict[str, int]] = merged.facts["tracks"]
        self.room_ids: dict[str, dict[str, int]] = merged.facts["rooms"]
        self.rooms: dict[str, set[str]] = {slug: set(names) for slug, names in self.room_ids.items()}
        self.track_sizes: Ints = np.bincount(
            self.track_of, minlength=1 + max((k for t in self.tracks.values() for k in t.values()), default=-1)
        ).astype(np.int64)
        self.folded_tracks = {
            slug: [(fold(name), name) for name in sorted(tracks)] for slug, tracks in self.tracks.items()
        }
        self.track_terms: dict[str, tuple[set[str], str]] = {
            name: (set(tokens(name)), compact(name)) for tracks in self.tracks.values() for name in tracks
        }
        self.room_keys: dict[str, str] = {room: compact(room) for rooms in self.rooms.values() for room in rooms}
        self._corrections: dict[tuple[str, int | None], list[tuple[str, int]]] = {}
        self.forms_cache: dict[tuple[str, str], list[str]] = {}
        self.phrasings: dict[tuple[object, ...], tuple[Ints, Floats, Floats]] = {}  # see phrasings.py
        self.phrasings_held = 0  # sessions over all kept phrasings
        self.time_readings: tuple[list[tuple[str, date | None, date | None]], Ints] | None = None  # filters.py
        self.scratch = threading.local()  # per-thread working arrays of the views questions are scored over
        self.expansions: dict[tuple[object, ...], list[Alternative]] = {}  # a word's alternatives (expand.py)
        self.named_cache: dict[tuple[str, int], Ints] = {}  # sessions naming a word (named_docs)
        self.session_languages: list[frozenset[str]] | None = None  # filled on the first language filter
        self.shown: OrderedDict[int, Doc] = OrderedDict()  # sessions read for answers: the same few come back often
        self._fuzzy: (
            tuple[list[str], dict[int, list[str]], dict[tuple[int, str], list[str]], dict[tuple[int, str], list[str]]]
            | None
        ) = None
        self._speakers: tuple[list[str], list[str]] | None = None

    @classmethod
    def build(cls, conferences: list[Conference], sessions: dict[str, list[Session]]) -> SearchIndex:
        """An index built on the spot, held in memory: for catalogs that are not in a store on disk."""
        parts = [tokenise(c.slug, sessions.get(c.slug, [])) for c in conferences]
        ordered = [s for c in conferences for s in sessions.get(c.slug, [])]
        return cls(merge(parts), {c.slug: c for c in conferences}, MemorySessions(ordered), parts)

    def local(self, docs: Ints) -> Ints:
        return np.asarray(docs, dtype=np.int64)

    def start_order_of(self, docs: Ints) -> Floats:
        """When some sessions start (untimed ones last), to order equals by."""
        found: Floats = self.start_order[docs]
        return found

    def track_docs(self, tracks: Ints) -> Ints:
        """Every session of some tracks (sorted by track once, on first need)."""
        if self._by_track is None:
            order = np.argsort(self.track_of, kind="stable")
            self._by_track = order, np.concatenate(([0], np.cumsum(self.track_sizes))).astype(np.int64)
        order, bounds = self._by_track
        tracks = np.asarray(tracks, dtype=np.int64)
        # Every track's range of `order` in one gather: a common word makes hundreds of tracks topical at 100k
        # sessions, and a slice and a concatenation per track cost more than the sessions themselves.
        sizes = bounds[tracks + 1] - bounds[tracks]
        total = int(sizes.sum())
        if total == 0:
            return np.empty(0, dtype=np.int64)
        first = np.repeat(bounds[tracks] - (np.cumsum(sizes) - sizes), sizes)
        found: Ints = order[first + np.arange(total)]
        return found

    def conference_index(self, slug: str) -> SearchIndex | None:
        """This conference alone, as saved beside its part (its own statistics), or None when not saved."""
        cid = self.conference_ids.get(slug)
        folder = self.merged.folder
        if cid is None or folder is None or slug not in self.conferences:
            return None
        try:
            alone = Merged.load(folder.parent / f"one-{self.merged.facts['parts'][cid]}")
        except OSError:
            return None
        return SearchIndex(alone, {slug: self.conferences[slug]}, self.source)

    def part(self, number: int) -> Part:
        found = self._parts.get(number)
        if found is None:
            folder = self.merged.folder
            assert folder is not None
            where = folder.parent / self.merged.facts["parts"][number]
            found = self._parts[number] = Part.load(self.slugs[number], where)
        return found

    # ------------------------------------------------------------------------------- read on first need
    def warm(self) -> None:
        """Read now what questions would otherwise read on first need: the typo vocabulary, the speakers' names,
        and each conference's session ids and title words. A one-shot `confbot search` reads only what its one
        question needs; a running bot calls this in a thread of its own after opening an index, so its first few
        hundred questions do not each pay for a table (up to 30 ms for the speakers of a 100k-session store)."""
        import rapidfuzz.distance  # noqa: F401  (typos load it on first need: 9 ms inside the first misspelt question)
        import rapidfuzz.process  # noqa: F401

        self._fuzzy_tables()
        self._speaker_lists()
        for number in range(len(self.slugs)):
            facts = self.part(number).facts
            for key in ("ids", "phrases", "topics"):
                facts.get(key)

    @property
    def fuzzy_vocab(self) -> list[str]:
        """Sorted: word forms and completions are found by prefix in it, typos in its buckets."""
        return self.merged.fuzzy_terms()

    @property
    def by_length(self) -> dict[int, list[str]]:
        return self._fuzzy_tables()[1]

    @property
    def by_first(self) -> dict[tuple[int, str], list[str]]:
        return self._fuzzy_tables()[2]

    @property
    def by_second(self) -> dict[tuple[int, str], list[str]]:
        return self._fuzzy_tables()[3]

    def _fuzzy_tables(
        self,
    ) -> tuple[list[str], dict[int, list[str]], dict[tuple[int, str], list[str]], dict[tuple[int, str], list[str]]]:
        """The vocabulary typos are mapped onto, bucketed by length and letters: only for questions that need it."""
        if self._fuzzy is None:
            vocab = self.merged.fuzzy_terms()
            by_length: dict[int, list[str]] = defaultdict(list)
            by_first: dict[tuple[int, str], list[str]] = defaultdict(list)
            by_second: dict[tuple[int, str], list[str]] = defaultdict(list)
            for term in vocab:
                by_length[len(term)].append(term)
                by_first[len(term), term[0]].append(term)
                if len(term) > 1:
                    by_second[len(term), term[1]].append(term)
            self._fuzzy = (vocab, by_length, by_first, by_second)
            settle()
        return self._fuzzy

    @property
    def speaker_names(self) -> list[str]:
        return self._speaker_lists()[0]

    @property
    def folded_speakers(self) -> list[str]:
        return self._speaker_lists()[1]

    def _speaker_lists(self) -> tuple[list[str], list[str]]:
        if self._speakers is None:
            every = (self.part(p).facts["speakers"] for p in range(len(self.slugs)))
            names = sorted({n for part in every for names in part for n in names})
            self._speakers = (names, [fold(n) for n in names])
            settle()
        return self._speakers

    def phrase(self, doc: int) -> str:
        """A session's title, track and tags as words, for phrases typed in order."""
        p = int(self.conference_of[doc])
        return str(self.part(p).facts["phrases"][doc - int(self.part_starts[p])])

    def topics(self, doc: int) -> frozenset[str]:
        """The words of a session's title and tags, without reading the session."""
        p = int(self.conference_of[doc])
        return frozenset(str(self.part(p).facts["topics"][doc - int(self.part_starts[p])]).split())

    # ------------------------------------------------------------------------------- sessions
    def sessions_of(self, conference: str) -> list[Session]:
        p = self.conference_ids.get(conference)
        if p is None:
            return []
        first, last = int(self.part_starts[p]), int(self.part_starts[p + 1])
        return self.source.sessions(conference, first)[: last - first]

    def doc_of(self, conference: str, session_id: str) -> int | None:
        found = self._by_ref.docs(f"{conference}\x1f{session_id}")
        return int(found[0]) if found.size else None

    def session(self, conference: str, session_id: str) -> Session | None:
        doc = self.doc_of(conference, session_id)
        return self.docs[doc].session if doc is not None else None

    def by_source_id(self, session_id: str) -> list[tuple[str, Session]]:
        out = []
        for d in self._by_id.docs(session_id).tolist():
            doc = self.docs[d]
            out.append((doc.conference, doc.session))
        return out

    def overlapping(self, conference: str, session: Session, limit: int = 6) -> list[Session]:
        """Other sessions of the same conference running at the same time, earliest first."""
        if session.start is None or session.end is None:
            return []
        cid = self.conference_ids.get(conference)
        if cid is None:
            return []
        lo, hi = int(self.part_starts[cid]), int(self.part_starts[cid + 1])
        with np.errstate(invalid="ignore"):
            mask = (self.starts[lo:hi] < session.end.timestamp()) & (self.ends[lo:hi] > session.start.timestamp())
        found = [self.docs[lo + int(d)].session for d in np.flatnonzero(mask)]
        found = [s for s in found if s.id != session.id]
        return sorted(found, key=lambda s: (s.start or session.start, s.title))[:limit]

    def conference_range(self, conference: str | None) -> tuple[int, int] | None:
        """The numbers of one conference's sessions, which are consecutive."""
        cid = self.conference_ids.get(conference or "")
        if cid is None:
            return None
        return int(self.part_starts[cid]), int(self.part_starts[cid + 1])

    def df(self, term: str) -> int:
        i = self.vocab.get(term)
        return int(self.df_of[i]) if i is not None else 0

    def postings(self, term: str) -> tuple[Ints, Floats]:
        i = self.vocab.get(term)
        if i is None:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
        lo, hi = self.offsets[i], self.offsets[i + 1]
        return self.post_docs[lo:hi], self.post_scores[lo:hi]

    def postings_in(self, term: str, fields: int) -> tuple[Ints, Floats]:
        """The postings of a term in sessions holding it in one of some fields (a mask of FIELDS bits)."""
        docs, scores = self.postings(term)
        if not fields or docs.size == 0:
            return docs, scores
        i = self.vocab[term]
        keep = (self.post_masks[self.offsets[i] : self.offsets[i + 1]] & fields) != 0
        return docs[keep], scores[keep]

    def named_docs(self, term: str, fields: int) -> Ints:
        """The sessions holding a term in some fields, kept: the words of phrases asked ('open source', 'free
        software') are looked up this way question after question, and their postings run to tens of thousands."""
        key = (term, fields)
        found = self.named_cache.get(key)
        if found is None:
            if len(self.named_cache) > 4096:
                self.named_cache.clear()
            found = self.named_cache[key] = self.postings_in(term, fields)[0]
        return found

    def postings_masked(self, term: str, fields: int) -> tuple[Ints, Floats, Ints]:
        """`postings_in`, with each posting's field bits: where a term is, read in the same pass as its scores."""
        i = self.vocab.get(term)
        if i is None:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64), np.empty(0, dtype=np.int64)
        lo, hi = self.offsets[i], self.offsets[i + 1]
        docs, scores, masks = self.post_docs[lo:hi], self.post_scores[lo:hi], self.post_masks[lo:hi]
        if fields:
            keep = (masks & fields) != 0
            docs, scores, masks = docs[keep], scores[keep], masks[keep]
        return docs, scores, masks

    def field_masks(self, docs: Ints, term: str) -> Ints:
        """For each given session, a bit per field holding the term (0 where it does not occur)."""
        out = np.zeros(docs.size, dtype=np.int64)
        i = self.vocab.get(term)
        if i is None or docs.size == 0:
            return out
        lo, hi = int(self.offsets[i]), int(self.offsets[i + 1])
        holders = self.post_docs[lo:hi]
        at = np.minimum(np.searchsorted(holders, docs), holders.size - 1)
        found = holders[at] == docs
        out[found] = self.post_masks[lo:hi][at[found]]
        return out

    def corrections_cached(self, key: tuple[str, int | None]) -> list[tuple[str, int]] | None:
        return self._corrections.get(key)

    def remember_corrections(self, key: tuple[str, int | None], value: list[tuple[str, int]]) -> None:
        if len(self._corrections) > 50_000:
            self._corrections.clear()
        self._corrections[key] = value

    def vector(self, term: str) -> Floats:
        """Scores of one term over every session (zero where it does not occur)."""
        out = np.zeros(self.n)
        docs, scores = self.postings(term)
        out[docs] = scores
        return out

    def with_prefix(self, prefix: str, limit: int) -> list[str]:
        start = bisect_left(self.fuzzy_vocab, prefix)
        found = []
        for term in self.fuzzy_vocab[start : start + 2000]:
            if not term.startswith(prefix):
                break
            if term != prefix:
                found.append(term)
        if not found or not len(self.vocab):
            return found[:limit]
        # Every completion's frequency in one look-up (a common beginning has hundreds at 100k sessions), then the
        # same stable order by frequency as sorting them one look-up at a time.
        keys = hashes_of(found)
        at = np.minimum(np.searchsorted(self.vocab.hashes, keys), len(self.vocab) - 1)
        held = self.vocab.hashes[at] == keys
        frequency = np.where(held, self.df_of[at], 0)
        return [found[i] for i in np.argsort(-frequency, kind="stable")[:limit].tolist()]
