"""'where is K.4.401', 'talks in room K.4.401' when the schedule has no such room: say so, and name the nearest.

A room code that is not in the schedule used to be searched as words ('k', '4', '401'), which finds a hundred
unrelated talks, or nothing with no hint. People mistype or misremember room codes by a digit, and the rooms
next to the one they meant are the ones spelled nearly alike (K.4.201, K.4.601 for K.4.401).
"""

from __future__ import annotations

import re
from dataclasses import replace

from rapidfuzz.distance import OSA

from bot.search import filters
from bot.search.engine import SearchResult
from bot.search.index import SearchIndex
from bot.search.text import compact

SHOWN = 3
_ROOM_WORD = re.compile(r"^(?:room|raum|saal|hall)\s+", re.IGNORECASE)


def _shared_start(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def nearest_rooms(asked: str, rooms: set[str]) -> list[str]:
    """Rooms spelled within a typo or two of `asked` (its code, or the first word of a name such as
    'UD2.120 (Chavanne)'), nearest first; among equals, those sharing the longest start (the same floor)."""
    key = compact(_ROOM_WORD.sub("", asked))
    if len(key) < 2:
        return []
    allowed = max(1, len(key) // 3)
    scored = []
    for room in rooms:
        names = {compact(room), compact(room.split()[0])} - {""}
        distance = min(OSA.distance(key, name) for name in names) if names else allowed + 1
        if distance <= allowed:
            start = max(_shared_start(key, name) for name in names)
            scored.append((distance, -start, room))
    return [room for _, _, room in sorted(scored)[:SHOWN]]


def said_as_room(text: str) -> bool:
    return bool(_ROOM_WORD.match(text.strip()))


def looks_like_room(text: str) -> bool:
    """A code with letters and digits ('K.4.401', 'H2215'), or anything said as 'room …'."""
    if said_as_room(text):
        return True
    key = compact(text)
    return " " not in text.strip() and any(c.isdigit() for c in key) and any(c.isalpha() for c in key)


def no_such_room(asked: str, nearest: list[str]) -> str:
    shown = _ROOM_WORD.sub("", asked.strip())
    if not nearest:
        return f"There is no room {shown} in this schedule; say 'rooms' for the list."
    return f"There is no room {shown} in this schedule. Nearest: {', '.join(nearest)}."


def room_noted(result: SearchResult, index: SearchIndex, conference: str | None, query: str) -> SearchResult:
    """A search in a room the schedule does not have, that found nothing: said so, with the nearest rooms
    instead of word guesses for a room code."""
    room = result.query.room
    if result.hits or not room or filters.room_mask(index, room, conference) is not None:
        return result
    rooms = index.rooms.get(conference, set()) if conference else set().union(*index.rooms.values())
    typed = re.search(re.escape(room), query, re.IGNORECASE)
    message = no_such_room(typed.group() if typed else room, nearest_rooms(room, rooms))
    return replace(result, message=message, suggestions=())
