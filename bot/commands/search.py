"""Search, paging and "more like this": anything that is not a command is a search."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot import metrics, other_times
from bot.clock_rank import in_progress
from bot.commands.registry import COMMANDS, command
from bot.context import Context, Resolved
from bot.dialogue import Question
from bot.elsewhere import pointed_elsewhere
from bot.language_note import noted
from bot.lookup import nothing_more
from bot.messages import Reply
from bot.references import said
from bot.room_hint import room_noted
from bot.search.engine import ECHOED, Hit, SearchResult
from bot.search.timephrases import MONTHS, WEEKDAYS
from bot.speaker_names import close_speakers, nobody, someone_else
from bot.store.agenda import LastList
from catalog.model import Session
from catalog.text import counted, shown

WHOLE_LIST = 5000  # during a conference the whole ranked list is reordered by the clock before paging
LONG_SESSION = timedelta(hours=3)


def scoped_search(ctx: Context, query: str, *, offset: int = 0, limit: int | None = None) -> SearchResult:
    """The engine's answer in the conference in scope; while it runs, upcoming sessions first (bot.clock_rank)."""
    size = limit or ctx.page_size
    engine = ctx.engine()
    with metrics.timed_search():
        if not in_progress(ctx.conference_info(), ctx.now()):
            found = engine.search(query, now=ctx.now(), conference=ctx.conference, limit=size, offset=offset)
            return replace(found, hits=_in_time_order(found))
        result = engine.search(query, now=ctx.now(), conference=ctx.conference, limit=WHOLE_LIST)
        hits = ctx.by_clock(result.hits)
        if result.query.time is not None and result.query.time.mode == "now" and not result.query.words:
            hits = running_order([h for h in hits if not placeholder(h.session)])
        return replace(result, hits=_in_time_order(replace(result, hits=tuple(hits[offset : offset + size]))))


def _in_time_order(result: SearchResult) -> tuple[Hit, ...]:
    """'security talks after lunch', 'Rust heute nachmittag': the best of a part of a day, read as a schedule, in
    the order they happen (by relevance they read 18:00, 17:30, 18:30). Whole days and other questions keep the
    order of relevance that chose them."""
    spec = result.query.time
    if spec is None or spec.mode != "day" or spec.part is None and spec.ahead is None:
        return result.hits
    return tuple(sorted(result.hits, key=lambda h: h.session.start or datetime.max.replace(tzinfo=UTC)))


def placeholder(session: Session) -> bool:
    """A slot a schedule fills with '.' or nothing (a break, a changeover): not worth a line of 'what's on'."""
    return not any(ch.isalnum() for ch in session.title)


def running_order(hits: list[Hit]) -> list[Hit]:
    """'What's on now' with no topic: what started last first, and sessions that run for hours (workshops, a
    hackcenter, an installation) after the talks, which are what people are asking about."""

    def key(hit: Hit) -> tuple[bool, float]:
        start, end = hit.session.start, hit.session.end
        long = bool(start and end and end - start >= LONG_SESSION)
        return long, -(start.timestamp() if start else 0.0)

    return sorted(hits, key=key)


def run_search(ctx: Context, query: str, *, offset: int = 0, kind: str = "search") -> Reply:
    index, conference = ctx.engine().index, ctx.conference
    result = room_noted(noted(scoped_search(ctx, query, offset=offset), index, conference), index, conference, query)
    if not offset and not ctx.locked():
        result = pointed_elsewhere(result, ctx.whole(), conference, ctx.now(), on=ctx.standing())
    if not result.hits and result.suggestions and result.query.speaker and not result.query.words:
        # 'talks by jake': a person was asked about, so people are offered, never 'make, take'
        names = {n for s in index.sessions_of(conference or "") for n in s.speaker_names}
        result = replace(result, suggestions=tuple(close_speakers(names, result.query.speaker)))
    if result.query.time is not None and not ctx.has_times():
        return ctx.no_times()
    other = someone_else(result) if not offset else ""
    if other:  # never another person for the one asked about
        return nobody(ctx, other)
    return search_reply(ctx, result, query, offset=offset, kind=kind)


def search_reply(ctx: Context, result: SearchResult, query: str, *, offset: int = 0, kind: str = "search") -> Reply:
    if not result.hits:
        text = result.message or f"Nothing found for '{shown(query, ECHOED)}'."
        if result.suggestions:
            text += f" Did you mean: {', '.join(result.suggestions)}?"
        shown_how = other_times.offer(ctx, result)  # '7 sessions match at other times': 'show them' shows them
        return Reply(ctx.about_scope(f"{text} {shown_how}".strip()), search=result)
    parsed = result.query
    asked = parsed.as_typed(list(dict.fromkeys(parsed.words)))  # a word typed three times is said back once
    label = shown(asked or parsed.speaker or parsed.track or parsed.room, ECHOED)
    # What else narrowed the answer is said back with it: '189 sessions in German tomorrow'.
    when = parsed.qualifiers + (f" {time_phrase(parsed.time.label)}" if parsed.time else "")
    if parsed.room and not (asked or parsed.speaker or parsed.track):  # 'what's on in Janson': a place, no topic
        text = f"{'More' if offset else sessions(result.total)} in {shown(parsed.room, ECHOED)}{when}:"
    elif parsed.track and not (asked or parsed.speaker):  # 'track databses': a track, said back by its name
        text = f"{'More' if offset else sessions(result.total)} in track {shown(parsed.track, ECHOED)}{when}:"
    elif offset:
        text = f"More for '{label}'{when}:" if label else f"More{when}:"
    elif label:
        text = f"{sessions(result.total)} for '{label}'{when}:"
    else:
        text = f"{sessions(result.total)}{when}:"
    notes = (result.message,) if result.message else ()
    listed = ctx.list_reply(
        ctx.about_scope(text), result.hits, total=result.total, query=query, kind=kind, offset=offset, notes=notes
    )
    return replace(listed, search=result)


def time_phrase(label: str) -> str:
    """'lunch' -> 'at lunch', 'evening' -> 'this evening', 'saturday' -> 'on saturday': a count reads as English."""
    first = label.split()[0] if label else ""
    if first in ("lunch", "lunchtime", "breakfast", "dinner"):
        return f"at {label}"
    if first in ("morning", "afternoon", "evening"):
        return f"this {label}"
    if first == "night":
        return "tonight"
    if first in WEEKDAYS or first == "day" or first in MONTHS or first[:1].isdigit() and "-" in first:
        return f"on {label}"
    if first == "last":
        return f"on the {label}"
    if first[:1].isdigit():
        return f"at {label}"
    return label


def sessions(count: int) -> str:
    return counted(count, "session")


@command("search", usage="search <words>", aliases=("find", "look for"))
def search(ctx: Context, args: str) -> Reply:
    """Find sessions by topic, speaker, track, room or time.

    Typos are fine.

    Anything that is not a command is a search too: "talks on horovod", "rust tomorrow afternoon",
    "what is lennart presenting", "databases devroom", "in room K.4.401", "kubernets".
    """
    return run_search(ctx, args)


@command("more", usage="more", aliases=("weiter", "mehr", "noch mehr"))
def more(ctx: Context, args: str) -> Reply:
    """Show the next page of the last list."""
    if said(args) not in PAGING_WORDS:  # 'mehr über rust', 'more rust talks': a question, not a page
        topic = re.sub(r"^(?:about|on|über|ueber|zu)\s+", "", args, flags=re.IGNORECASE)  # 'more about rust': rust
        return run_search(ctx, topic if topic != args else ctx.incoming.text or args)
    shown = ctx.last_list()
    ending = ENDINGS.get(shown.kind)
    if shown.offset >= shown.total and ending is not None:
        return ending(ctx, shown)
    if shown.offset >= shown.total or not (shown.query or shown.kind in PAGERS):
        return Reply(nothing_more(ctx))
    pager = PAGERS.get(shown.kind)
    if pager is not None:
        return pager(ctx, shown.query, shown.offset)
    return run_search(ctx, shown.query, offset=shown.offset, kind=shown.kind)


# What may follow 'more' and still mean the next page.
PAGING_WORDS = frozenset({"", "please", "pls", "results", "of them", "of those", "bitte", "davon", "ergebnisse"})
# Lists other than searches page through here: kind -> (ctx, the list's query, offset) -> the next page.
PAGERS: dict[str, Callable[[Context, str, int], Reply]] = {}
# What 'more' says once a list of this kind is all shown, where "nothing more" would be wrong: after the
# next slot there is another one.
ENDINGS: dict[str, Callable[[Context, LastList], Reply]] = {}


LIKE_RANKED = 20  # similar sessions ranked before the ones still to come are put first


@command("like", usage="like <session>", aliases=("more like", "similar to", "similar", "ähnlich wie", "mehr wie"))
def like(ctx: Context, args: str) -> Reply:
    """Sessions on the same topic as one you name.

    Name it by its number in a list, its id, or part of its title."""
    found = ctx.resolve(args)
    if found.session is None:
        return not_resolved(ctx, found, "like")
    # The nearest few that can still be attended: during the conference a page of five was often four talks
    # already over, so more are ranked and the ones still to come put first.
    similar = ctx.engine_for(found.conference).similar(found.conference, found.session, limit=LIKE_RANKED)
    hits = ctx.by_clock(similar)[: ctx.page_size]
    if not hits:
        return Reply(f"I found nothing else like “{found.session.title}”.")
    return ctx.list_reply(f"Sessions like “{found.session.title}”:", hits, total=len(hits), query="", kind="like")


def not_resolved(ctx: Context, found: Resolved, verb: str) -> Reply:
    """No single session: ask which one (a numbered list), or say what was not found."""
    if found.candidates:
        # The number alone answers it, as it would between people: '1' then saves (or forgets…) the first.
        ctx.memory.ask(ctx.person, Question(verb=verb, choices=len(found.candidates), no="OK, I left it."))
        ctx.memory.set_focus(ctx.person, "", ctx.now())  # 'it' is now one of these, not what came before
        return ctx.list_reply(
            f"Which one? Say its number, or '{verb} <number>':",
            found.candidates,
            total=len(found.candidates),
            query="",
            kind="choice",
        )
    if found.message:
        return Reply(found.message)
    usage = COMMANDS[verb].usage if verb in COMMANDS else f"{verb} <session>"
    return Reply(f"Usage: {usage}, where <session> is a number from your last list, an id or part of a title.")
