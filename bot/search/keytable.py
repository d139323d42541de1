"""String keys looked up in arrays instead of dicts, so a persisted index opens without building Python objects.

A key is named by a stable 64-bit hash (blake2b; Python's own hash changes with every process). Hashes are kept
sorted, so a look-up is one binary search in an array that may be a memory map: nothing is loaded or hashed at
open, only the pages a question touches are read. Two different words sharing a 64-bit hash would need
billions of words.
"""

from __future__ import annotations

from collections.abc import Iterable
from hashlib import blake2b
from pathlib import Path
from typing import TypeVar

import numpy as np
import numpy.typing as npt

T = TypeVar("T")

Hashes = npt.NDArray[np.uint64]
Ints = npt.NDArray[np.int64]


def key_hash(key: str) -> int:
    return int.from_bytes(blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


def hashes_of(keys: Iterable[str]) -> Hashes:
    return np.fromiter(map(key_hash, keys), dtype=np.uint64)


def find(hashes: Hashes, key: str) -> int:
    """Position of a key among sorted hashes, or -1."""
    if hashes.size == 0:
        return -1
    h = np.uint64(key_hash(key))
    at = int(np.searchsorted(hashes, h))
    return at if at < hashes.size and hashes[at] == h else -1


class KeyTable:
    """A persisted multimap: string -> a set of document numbers (sessions of a speaker, ids of a session)."""

    def __init__(self, hashes: Hashes, offsets: Ints, values: Ints) -> None:
        self.hashes = np.asarray(hashes)  # plain views of memory maps: cheaper to slice
        self.offsets = np.asarray(offsets)
        self.values = np.asarray(values)

    @classmethod
    def build(cls, hashes: Hashes, values: Ints) -> KeyTable:
        """From keys already hashed, beside the number each stands for."""
        order = np.lexsort((values, hashes))
        hashes, values = hashes[order], values[order]
        starts = np.flatnonzero(np.concatenate(([True], hashes[1:] != hashes[:-1]))) if hashes.size else np.empty(0)
        offsets = np.concatenate((starts, [hashes.size])).astype(np.int64)
        return cls(hashes[starts.astype(np.int64)], offsets, values)

    def save(self, folder: Path, name: str) -> None:
        np.save(folder / f"{name}_hashes.npy", self.hashes)
        np.save(folder / f"{name}_offsets.npy", self.offsets)
        np.save(folder / f"{name}_values.npy", self.values)

    @classmethod
    def load(cls, folder: Path, name: str) -> KeyTable:
        return cls(
            np.load(folder / f"{name}_hashes.npy", mmap_mode="r"),
            np.load(folder / f"{name}_offsets.npy", mmap_mode="r"),
            np.load(folder / f"{name}_values.npy", mmap_mode="r"),
        )

    def docs(self, key: str) -> Ints:
        at = find(self.hashes, key)
        if at < 0:
            return np.empty(0, dtype=np.int64)
        return np.asarray(self.values[int(self.offsets[at]) : int(self.offsets[at + 1])], dtype=np.int64)

    # dict-like reading, as the engine used the dicts these replace
    def get(self, key: str, default: T | None = None) -> set[int] | T | None:
        found = self.docs(key)
        return set(found.tolist()) if found.size else default

    def __getitem__(self, key: str) -> set[int]:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and find(self.hashes, key) >= 0

    def __len__(self) -> int:
        return int(self.hashes.size)
