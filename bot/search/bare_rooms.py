"""Rooms named without 'in' or 'at': 'Saal GLITCH right now', 'janson tomorrow', 'UB5.132 now'.

People type a room's name as they read it on a door. Searched as words, 'saal glitch' found every room with 'Saal'
in it, and 'ub5 132' whatever mentions a 132. The words of a question (time words and filler already taken out)
that are exactly a room's name ask what is on there; so do words holding a room's full name among others ('rust
Janson'), when that name says a place and nothing else.

What stays a topic, never a room: a name whose words are what the catalog's talks are about. 'rust' is a topic
even where a room is called 'Rust' (a track named so, or titles that use it), and 'workshop on rust' does not go
to a room called 'Workshop'. A track or a few titles decide, per conference, because the same word can be a room
at one conference and a topic at another ('Ada' is a hall at 36C3 and a devroom at FOSDEM). Among other words, a
name must also be rare in everyday language, or hold a number ('Saal 1', 'UB5.132'), or begin with a word for a
hall ('Saal GLITCH'): an everyday word beside a topic ('uptown rust') is more likely part of the topic.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.search.filters import ROOM_WORDS, in_scope
from bot.search.index import NAMING, SearchIndex
from bot.search.language import is_everyday_word
from bot.search.rooms import room_names
from bot.search.text import compact, stem, words
from bot.search.tracks import track_names

MAX_NAME_WORDS = 5  # 'K.1.105 (La Fontaine)' is read as five words: 'k', '1.10', '5', 'la', 'fontaine'
TOPIC_SESSIONS = 3  # a word in this many titles, subtitles, tracks or tags of a conference is one of its topics


@dataclass(frozen=True)
class BareRoom:
    rooms: set[str]
    start: int  # words[start:end] named the room (with a word for a hall typed before it)
    end: int


def bare_room(index: SearchIndex, asked: list[str], conference: str | None) -> BareRoom | None:
    """The room some of the words name, the longest name first ('saal glitch' before 'glitch'); None for none."""
    for size in range(min(len(asked), MAX_NAME_WORDS), 0, -1):
        for start in range(len(asked) - size + 1):
            rooms = _named(index, asked[start : start + size], conference)
            if not rooms:
                continue
            before = 1 if start > 0 and asked[start - 1] in ROOM_WORDS else 0  # 'saal janson' for 'Janson'
            run = asked[start - before : start + size]
            alone = len(run) == len(asked)
            if _is_topic(index, run, conference, TOPIC_SESSIONS if alone else 1):
                continue
            if alone or _distinctive(run):
                return BareRoom(rooms, start - before, start + size)
    return None


def _named(index: SearchIndex, run: list[str], conference: str | None) -> set[str]:
    """Rooms whose whole name the words are, or their name without its parenthesis ('K.1.105' of 'K.1.105 (La
    Fontaine)'). Never the start of a name: 'saal' is the start of a dozen."""
    squeezed = compact(" ".join(run))
    if len(squeezed) < 2:
        return set()
    names = room_names(index)
    return in_scope(index, names.whole.get(squeezed, frozenset()), conference) or in_scope(
        index, names.short.get(squeezed, frozenset()), conference
    )


def _is_topic(index: SearchIndex, run: list[str], conference: str | None, sessions: int) -> bool:
    """Every word of the name is a topic here: a word of a track's name, or of some sessions' titles or tags (a
    few when the name is the whole question; any one beside other words, as in 'dijkstra algorithm' where a talk
    is about Dijkstra). A name holding a number or a word for a hall is a place whatever else it holds."""
    if _place_shaped(run):
        return False
    tracks = track_names(index)
    span = index.conference_range(conference) if conference is not None else None
    for word in words(" ".join(run)):
        term = stem(word)
        if any(conference in (None, slug) for slug, _ in tracks.by_word.get(term, ())):
            continue
        docs = index.postings_in(term, NAMING)[0]
        if span is not None:
            docs = docs[(docs >= span[0]) & (docs < span[1])]
        if docs.size < sessions:
            return False
    return True


def _distinctive(run: list[str]) -> bool:
    """A name that, among other words, can only be a place: a number in it, a word for a hall before it, or a
    word rare in everyday language."""
    return _place_shaped(run) or any(
        not is_everyday_word(w, "en") and not is_everyday_word(w, "de") for w in words(" ".join(run))
    )


def _place_shaped(run: list[str]) -> bool:
    return any(ch.isdigit() for w in run for ch in w) or (len(run) > 1 and run[0] in ROOM_WORDS)
