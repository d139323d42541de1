"""'Where is the Rust devroom?', 'where is Janson?', 'where is Lennart?': a place and a time, not a list of talks.

People ask where to go. A search answers with talks that mention the words and leaves them to work out the room;
here a track is answered with its rooms and hours per day, a room with what is on there now and next, a speaker
with where and when they speak. Anything else is searched as before.
"""

from __future__ import annotations

import re
from datetime import datetime

from bot import clock_rank
from bot.commands.registry import command
from bot.commands.search import run_search
from bot.commands.speakers import fitting_speakers
from bot.context import Context
from bot.elsewhere import elsewhere
from bot.messages import Reply
from bot.places import (
    ASK_THE_VENUE,
    ONLY_THE_SCHEDULE,
    PERSON_VERBS,
    PLACE_QUESTIONS,
    named_in_schedule,
    sought_thing,
)
from bot.room_hint import looks_like_room, nearest_rooms, no_such_room, said_as_room
from bot.search.fuzzy import allowed_edits
from bot.search.slips import KIND_WORDS, catalog_words, meant
from bot.search.text import compact, fold, stem, tokens, words
from bot.search.tracks import track_names
from catalog.model import Session
from catalog.text import counted, start_of
from catalog.times import tz_from_name

_ARTICLES = re.compile(r"^(?:the|a|der|die|das|den)\s+", re.IGNORECASE)
_KIND_WORDS = frozenset({"devroom", "track", "room", "stage", "hall", "raum", "saal", "talk", "talks", "session"})
SHOWN_SESSIONS = 3
SHOWN_PEOPLE = 4  # 'where is lennart' may mean either of two; 'where is jo' fits too many to answer as places


@command(
    "where",
    usage="where is <track, room, speaker or session>",
    aliases=(
        "where is",
        "where's",
        "wheres",
        "where are",
        "where can i find",
        "wo ist",
        "wo sind",
        "wo finde ich",
        *PLACE_QUESTIONS,
    ),
)
def where(ctx: Context, args: str) -> Reply:
    """Where a track, room or speaker is ("where is the rust devroom?")."""
    sought, verb = sought_thing(ctx.incoming.text, _ARTICLES.sub("", args.strip().rstrip("?!. ")).strip())
    thing = _kind_words_read(ctx, _ARTICLES.sub("", sought))
    if not thing and verb:  # 'where can I eat?': a place the schedule has no word for
        return Reply(ctx.about_scope(f"{ONLY_THE_SCHEDULE}, not where to {verb}. {ASK_THE_VENUE}"))
    if not thing:
        return Reply("Where is what? Say e.g. 'where is the rust devroom', 'where is janson' or 'where is lennart'.")
    if not ctx.has_times():
        return ctx.no_times()
    sessions = ctx.engine().index.sessions_of(ctx.conference or "")
    for answer in (_track, _room, _speaker) if verb in PERSON_VERBS else (_track, _room):
        reply = answer(ctx, thing, sessions)
        if reply is not None:
            return reply
    misspelled = _misspelled_room(ctx, thing, sessions) or _misspelled_track(ctx, thing, sessions)
    if misspelled is not None:
        return misspelled
    if looks_like_room(thing):
        nearest = nearest_rooms(thing, {s.room for s in sessions if s.room})
        if nearest or said_as_room(thing):
            return Reply(ctx.about_scope(no_such_room(thing, nearest)))
    # Searched only when the schedule names it: 'where do I get food?' listed talks whose abstracts mention cooking.
    found = run_search(ctx, thing) if named_in_schedule(ctx, thing, verb) else None
    if found is not None and found.cards:
        return found
    # Another conference's talks answer 'where is mlflow', never 'where do I get food'.
    there = "" if ctx.locked() or verb else elsewhere(ctx.whole(), ctx.conference, thing, ctx.now())
    if there:
        return Reply(ctx.about_scope(f"'{start_of(thing)}' is not in this schedule. {there}"))
    return Reply(ctx.about_scope(f"{ONLY_THE_SCHEDULE}, and '{start_of(thing)}' is none of them. {ASK_THE_VENUE}"))


def _named(thing: str, names: set[str]) -> list[str]:
    """Names that are the words asked (with or without 'devroom', 'room'…), closest kind of match first."""
    asked = compact(thing)
    plain = [w for w in tokens(thing) if w not in _KIND_WORDS]
    exact = sorted(n for n in names if compact(n) in (asked, "".join(plain)))
    if exact or not plain:
        return exact
    return sorted(n for n in names if set(plain) <= set(tokens(n)) - _KIND_WORDS)


def _clock(ctx: Context, moment: datetime | None) -> str:
    if moment is None:
        return "?"
    return moment.astimezone(tz_from_name(ctx.zone_for(ctx.conference or ""))).strftime("%H:%M")


def _day(ctx: Context, moment: datetime | None) -> str:
    if moment is None:
        return "Unscheduled"
    return moment.astimezone(tz_from_name(ctx.zone_for(ctx.conference or ""))).strftime("%a %d %b")


def _kind_words_read(ctx: Context, thing: str) -> str:
    """'nixos devrom' -> 'nixos devroom': a slip in the word that says a track is meant is read as that word (the
    search reads it alike), or the track's name and the slip were searched as topic words."""
    if not thing:
        return thing
    known = catalog_words(ctx.engine().index)
    return " ".join(meant(fold(w), KIND_WORDS, known) or w for w in thing.split())


def _track(ctx: Context, thing: str, sessions: list[Session], read: str = "") -> Reply | None:
    """`read`: the words typed for the track, when it was spelled otherwise ('mozila' for Mozilla)."""
    names = _named(thing, {s.track for s in sessions if s.track})
    if len(names) != 1:
        return None
    name = names[0]
    timed = sorted((s for s in sessions if s.track == name and s.start), key=lambda s: s.start or datetime.min)
    if not timed:
        return None
    lines = [f"{name}{f' (for {read!r})' if read else ''}: {counted(len(timed), 'session')}."]
    days: dict[tuple[str, str], list[Session]] = {}
    for s in timed:
        days.setdefault((_day(ctx, s.start), s.room or "a room not given"), []).append(s)
    for (day, room), group in days.items():
        first, last = group[0], group[-1]
        lines.append(f"  {day}: {room}, {_clock(ctx, first.start)}–{_clock(ctx, last.end or last.start)}")
    return Reply(ctx.about_scope("\n".join(lines)) + f"\nSay 'track {name}' for its sessions.")


def _room(ctx: Context, thing: str, sessions: list[Session], read: str = "") -> Reply | None:
    """`read`: the word typed for the room, when it was spelled otherwise ('jansen' for Janson)."""
    names = _named(thing, {s.room for s in sessions if s.room})
    names = names or sorted({s.room for s in sessions if s.room and compact(s.room.split()[0]) == compact(thing)})
    if len(names) != 1:
        return None
    name, now = names[0], ctx.now()
    here = sorted((s for s in sessions if s.room == name and s.start), key=lambda s: s.start or datetime.min)
    running = [s for s in here if clock_rank.running(s, now)]
    later = [s for s in here if s.start and s.start > now][:SHOWN_SESSIONS]
    lines = [f"{name}{f' (for {read!r})' if read else ''}: {counted(len(here), 'session')} in the schedule."]
    lines += [f"  now: {s.title} (until {_clock(ctx, s.end)})" for s in running]
    lines += [f"  {_day(ctx, s.start)} {_clock(ctx, s.start)}: {s.title}" for s in later]
    if not running and not later:
        lines.append("  Nothing more is scheduled there.")
    return Reply(ctx.about_scope("\n".join(lines)))


def _misspelled_room(ctx: Context, thing: str, sessions: list[Session]) -> Reply | None:
    """'where is jansen': one room spelled within a slip of the one word asked, when that word is not one the
    schedule uses otherwise (a topic, a name): said with how it was read."""
    plain = [w for w in tokens(thing) if w not in _KIND_WORDS]
    if len(plain) != 1 or ctx.engine().index.df(plain[0]) > 0:
        return None
    nearest = nearest_rooms(plain[0], {s.room for s in sessions if s.room})
    if len(nearest) != 1:
        return None
    return _room(ctx, nearest[0], sessions, read=plain[0])


def _misspelled_track(ctx: Context, thing: str, sessions: list[Session]) -> Reply | None:
    """'where is the mozila devroom': said as a track ('devroom', 'track'), a name within the typo rule of one
    track's name, or of a word of it, is that track, said with how it was read."""
    typed = words(thing)
    plain = [w for w in typed if stem(w) not in _KIND_WORDS]
    if not plain or not KIND_WORDS.intersection(typed):
        return None
    squeezed = compact(" ".join(plain))
    table = track_names(ctx.engine().index)
    found = {table.named[key] for _, key in table.nearest(squeezed, allowed_edits(squeezed), ctx.conference)}
    if len(found) != 1:
        return None
    return _track(ctx, found.pop(), sessions, read=" ".join(plain))


def _speaker(ctx: Context, thing: str, sessions: list[Session]) -> Reply | None:
    """Where one person (or the few whose name fits) speaks: what is on now and next first, the next one marked,
    and talks already over summed up after them; all of them only when everything is over."""
    people = fitting_speakers(ctx, thing)
    if not 1 <= len(people) <= SHOWN_PEOPLE:
        return None
    chosen = set(people)
    theirs = sorted((s for s in sessions if chosen.intersection(s.speaker_names)), key=_start_key)
    if not theirs:
        return None
    now = ctx.now()
    several = len(people) > 1

    def line(s: Session, tag: str = "") -> str:
        when = "now" if clock_rank.running(s, now) else f"{tag}{_day(ctx, s.start)} {_clock(ctx, s.start)}"
        who = f" ({', '.join(n for n in s.speaker_names if n in chosen)})" if several else ""
        return f"  {when} in {s.room or 'a room not given'}: {s.title}{who}"

    coming = [s for s in theirs if not clock_rank.ended(s, now)]
    over = [s for s in theirs if clock_rank.ended(s, now)]
    names = ", ".join(people)
    if not coming:
        lines = [f"{names} {'have' if several else 'has'} spoken already:"]
        return Reply(ctx.about_scope("\n".join(lines + [line(s) for s in over[-SHOWN_SESSIONS:]])))
    lines = [f"{len(people)} speakers fit '{thing}': {names}." if several else f"{people[0]}:"]
    marked = next((s for s in coming if not clock_rank.running(s, now)), None)
    lines += [line(s, "next: " if s is marked else "") for s in coming[:SHOWN_SESSIONS]]
    if len(coming) > SHOWN_SESSIONS:
        lines.append(f"  … and {len(coming) - SHOWN_SESSIONS} more later")
    if over:
        titles = "; ".join(s.title for s in over[:2]) + ("; …" if len(over) > 2 else "")
        lines.append(f"  {counted(len(over), 'earlier talk')}, already over: {titles}")
    return Reply(ctx.about_scope("\n".join(lines)))


def _start_key(session: Session) -> float:
    return session.start.timestamp() if session.start else float("inf")
