"""One conference, tokenised once: the raw counts the index is computed from, saved beside the store.

Tokenising is the expensive part of building an index (Python work per word of every field), and a
conference's words change only when it is imported again. So each conference keeps its counts, per
(term, session, field), in a folder of its own named by a fingerprint of its content; the store-wide index is
then a numpy merge of these parts, and a re-import tokenises only the conference that changed.

Local term ids are ordered by the term's 64-bit hash, as the merged vocabulary is: a merge maps them onto
global ids with one binary search per part, keeping every part's order.
"""

from __future__ import annotations

import gc
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, count
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.search.keytable import hashes_of
from bot.search.language import detect, language_code
from bot.search.memory import settle
from bot.search.text import compact, index_words, joined_pairs, stem, tokens
from catalog.model import Session

FIELDS = ("title", "subtitle", "speakers", "track", "tags", "type", "room", "companies", "abstract")
ABSTRACT = FIELDS.index("abstract")
# Joined forms ("risc v" -> "riscv") matter where people name things: titles, tracks, tags.
PAIRED = frozenset(FIELDS.index(f) for f in ("title", "subtitle", "track", "tags"))
MULTI = frozenset({"speakers", "tags", "companies"})  # fields with several values per session
# The opening of an abstract says what a talk is about; essays further down add noise more than recall.
ABSTRACT_CHARS = 3000
TELLABLE_WORDS = 6  # fewer words than this, and the language is the conference's usual one

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Array = npt.NDArray[Any]
ARRAYS = (
    "hashes",
    "shown_at",
    "word",
    "term",
    "field",
    "doc",
    "tf",
    "pstart",  # where each (term, session) posting's entries begin
    "pmask",  # the fields holding the term in that session, one bit each
    "lengths",
    "starts",
    "ends",
    "track",  # per session: its track's number among `names["tracks"]`
    "room",
    *(
        f"{table}_{column}"
        for table in ("speaker_terms", "compact_speakers", "by_ref", "by_id")
        for column in ("hash", "doc")
    ),
)


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
def no_cycle_collection() -> Iterator[None]:
    """Tokenising allocates hundreds of thousands of short lists and no reference cycles; the cycle collector
    would otherwise walk every long-lived object of the process (language tables included) again and again,
    holding the interpreter lock that the threads answering chats need."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class Part:
    """Counts of one conference. `term`, `doc`, `field`, `tf` are sorted by (term, doc, field)."""

    slug: str
    arrays: dict[str, Array]
    folder: Path | None = None
    names: dict[str, list[str]] = field(default_factory=dict)  # track and room names, in order of first use
    _facts: dict[str, Any] | None = field(default=None, repr=False)
    _terms: list[str] | None = field(default=None, repr=False)
    _surface: list[str] | None = field(default=None, repr=False)

    @property
    def n(self) -> int:
        return int(self.arrays["starts"].size)

    @property
    def facts(self) -> dict[str, Any]:
        """Per session: id, track, room, speaker names, title words for phrases. Each read on first need."""
        if self._facts is None:
            assert self.folder is not None
            self._facts = _SavedFacts(self.folder)
        return self._facts

    @property
    def terms(self) -> list[str]:
        if self._terms is None:
            assert self.folder is not None
            self._terms = _lines(self.folder / "terms.txt")
        return self._terms

    @property
    def surface(self) -> list[str]:
        if self._surface is None:
            assert self.folder is not None
            self._surface = _lines(self.folder / "surface.txt")
        return self._surface

    def save(self, folder: Path) -> None:
        _save_arrays(folder, {name: np.ascontiguousarray(self.arrays[name]) for name in ARRAYS})
        for key in FACTS:
            (folder / f"facts-{key}.json").write_text(json.dumps(self.facts[key], ensure_ascii=False), encoding="utf-8")
        (folder / "names.json").write_text(json.dumps(self.names, ensure_ascii=False), encoding="utf-8")
        (folder / "terms.txt").write_text("\n".join(self.terms), encoding="utf-8")
        (folder / "surface.txt").write_text("\n".join(self.surface), encoding="utf-8")

    @classmethod
    def load(cls, slug: str, folder: Path) -> Part:
        names = json.loads((folder / "names.json").read_text(encoding="utf-8"))
        return cls(slug, _Arrays(folder), folder, names)


class _SavedFacts(dict[str, Any]):
    """A part's facts, each from its own file when first used: the first answer touching a conference needs its
    session ids and title words, not every speaker name and language of it (reading all of them was a third of
    such an answer's time at 100k sessions, where a few hundred questions meet a few hundred conferences)."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def __missing__(self, key: str) -> Any:
        try:
            text = (self.folder / f"facts-{key}.json").read_text(encoding="utf-8")
        except FileNotFoundError:
            raise KeyError(key) from None
        value = self[key] = _frozen({key: json.loads(text)})[key]
        settle()
        return value

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default


def _save_arrays(folder: Path, arrays: dict[str, Array]) -> None:
    """Every array one after the other in one file, each at a multiple of 8 bytes, and where each lies beside it."""
    layout: dict[str, tuple[str, list[int], int]] = {}
    at = 0
    with open(folder / "counts.bin", "wb") as out:
        for name, array in arrays.items():
            pad = -at % 8
            out.write(b"\0" * pad)
            at += pad
            layout[name] = (array.dtype.str, list(array.shape), at)
            out.write(array.tobytes())
            at += array.nbytes
    (folder / "counts.json").write_text(json.dumps(layout), encoding="utf-8")


class _Arrays(dict[str, Array]):
    """A part's arrays, mapped from its one file when first used: a reader needs none of them, and a merge reads
    them straight from the page cache (unpacking and checksumming a zip file per conference, or opening a file
    per array, was a quarter of a re-import's time at 100k sessions)."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def __missing__(self, name: str) -> Array:
        layout = json.loads((self.folder / "counts.json").read_text(encoding="utf-8"))
        path = self.folder / "counts.bin"
        # A conference with no sessions has only empty arrays, and an empty file cannot be mapped.
        raw = np.memmap(path, dtype=np.uint8, mode="r") if path.stat().st_size else np.empty(0, dtype=np.uint8)
        for key, (dtype, shape, at) in layout.items():
            kind = np.dtype(dtype)
            size = int(np.prod(shape)) * kind.itemsize
            self[key] = raw[at : at + size].view(kind).reshape(shape)
        if name not in self:
            raise KeyError(name)
        value: Array = self[name]
        return value


def _lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return text.split("\n") if text else []


def tokenise(slug: str, sessions: list[Session]) -> Part:
    """Tokenise field by field and count with numpy: no Python loop per word beyond the tokeniser's own."""
    with no_cycle_collection():
        return _tokenise(slug, sessions)


def _tokenise(slug: str, sessions: list[Session]) -> Part:
    n = len(sessions)
    surface_ids: defaultdict[str, int] = defaultdict(count().__next__)
    chunks: list[Ints] = []
    chunk_docs: list[Ints] = []
    chunk_fields: list[int] = []
    chunk_ends: list[int] = []  # surface ids below this were all met by the end of each chunk
    written: list[Ints] = []  # the chunks of words as written, not of neighbours joined
    lengths = np.zeros((len(FIELDS), n), dtype=np.float64)
    every_doc = np.arange(n, dtype=np.int64)
    for field_id, name in enumerate(FIELDS):
        if name in MULTI:
            parts = [[index_words(v) for v in values if v] for values in multi_column(sessions, name)]
            per_doc = [[w for part in doc for w in part] for doc in parts]
            pairs = [[p for part in doc for p in joined_pairs(part)] for doc in parts] if field_id in PAIRED else []
        else:
            per_doc = [index_words(text) if text else [] for text in single_column(sessions, name)]
            pairs = [joined_pairs(ws) for ws in per_doc] if field_id in PAIRED else []
        counts = np.fromiter(map(len, per_doc), dtype=np.int64, count=n)
        lengths[field_id] = counts
        chunks.append(_ids(surface_ids, per_doc, int(counts.sum())))
        written.append(chunks[-1])
        chunk_docs.append(np.repeat(every_doc, counts))
        chunk_fields.append(field_id)
        chunk_ends.append(len(surface_ids))
        if pairs:
            pair_counts = np.fromiter(map(len, pairs), dtype=np.int64, count=n)
            chunks.append(_ids(surface_ids, pairs, int(pair_counts.sum())))
            chunk_docs.append(np.repeat(every_doc, pair_counts))
            chunk_fields.append(field_id)
        chunk_ends.append(len(surface_ids))
    distinct = list(surface_ids)  # in id order: the order words were first met, field by field
    stems = [stem(w) for w in distinct]
    first_seen = list(dict.fromkeys(stems))
    shown: dict[str, str] = {}
    met: dict[str, int] = {}
    for w, t in zip(distinct, stems, strict=True):
        if w == t or t not in shown:
            shown[t] = w
        met.setdefault(t, len(distinct))
    first_chunk = np.searchsorted(np.array(chunk_ends, dtype=np.int64), np.arange(len(distinct)), side="right")
    for i, t in enumerate(stems):
        met[t] = min(met[t], int(first_chunk[i]))
    hashes = hashes_of(first_seen)
    by_hash = np.argsort(hashes, kind="stable")
    rank = np.empty(by_hash.size, dtype=np.int64)
    rank[by_hash] = np.arange(by_hash.size, dtype=np.int64)
    seen_id = {t: i for i, t in enumerate(first_seen)}
    stem_of = rank[np.array([seen_id[t] for t in stems], dtype=np.int64)] if stems else np.empty(0, dtype=np.int64)
    terms = stem_of[np.concatenate(chunks)] if chunks else np.empty(0, dtype=np.int64)
    docs = np.concatenate(chunk_docs) if chunk_docs else np.empty(0, dtype=np.int64)
    fields = np.repeat(np.array(chunk_fields, dtype=np.int64), [c.size for c in chunks])
    n_fields = len(FIELDS)
    keys, tf = np.unique((terms * max(1, n) + docs) * n_fields + fields, return_counts=True)
    ordered_terms = [first_seen[i] for i in by_hash.tolist()]
    word = np.zeros(len(first_seen), dtype=bool)
    if written:
        word[stem_of[np.concatenate(written)]] = True
    pair = keys // n_fields
    pstart = np.flatnonzero(np.concatenate(([True], pair[1:] != pair[:-1]))) if pair.size else pair
    facts = _facts(sessions)
    part = Part(
        slug,
        {
            "hashes": hashes[by_hash],
            # Which spelling of a term is shown, as a build over all conferences at once would choose: the term
            # itself where a catalog writes it so (-1), else the one met first, chunk by chunk, part by part.
            "shown_at": np.array([-1 if shown[t] == t else met[t] for t in ordered_terms], dtype=np.int32),
            # Terms met as a word of their own, not only as two neighbours joined ('securityand'): typos, forms and
            # completions are looked for among these.
            "word": word,
            "term": (keys // n_fields // max(1, n)).astype(np.int32),
            "doc": (keys // n_fields % max(1, n)).astype(np.int32),
            "field": (keys % n_fields).astype(np.int8),
            "tf": tf.astype(np.int32),
            "pstart": pstart.astype(np.int32),
            "pmask": np.bitwise_or.reduceat(np.left_shift(1, keys % n_fields, dtype=np.int16), pstart)
            if pstart.size
            else np.empty(0, dtype=np.int16),
            "lengths": lengths,
            "starts": np.array([_timestamp(s, "start") for s in sessions], dtype=np.float64),
            "ends": np.array([_timestamp(s, "end") for s in sessions], dtype=np.float64),
            **_keys(slug, facts),
        },
        names={"tracks": list(dict.fromkeys(facts["tracks"])), "rooms": list(dict.fromkeys(facts["rooms"]))},
        _facts=facts,
        _terms=ordered_terms,
        _surface=[shown[t] for t in ordered_terms],
    )
    return part


def _ids(surface_ids: defaultdict[str, int], per_doc: list[list[str]], total: int) -> Ints:
    return np.fromiter(map(surface_ids.__getitem__, chain.from_iterable(per_doc)), dtype=np.int64, count=total)


def _keys(slug: str, facts: dict[str, Any]) -> dict[str, Array]:
    """What the merge needs from the facts, as arrays: local track and room numbers, and the hashed keys of the
    look-up tables (speaker words and names, session ids), so merging hashes nothing again."""
    out: dict[str, Array] = {}
    for name in ("tracks", "rooms"):
        ids = {value: i for i, value in enumerate(dict.fromkeys(facts[name]))}
        out[name[:-1]] = np.array([ids[v] for v in facts[name]], dtype=np.int32)
    pairs = {
        "speaker_terms": [(k, i) for i, keys in enumerate(facts["speaker_terms"]) for k in keys],
        "compact_speakers": [(k, i) for i, keys in enumerate(facts["compact_speakers"]) for k in keys],
        "by_ref": [(f"{slug}\x1f{sid}", i) for i, sid in enumerate(facts["ids"])],
        "by_id": [(sid, i) for i, sid in enumerate(facts["ids"])],
    }
    for table, found in pairs.items():
        out[f"{table}_hash"] = hashes_of(k for k, _ in found)
        out[f"{table}_doc"] = np.array([i for _, i in found], dtype=np.int32)
    return out


def _frozen(facts: dict[str, Any]) -> dict[str, Any]:
    """Each session's names and languages as tuples, not lists. The collector stops tracking a tuple of strings
    once it has seen it, never a list: at 100k sessions the parts a process had read held 400,000 lists, and every
    full collection scanned them all, 20 to 90 ms in the middle of a question, several times per 500 questions."""
    return {
        key: [tuple(v) if isinstance(v, list) else v for v in values] if isinstance(values, list) else values
        for key, values in facts.items()
    }


FACTS = ("ids", "tracks", "rooms", "speakers", "speaker_terms", "compact_speakers", "phrases", "topics", "languages")


def _facts(sessions: list[Session]) -> dict[str, Any]:
    return {
        "ids": [s.id for s in sessions],
        "tracks": [s.track for s in sessions],
        "rooms": [s.room for s in sessions],
        "speakers": [list(s.speaker_names) for s in sessions],
        "speaker_terms": [sorted({t for name in s.speaker_names for t in tokens(name)}) for s in sessions],
        "compact_speakers": [sorted({compact(name) for name in s.speaker_names}) for s in sessions],
        "phrases": [" ".join(tokens(f"{s.title} | {s.track} | {' | '.join(s.tags)}")) for s in sessions],
        # The words of a title and tags, which the best answers' shared words are read from (feedback.py).
        "topics": [
            " ".join(sorted(set(tokens(s.title)) | {t for tag in s.tags for t in tokens(tag)})) for s in sessions
        ],
        # Detected here, once per import, rather than on a conference's first "German talks" question (most of a
        # second at 70,000 sessions, on the thread that answers).
        "languages": [sorted(languages) for languages in conference_languages(sessions)],
    }


def conference_languages(sessions: list[Session]) -> list[frozenset[str]]:
    """Each session's languages; one whose title and abstract are too short to tell ('Dinner', 'Coffee break': a
    detector calls them German as often as not) takes the language most of its conference is written in."""
    found = [session_languages(s) for s in sessions]
    sure = [s.language != "" or _tellable(s) for s in sessions]
    common = Counter(code for langs, ok in zip(found, sure, strict=True) if ok for code in langs).most_common(1)
    if not common:
        return found
    usual = frozenset({common[0][0]})
    return [langs if ok else usual for langs, ok in zip(found, sure, strict=True)]


def _tellable(session: Session) -> bool:
    """Enough words for a language detector to go by."""
    return len(re.findall(r"[^\W\d_]+", f"{session.title} {session.abstract[:400]}")) >= TELLABLE_WORDS


def session_languages(session: Session) -> frozenset[str]:
    """The languages a session is held in: the catalog's field, else what its title and abstract are written in."""
    if session.language:
        return frozenset(language_code(session.language))
    return frozenset({detect(f"{session.title}. {session.abstract[:400]}")})
