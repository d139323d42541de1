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
    every_hash = np.concatenate(local_hashes) if parts else np.empty(0, dtype=np.uint64)
    shown_at = np.concatenate([p.arrays["shown_at"] for p in parts]) if parts else np.empty(0, dtype=np.int32)
    order = np.lexsort((np.arange(every_hash.size), shown_at, every_hash))
    vocab, at = np.unique(every_hash[order], return_index=True)
    first = order[at]  # per term, the part whose spelling is shown
    term_starts = np.concatenate(([0], np.cumsum([h.size for h in local_hashes]))).astype(np.int64)
    owner_part = np.searchsorted(term_starts, first, side="right") - 1
    owner = np.stack((owner_part, first - term_starts[owner_part])).astype(np.int32)
    terms = [np.searchsorted(vocab, h)[np.asarray(p.arrays["term"])] for h, p in zip(local_hashes, parts, strict=True)]
    docs = [np.asarray(p.arrays["doc"], dtype=np.int64) + start for p, start in zip(parts, part_starts, strict=False)]
    term_of = np.concatenate(terms) if parts else np.empty(0, dtype=np.int64)
    doc_of = np.concatenate(docs) if parts else np.empty(0, dtype=np.int64)
    field_of = np.concatenate([p.arrays["field"] for p in parts]).astype(np.int64) if parts else term_of
    tf = np.concatenate([p.arrays["tf"] for p in parts]).astype(np.float64) if parts else np.empty(0)
    lengths = np.concatenate([p.arrays["lengths"] for p in parts], axis=1) if parts else np.zeros((len(FIELDS), 0))
    posting = _postings(term_of, doc_of, field_of, tf, lengths, max(1, n), vocab.size)
    conference_of = np.repeat(np.arange(len(parts), dtype=np.int32), sizes)
    track_of, tracks = _keys(parts, "tracks")
    room_of, rooms = _keys(parts, "rooms")
    strong_or_common = posting["strong"] | (posting["df"] >= 5)
    arrays: dict[str, Array] = {
        "vocab": vocab,
        "owner": owner,
        **posting,
        "conference_of": conference_of,
        "track_of": track_of,
        "room_of": room_of,
        "starts": np.concatenate([p.arrays["starts"] for p in parts]) if parts else np.empty(0),
        "ends": np.concatenate([p.arrays["ends"] for p in parts]) if parts else np.empty(0),
        "part_starts": part_starts,
    }
    # Typo candidates come from the catalog's own words; abstract-only words used in only a few sessions are
    # mostly noise (and typos of their own), so they are left out.
    fuzzy = sorted({parts[p].terms[i] for p, i in owner[:, strong_or_common].T.tolist()})
    tables = {
        name: KeyTable.build(
            (key, int(start) + i)
            for p, start in zip(parts, part_starts, strict=False)
            for i, keys in enumerate(p.facts[name])
            for key in keys
        )
        for name in ("speaker_terms", "compact_speakers")
    }
    tables["by_ref"] = KeyTable.build(
        (f"{p.slug}\x1f{sid}", int(start) + i)
        for p, start in zip(parts, part_starts, strict=False)
        for i, sid in enumerate(p.facts["ids"])
    )
    tables["by_id"] = KeyTable.build(
        (sid, int(start) + i)
        for p, start in zip(parts, part_starts, strict=False)
        for i, sid in enumerate(p.facts["ids"])
    )
    facts = {"slugs": [p.slug for p in parts], "parts": [p.folder.name if p.folder else "" for p in parts]}
    facts["tracks"] = tracks
    facts["rooms"] = rooms
    return Merged(arrays, tables, facts, fuzzy)


def _keys(parts: list[Part], name: str) -> tuple[Array, Any]:
    """Dense ids per (conference, track) in session order, and the names per conference: {slug: {name: id}}."""
    ids: dict[tuple[str, str], int] = {}
    out = []
    for p in parts:
        for value in p.facts[name]:
            out.append(ids.setdefault((p.slug, value), len(ids)))
    named: dict[str, dict[str, int]] = {p.slug: {} for p in parts}
    for (slug, value), key in ids.items():
        if value:
            named[slug][value] = key
    return np.array(out, dtype=np.int32), named


def _postings(
    term_of: Array, doc_of: Array, field_of: Array, tf: Array, lengths: Array, n: int, n_terms: int
) -> dict[str, Array]:
    """BM25F: pseudo-frequencies summed over fields per (term, session), saturated once, times the IDF."""
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
    posting_terms = unique // n
    df = np.bincount(posting_terms, minlength=n_terms)
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
    strong = np.zeros(n_terms, dtype=bool)
    strong[posting_terms[(masks & ~(1 << ABSTRACT)) != 0]] = True
    return {
        "offsets": np.concatenate(([0], np.cumsum(df))).astype(np.int64),
        "post_docs": (unique % n).astype(np.int32),
        "post_scores": idf[posting_terms] * pseudo * (K1 + 1) / (pseudo + K1),
        "post_masks": masks.astype(np.int16),
        "df": df.astype(np.int64),
        "strong": strong,
    }
