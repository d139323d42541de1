"""The in-memory index: BM25F scores precomputed per term and document, stored as flat arrays.

A query turns into a handful of vectorised additions over one float per session, which keeps every answer
to a millisecond or two even with every shared catalog loaded. Built once from the store (about a second for
~8,700 sessions) and rebuilt when a catalog changes. Field weights say where a word counts most: a speaker's
name or a track outranks a passing mention in an abstract.
"""

from __future__ import annotations

import gc
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, count

import numpy as np
import numpy.typing as npt

from bot.search.text import compact, fold, index_words, joined_pairs, stem, tokens
from catalog.model import Conference, Session

FIELDS = ("title", "subtitle", "speakers", "track", "tags", "type", "room", "companies", "abstract")
WEIGHTS = (6.0, 3.0, 7.0, 5.0, 5.0, 1.5, 1.0, 2.0, 1.0)
LENGTH_NORM = (0.5, 0.5, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.75)
ABSTRACT = FIELDS.index("abstract")
# Joined forms ("risc v" -> "riscv") matter where people name things: titles, tracks, tags.
PAIRED = frozenset(FIELDS.index(f) for f in ("title", "subtitle", "track", "tags"))


def field_bits(*names: str) -> int:
    """A mask of fields, one bit per field of FIELDS."""
    return sum(1 << FIELDS.index(name) for name in names)


# Where a name stands: the fields a lone letter or a word that people name things with is looked for in.
NAMING = field_bits("title", "subtitle", "track", "tags")
NOT_SPEAKERS = (1 << len(FIELDS)) - 1 - field_bits("speakers")
# The opening of an abstract says what a talk is about; essays further down add noise more than recall.
ABSTRACT_CHARS = 3000
K1 = 1.2

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Doc:
    conference: str
    session: Session
    track_key: int  # dense id of (conference, track): "the whole track is about this"


MULTI = frozenset({"speakers", "tags", "companies"})  # fields with several values per session


def multi_column(sessions: list[Session], name: str) -> list[list[str]]:
    if name == "speakers":
        return [list(s.speaker_names) for s in sessions]
    if name == "tags":
        return [list(s.tags) for s in sessions]
    return [list(s.companies) + [p.company for p in s.speakers if p.company] for s in sessions]


def single_column(sessions: list[Session], name: str) -> list[str]:
    if name == "abstract":
        return [s.abstract[:ABSTRACT_CHARS] for s in sessions]
    return [str(getattr(s, name)) for s in sessions]


def _timestamp(session: Session, which: str) -> float:
    value = session.start if which == "start" else session.end
    if value is None and which == "end" and session.start is not None:
        return session.start.timestamp() + 1800.0
    return value.timestamp() if value is not None else np.nan


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The build allocates hundreds of thousands of short lists and no reference cycles; the cycle collector
    would otherwise walk every long-lived object of the process (language tables included) again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class SearchIndex:
    def __init__(self, conferences: Iterable[Conference], sessions: dict[str, list[Session]]) -> None:
        self.conferences = {c.slug: c for c in conferences}
        self.docs: list[Doc] = []
        track_ids: dict[tuple[str, str], int] = {}
        for slug in self.conferences:
            for session in sessions.get(slug, []):
                key = (slug, session.track)
                track_ids.setdefault(key, len(track_ids))
                self.docs.append(Doc(slug, session, track_ids[key]))
        self.n = len(self.docs)
        slugs = list(self.conferences)
        self.conference_ids = {slug: i for i, slug in enumerate(slugs)}
        self.conference_of: Ints = np.array([self.conference_ids[d.conference] for d in self.docs], dtype=np.int64)
        self.track_of: Ints = np.array([d.track_key for d in self.docs], dtype=np.int64)
        self.track_sizes: Ints = np.bincount(self.track_of, minlength=len(track_ids)).astype(np.int64)
        self.starts: Floats = np.array([_timestamp(d.session, "start") for d in self.docs], dtype=np.float64)
        self.start_order: Floats = np.nan_to_num(self.starts, nan=np.inf)  # untimed sessions sort last
        self.ends: Floats = np.array([_timestamp(d.session, "end") for d in self.docs], dtype=np.float64)
        with _no_cycle_collection():
            self._build()
            self._catalog_facts()

    def _build(self) -> None:
        """Tokenise field by field, then count, weigh and sum with numpy: no Python loop per word.

        Each distinct surface word is stemmed once; BM25F pseudo-frequencies are summed over fields per
        (term, session) and turned into final scores, so a query only adds precomputed numbers.
        """
        n = max(1, self.n)
        sessions = [d.session for d in self.docs]
        # Each surface word gets an id the first time it is seen; map() keeps the per-word work in C.
        surface_ids: defaultdict[str, int] = defaultdict(count().__next__)
        chunks: list[Ints] = []
        chunk_docs: list[Ints] = []
        chunk_fields: list[int] = []
        lengths = np.zeros((len(FIELDS), n), dtype=np.float64)
        every_doc = np.arange(self.n, dtype=np.int64)
        for field_id in range(len(FIELDS)):
            name = FIELDS[field_id]
            if name in MULTI:
                parts = [[index_words(v) for v in values if v] for values in multi_column(sessions, name)]
                per_doc = [[w for part in doc for w in part] for doc in parts]
                pairs = [[p for part in doc for p in joined_pairs(part)] for doc in parts] if field_id in PAIRED else []
            else:
                per_doc = [index_words(text) if text else [] for text in single_column(sessions, name)]
                pairs = [joined_pairs(ws) for ws in per_doc] if field_id in PAIRED else []
            counts = np.fromiter(map(len, per_doc), dtype=np.int64, count=self.n)
            lengths[field_id, : self.n] = counts
            chunks.append(self._ids(surface_ids, per_doc, int(counts.sum())))
            chunk_docs.append(np.repeat(every_doc, counts))
            chunk_fields.append(field_id)
            if pairs:
                pair_counts = np.fromiter(map(len, pairs), dtype=np.int64, count=self.n)
                chunks.append(self._ids(surface_ids, pairs, int(pair_counts.sum())))
                chunk_docs.append(np.repeat(every_doc, pair_counts))
                chunk_fields.append(field_id)
        distinct = list(surface_ids)  # in id order
        stems = [stem(w) for w in distinct]
        self.vocab = vocab = {t: i for i, t in enumerate(dict.fromkeys(stems))}
        self.surface: dict[str, str] = {}
        for w, t in zip(distinct, stems, strict=True):
            if w == t or t not in self.surface:
                self.surface[t] = w
        stem_of = np.array([vocab[t] for t in stems], dtype=np.int64)
        terms = stem_of[np.concatenate(chunks)] if chunks else np.empty(0, dtype=np.int64)
        docs = np.concatenate(chunk_docs) if chunk_docs else np.empty(0, dtype=np.int64)
        fields = np.repeat(np.array(chunk_fields, dtype=np.int64), [c.size for c in chunks])
        n_fields = len(FIELDS)
        keys, tf = np.unique((terms * n_fields + fields) * n + docs, return_counts=True)
        doc_of = keys % n
        field_of = (keys // n) % n_fields
        term_of = keys // (n * n_fields)
        average = np.maximum(1.0, lengths.sum(axis=1) / n)
        b = np.array(LENGTH_NORM)[field_of]
        norm = np.array(WEIGHTS)[field_of] / (1 - b + b * lengths[field_of, doc_of] / average[field_of])
        pair_key = term_of * n + doc_of
        order = np.argsort(pair_key, kind="stable")
        pair_key = pair_key[order]
        if pair_key.size:
            starts = np.flatnonzero(np.concatenate(([True], pair_key[1:] != pair_key[:-1])))
            pseudo = np.add.reduceat((tf * norm)[order], starts)
            masks = np.bitwise_or.reduceat((np.int64(1) << field_of)[order], starts)
            unique = pair_key[starts]
        else:
            pseudo, masks, unique = np.empty(0), np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        self.post_masks: Ints = masks  # which fields hold the term in that session, one bit per field
        posting_terms = unique // n
        self.post_docs: Ints = unique % n
        df = np.bincount(posting_terms, minlength=len(vocab))
        idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        self.post_scores: Floats = idf[posting_terms] * pseudo * (K1 + 1) / (pseudo + K1)
        self.offsets: Ints = np.concatenate(([0], np.cumsum(df))).astype(np.int64)
        self.df_of: Ints = df.astype(np.int64)
        strong = np.zeros(len(vocab), dtype=bool)
        strong[term_of[field_of != ABSTRACT]] = True
        self.strong = strong

    @staticmethod
    def _ids(surface_ids: defaultdict[str, int], per_doc: list[list[str]], total: int) -> Ints:
        return np.fromiter(map(surface_ids.__getitem__, chain.from_iterable(per_doc)), dtype=np.int64, count=total)

    def _catalog_facts(self) -> None:
        """Names people search for directly: speakers, tracks, rooms, and the vocabulary typos are mapped onto."""
        # Typo candidates come from the catalog's own words; abstract-only words used in only a few sessions are
        # mostly noise (and typos of their own), so they are left out.
        keep = (self.strong | (self.df_of >= 5)).tolist()
        self.fuzzy_vocab = sorted(t for t, wanted in zip(self.vocab, keep, strict=True) if wanted)
        self.by_length: dict[int, list[str]] = defaultdict(list)
        self.by_first: dict[tuple[int, str], list[str]] = defaultdict(list)
        self.by_second: dict[tuple[int, str], list[str]] = defaultdict(list)
        for term in self.fuzzy_vocab:
            self.by_length[len(term)].append(term)
            self.by_first[len(term), term[0]].append(term)
            if len(term) > 1:
                self.by_second[len(term), term[1]].append(term)
        self.speaker_terms: dict[str, set[int]] = defaultdict(set)
        self.compact_speakers: dict[str, set[int]] = defaultdict(set)
        self.tracks: dict[str, dict[str, int]] = defaultdict(dict)
        self.rooms: dict[str, set[str]] = defaultdict(set)
        for i, d in enumerate(self.docs):
            for name in d.session.speaker_names:
                self.compact_speakers[compact(name)].add(i)
                for term in tokens(name):
                    self.speaker_terms[term].add(i)
            if d.session.track:
                self.tracks[d.conference][d.session.track] = d.track_key
            if d.session.room:
                self.rooms[d.conference].add(d.session.room)
        self.by_ref: dict[tuple[str, str], int] = {(d.conference, d.session.id): i for i, d in enumerate(self.docs)}
        self.by_id: dict[str, list[int]] = defaultdict(list)
        for i, d in enumerate(self.docs):
            self.by_id[d.session.id].append(i)
        self._corrections: dict[tuple[str, int | None], list[tuple[str, int]]] = {}
        self.forms_cache: dict[tuple[str, str], list[str]] = {}
        self.session_languages: list[frozenset[str]] | None = None  # filled on the first language filter
        self.folded_tracks = {
            slug: [(fold(name), name) for name in sorted(tracks)] for slug, tracks in self.tracks.items()
        }
        self.track_terms: dict[str, tuple[set[str], str]] = {
            name: (set(tokens(name)), compact(name)) for tracks in self.tracks.values() for name in tracks
        }
        self.room_keys: dict[str, str] = {room: compact(room) for rooms in self.rooms.values() for room in rooms}
        self.phrase_text: dict[int, str] = {}
        self.speaker_names = sorted({n for d in self.docs for n in d.session.speaker_names})
        self.folded_speakers = [fold(n) for n in self.speaker_names]

    def session(self, conference: str, session_id: str) -> Session | None:
        doc = self.by_ref.get((conference, session_id))
        return self.docs[doc].session if doc is not None else None

    def by_source_id(self, session_id: str) -> list[tuple[str, Session]]:
        return [(self.docs[d].conference, self.docs[d].session) for d in self.by_id.get(session_id, ())]

    def overlapping(self, conference: str, session: Session, limit: int = 6) -> list[Session]:
        """Other sessions of the same conference running at the same time, earliest first."""
        if session.start is None or session.end is None:
            return []
        cid = self.conference_ids.get(conference)
        with np.errstate(invalid="ignore"):
            mask = (
                (self.conference_of == cid)
                & (self.starts < session.end.timestamp())
                & (self.ends > session.start.timestamp())
            )
        found = [self.docs[int(d)].session for d in np.flatnonzero(mask)]
        found = [s for s in found if s.id != session.id]
        return sorted(found, key=lambda s: (s.start or session.start, s.title))[:limit]

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
        found.sort(key=lambda t: -self.df(t))
        return found[:limit]
