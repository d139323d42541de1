"""The store-wide index from the conferences' parts: BM25F scores computed with numpy alone, no tokenising.

Scores use store-wide statistics (average field lengths, document frequencies), exactly as a single build over
every session did: the same (term, session, field) counts go in, in the same order, so the same floats come out.
The result is saved as plain arrays and opened as memory maps: opening costs a few file headers, and a
question reads only the pages holding its words' postings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.search.keytable import KeyTable
from bot.search.parts import ABSTRACT, FIELDS, Array, Part

WEIGHTS = (6.0, 3.0, 7.0, 5.0, 5.0, 1.5, 1.0, 2.0, 1.0)
LENGTH_NORM = (0.5, 0.5, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.75)
K1 = 1.2
ARRAYS = (
    "vocab",  # sorted term hashes: a term's position is its id
    "owner",  # per term: (part number, local id) of its first part, where its spelling is read
    "offsets",
    "post_docs",
    "post_scores",
    "post_masks",
    "df",
    "strong",
    "conference_of",
    "track_of",
    "room_of",
    "starts",
    "ends",
    "part_starts",  # first session number of each part
)
TABLES = ("speaker_terms", "compact_speakers", "by_ref", "by_id")


@dataclass
class Merged:
    arrays: dict[str, Array]
    tables: dict[str, KeyTable]
    facts: dict[str, Any]  # slugs, part folders, track keys per conference, room names
    fuzzy: list[str] | None  # the typo vocabulary, when just built; read from disk on first need otherwise
    folder: Path | None = None

    def save(self, folder: Path) -> None:
        for name in ARRAYS:
            np.save(folder / f"{name}.npy", self.arrays[name])
        for name in TABLES:
            self.tables[name].save(folder, name)
        (folder / "facts.json").write_text(json.dumps(self.facts, ensure_ascii=False), encoding="utf-8")
        (folder / "fuzzy.txt").write_text("\n".join(self.fuzzy or []), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> Merged:
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in ARRAYS}
        tables = {name: KeyTable.load(folder, name) for name in TABLES}
        facts = json.loads((folder / "facts.json").read_text(encoding="utf-8"))
        return cls(arrays, tables, facts, None, folder)

    def fuzzy_terms(self) -> list[str]:
        if self.fuzzy is None:
            assert self.folder is not None
            text = (self.folder / "fuzzy.txt").read_text(encoding="utf-8")
            self.fuzzy = text.split("\n") if text else []
        return self.fuzzy


def merge(parts: list[Part]) -> Merged:
    sizes = np.array([p.n for p in parts], dtype=np.int64)
    part_starts = np.concatenate(([0], np.cumsum(sizes)))
    n = int(part_starts[-1])
    local_hashes = [np.asarray(p.arrays["hashes"]) for p in parts]
    every_hash = _joined(local_hashes, np.uint64)
    shown_at = _joined([p.arrays["shown_at"] for p in parts], np.int32)
    order = np.lexsort((np.arange(every_hash.size), shown_at, every_hash))
    vocab, at = np.unique(every_hash[order], return_index=True)
    first = order[at]  # per term, the part whose spelling is shown
    term_starts = np.concatenate(([0], np.cumsum([h.size for h in local_hashes]))).astype(np.int64)
    owner_part = np.searchsorted(term_starts, first, side="right") - 1
    owner = np.stack((owner_part, first - term_starts[owner_part])).astype(np.int32)
    remaps = [np.searchsorted(vocab, h).astype(np.int64) for h in local_hashes]
    lengths = np.concatenate([p.arrays["lengths"] for p in parts], axis=1) if parts else np.zeros((len(FIELDS), 0))
    posting = _postings(parts, remaps, part_starts, lengths, max(1, n), vocab.size)
    track_of, tracks = _numbered(parts, "track")
    room_of, rooms = _numbered(parts, "room")
    arrays: dict[str, Array] = {
        "vocab": vocab,
        "owner": owner,
        **posting,
        "conference_of": np.repeat(np.arange(len(parts), dtype=np.int32), sizes),
        "track_of": track_of,
        "room_of": room_of,
        "starts": _joined([p.arrays["starts"] for p in parts], np.float64),
        "ends": _joined([p.arrays["ends"] for p in parts], np.float64),
        "part_starts": part_starts,
    }
    # Typo candidates come from the catalog's own words; abstract-only words used in only a few sessions are
    # mostly noise (and typos of their own), so they are left out, and so are two neighbouring words joined
    # ('securityand'): indexed so that 'risc v' meets 'RISCV', they were half of this list at 100k sessions,
    # slowing every typo and word form looked up, and now and then the "correction" of a typo.
    written = np.zeros(vocab.size, dtype=bool)
    for p, remap in zip(parts, remaps, strict=True):
        written[remap[np.asarray(p.arrays["word"], dtype=bool)]] = True
    wanted = (posting["strong"] | (posting["df"] >= 5)) & written
    fuzzy = _sorted_terms(parts, owner[:, wanted])
    tables = {
        name: KeyTable.build(
            _joined([p.arrays[f"{name}_hash"] for p in parts], np.uint64),
            _joined([p.arrays[f"{name}_doc"] + start for p, start in zip(parts, part_starts, strict=False)], np.int64),
        )
        for name in TABLES
    }
    facts = {
        "slugs": [p.slug for p in parts],
        "parts": [p.folder.name if p.folder else "" for p in parts],
        "tracks": tracks,
        "rooms": rooms,
    }
    return Merged(arrays, tables, facts, fuzzy)


def _sorted_terms(parts: list[Part], owners: Array) -> list[str]:
    """The spellings of some terms, sorted. Python's sort holds the interpreter lock, but for the 100,000 words of
    a 100k-session store only ~30 ms: a numpy sort let go of the lock, yet first copied every word into a fixed-width
    array as wide as the longest one, which took ten times as long."""
    found: list[str] = []
    for p, part in enumerate(parts):
        terms = part.terms
        found.extend(terms[i] for i in owners[1, owners[0] == p].tolist())
    found.sort()
    return found


def _joined(arrays: list[Array], dtype: type) -> Array:
    return np.concatenate(arrays).astype(dtype, copy=False) if arrays else np.empty(0, dtype=dtype)


def _numbered(parts: list[Part], name: str) -> tuple[Array, dict[str, dict[str, int]]]:
    """Dense numbers per (conference, track) in session order, and the names per conference: {slug: {name: n}}."""
    out, named = [], {}
    base = 0
    for p in parts:
        values = p.names[name + "s"]
        out.append(np.asarray(p.arrays[name], dtype=np.int32) + np.int32(base))
        named[p.slug] = {value: base + i for i, value in enumerate(values) if value}
        base += len(values)
    return _joined(out, np.int32), named


def _postings(
    parts: list[Part], remaps: list[Array], part_starts: Array, lengths: Array, n: int, n_terms: int
) -> dict[str, Array]:
    """BM25F: pseudo-frequencies summed over fields per (term, session), saturated once, times the IDF.

    Each part's entries are sorted by (term, session, field) and its postings' field bits are saved with it;
    only what depends on the whole store (average lengths, document frequencies) is computed here. Parts hold
    ascending sessions and map their terms onto global ids in order, so each part's postings of a term go
    straight to their place in the store-wide lists: no sort, one pass over the entries.
    """
    average = np.maximum(1.0, lengths.sum(axis=1) / n)
    b = np.array(LENGTH_NORM)[:, None]
    weight = np.array(WEIGHTS)[:, None] / (1 - b + b * lengths / average[:, None])  # per field and session
    found = []
    for part, remap, start in zip(parts, remaps, part_starts, strict=False):
        a = part.arrays
        pstart = a["pstart"]
        if pstart.size == 0:
            continue
        contribution = a["tf"] * weight[a["field"], a["doc"] + start]
        local = a["term"][pstart].astype(np.int64)
        found.append(
            (remap, local, a["doc"][pstart] + np.int32(start), np.add.reduceat(contribution, pstart), a["pmask"])
        )
    df = np.zeros(n_terms, dtype=np.int64)
    for remap, local, *_ in found:
        df += np.bincount(remap[local], minlength=n_terms)
    offsets = np.concatenate(([0], np.cumsum(df))).astype(np.int64)
    total = int(offsets[-1])
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
    post_docs = np.empty(total, dtype=np.int32)
    post_scores = np.empty(total, dtype=np.float64)
    masks = np.empty(total, dtype=np.int16)
    strong = np.zeros(n_terms, dtype=bool)
    filled = offsets[:-1].copy()  # where each term's next postings go
    # Scores and strong terms are worked out part by part, on each part's own postings: a store-wide array of
    # each posting's term (ten million numbers at 100k sessions) was a third of a re-import's merge.
    for remap, local, docs, pseudo, part_masks in found:
        counts = np.bincount(local, minlength=remap.size)
        first = np.cumsum(counts) - counts  # each local term's first posting in this part
        terms = remap[local]
        dest = filled[remap][local] + (np.arange(local.size) - first[local])
        post_docs[dest], masks[dest] = docs, part_masks
        post_scores[dest] = idf[terms] * pseudo * (K1 + 1) / (pseudo + K1)
        strong[terms[(part_masks & ~(1 << ABSTRACT)) != 0]] = True
        filled[remap] += counts
    return {
        "offsets": offsets,
        "post_docs": post_docs,
        "post_scores": post_scores,
        "post_masks": masks,
        "df": df,
        "strong": strong,
    }
