"""Rooms by the names people type, looked up in tables built once per index rather than by a pass over every room.

A question naming a place ('in Janson', 'at Ada') used to compact the name of every room of every conference, on
every question: at 100k sessions several milliseconds, a large share of the slowest answers. The tables hold the
same comparisons precomputed: a room's whole name compacted, its first word compacted, the compacted names sorted
for names starting with some letters, the names without what a parenthesis adds ('K.1.105' of 'K.1.105 (La
Fontaine)'), and the numbers each name has in the conferences that use it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.search.perindex import per_index
from bot.search.text import compact

if TYPE_CHECKING:
    from bot.search.index import SearchIndex


_PARENTHESIS = re.compile(r"\([^)]*\)")


@dataclass(frozen=True)
class RoomNames:
    whole: dict[str, frozenset[str]]  # compacted name -> rooms
    first: dict[str, frozenset[str]]  # compacted first word -> rooms
    keys: list[tuple[str, str]]  # (compacted name, room), sorted
    ids: dict[str, tuple[int, ...]]  # room -> its numbers in every conference that has it
    short: dict[str, frozenset[str]]  # compacted name without a parenthesis ('K.1.105' of 'K.1.105 (La Fontaine)')

    def starting(self, prefix: str) -> set[str]:
        """Rooms whose compacted name starts with `prefix`: one contiguous run of the sorted names."""
        found = set()
        for key, room in self.keys[bisect_left(self.keys, (prefix, "")) :]:
            if not key.startswith(prefix):
                break
            found.add(room)
        return found


@per_index
def room_names(index: SearchIndex) -> RoomNames:
    """The room tables of an index, built on the first question that names a place."""
    whole: dict[str, set[str]] = defaultdict(set)
    first: dict[str, set[str]] = defaultdict(set)
    short: dict[str, set[str]] = defaultdict(set)
    for room, key in index.room_keys.items():
        whole[key].add(room)
        short[compact(_PARENTHESIS.sub(" ", room)) or key].add(room)
        head = room.split()
        if head:
            first[compact(head[0])].add(room)
    ids: dict[str, list[int]] = defaultdict(list)
    for named in index.room_ids.values():
        for room, number in named.items():
            ids[room].append(number)
    return RoomNames(
        {k: frozenset(v) for k, v in whole.items()},
        {k: frozenset(v) for k, v in first.items()},
        sorted((key, room) for room, key in index.room_keys.items()),
        {room: tuple(numbers) for room, numbers in ids.items()},
        {k: frozenset(v) for k, v in short.items()},
    )
