"""What is on: now, next, a day; details of one session; speakers, tracks and rooms."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from bot.commands.registry import command
from bot.commands.search import (
    ENDINGS,
    PAGERS,
    WHOLE_LIST,
    not_resolved,
    placeholder,
    run_search,
    scoped_search,
    search_reply,
)
from bot.context import NEXT_PAGE_SIZE, Context
from bot.messages import Reply
from bot.scope import label, today_in
from bot.search.engine import Hit
from bot.store.agenda import LastList
from catalog.text import counted
from catalog.times import tz_from_name

NEXT_WINDOW = timedelta(hours=3)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _clock(ctx: Context, conference: str, moment: datetime) -> str:
    return moment.astimezone(tz_from_name(ctx.zone_for(conference))).strftime("%a %H:%M")


@command(
    "now",
    usage="now [words]",
    aliases=("what's on now", "whats on now", "what is on now", "on now", "happening now", "what's happening now"),
)
def now(ctx: Context, args: str) -> Reply:
    """What is running right now ("now rust": only matching words)."""
    if not ctx.has_times():
        return ctx.no_times()
    result = scoped_search(ctx, f"{args} now")
    if result.hits:
        return search_reply(ctx, result, f"{args} now")
    return next_slot(ctx, args, prefix="Nothing is running right now. ")


@command(
    "next",
    usage="next [words]",
    aliases=(
        ("what's next", "whats next", "what is next", "what's on next", "what comes next", "up next", "coming up")
        + ("what's up next", "whats up next", "what is up next", "what's coming up", "whats coming up")
        + ("nächste", "nächstes", "naechste", "als nächstes")
    ),
)
def next_(ctx: Context, args: str) -> Reply:
    """The whole next time slot, paged with "more" ("next kernel")."""
    return next_slot(ctx, args)


def _upcoming(ctx: Context, args: str, after: datetime) -> list[Hit]:
    engine = ctx.engine()
    if args.strip():
        found = engine.search(args, now=ctx.now(), conference=ctx.conference, limit=WHOLE_LIST).hits
    else:
        slug = ctx.conference or ""
        found = tuple(Hit(slug, s, 0.0, ()) for s in engine.index.sessions_of(slug))
    return [h for h in found if h.session.start and h.session.start > after and not placeholder(h.session)]


def next_slot(ctx: Context, args: str, offset: int = 0, anchor: datetime | None = None, prefix: str = "") -> Reply:
    """Every session of the next slot (and of the one or two after it when a slot is nearly empty), in pages.

    `anchor` is the moment the first page was asked at, so 'more' continues the same slots later on.
    """
    if not ctx.has_times():
        return ctx.no_times()
    at = anchor or ctx.now()
    hits = _upcoming(ctx, args, at)
    what = f" for '{args}'" if args else ""
    soon = [h for h in hits if h.session.start and h.session.start <= at + NEXT_WINDOW]
    lead = ""
    if not soon:
        if not hits:
            ended = _ended(ctx)
            if ended:
                return Reply(ended)
            return Reply(ctx.about_scope(f"{prefix}Nothing{what} starts in the next three hours."))
        first = min(h.session.start for h in hits if h.session.start)
        lead = f"Nothing{what} starts in the next three hours; then, "
        soon = [h for h in hits if h.session.start == first]
    soon.sort(key=lambda h: (h.session.start, h.session.room, h.session.title))
    slots: list[datetime] = []
    chosen: list[Hit] = []
    for hit in soon:
        start = hit.session.start
        assert start is not None
        if start not in slots:
            if (slots and len(chosen) >= 3) or len(slots) >= 3:
                break
            slots.append(start)
        chosen.append(hit)
    size = ctx.limit or NEXT_PAGE_SIZE
    page = chosen[offset : offset + size]
    groups = []
    for slot in slots:
        count = sum(1 for h in page if h.session.start == slot)
        if count:
            groups.append((_slot_heading(ctx, page[0].conference, slot), count))
    text = prefix + (f"{lead}starting next:" if lead else ("More starting next:" if offset else "Starting next:"))
    query = f"{at.isoformat()} {args}".strip()
    return ctx.list_reply(
        ctx.about_scope(text[0].upper() + text[1:]),
        page,
        total=len(chosen),
        query=query,
        kind="next",
        offset=offset,
        groups=tuple(groups),
        page_size=size,
    )


def _ended(ctx: Context) -> str:
    """'38C3 (2024) is over: it ended on Mon 30 Dec 2024', and what else loaded is on now or still to come.

    "Nothing is running right now" would read as a quiet moment of a conference that is in fact over.
    """
    conf = ctx.conference_info()
    if conf is None or conf.start is None or (conf.end or conf.start) >= today_in(conf, ctx.now()):
        return ""
    text = f"{label(conf)} is over: it ended on {conf.end or conf.start:%a %d %b %Y}."
    others = sorted(
        (c for c in ctx.whole().index.conferences.values() if c.slug != conf.slug and c.start is not None),
        key=lambda c: (c.start, c.slug),
    )
    running = [c for c in others if c.start and c.start <= today_in(c, ctx.now()) <= (c.end or c.start)]
    coming = [c for c in others if c.start and c.start > today_in(c, ctx.now())]
    if running:
        text += f" {label(running[0])} is on now: say 'switch to {running[0].slug}'."
    elif coming:
        text += f" Coming up: {label(coming[0])} from {coming[0].start:%a %d %b %Y}; say 'switch to {coming[0].slug}'."
    return text


def _slot_heading(ctx: Context, conference: str, slot: datetime) -> str:
    minutes = int((slot - ctx.now()).total_seconds() // 60)
    if minutes < 0:
        away = "started"
    elif minutes < 120:
        away = f"in {minutes} min"
    elif minutes < 48 * 60:
        away = f"in {minutes // 60} h {minutes % 60:02d}"
    else:
        away = f"in {minutes // (24 * 60)} days"
    return f"{_clock(ctx, conference, slot)} ({away})"


def _anchor_and_words(query: str) -> tuple[datetime | None, str]:
    """A 'next' list remembers the moment it was asked at and its words: '2025-02-01T10:30:00+01:00 rust'."""
    anchor_text, _, args = query.partition(" ")
    try:
        return datetime.fromisoformat(anchor_text), args
    except ValueError:
        return None, args


def _more_next(ctx: Context, query: str, offset: int) -> Reply:
    anchor, args = _anchor_and_words(query)
    return next_slot(ctx, args, offset, anchor)


def _after_next(ctx: Context, shown: LastList) -> Reply:
    """'more' once the whole next slot is shown: when the slot after it starts, and to ask 'next' again then.

    Paging on into later slots would turn 'next' into a day's list; saying when the next ones come keeps it short.
    """
    _, args = _anchor_and_words(shown.query)
    starts = [
        s.start
        for conference, _, session_id in (ref.partition(":") for ref in shown.refs)
        if (s := ctx.session(conference, session_id)) is not None and s.start is not None
    ]
    what = f" for '{args}'" if args else ""
    if not starts:
        return Reply("There is nothing more to show. Say 'next' for what starts next.")
    later = _upcoming(ctx, args, max(starts))
    again = f"'next {args}'" if args else "'next'"
    if not later:
        return Reply(ctx.about_scope(f"That's all that starts next{what}; nothing{what} starts after it."))
    first = min(h.session.start for h in later if h.session.start)
    heading = _slot_heading(ctx, later[0].conference, first)
    return Reply(
        ctx.about_scope(
            f"That's all that starts next{what}. The sessions after those start {heading}: "
            f"say {again} again once these have begun."
        )
    )


PAGERS["next"] = _more_next
ENDINGS["next"] = _after_next


def _day(ctx: Context, args: str) -> Reply:
    text = ctx.incoming.text if ctx.incoming.text else args
    return run_search(ctx, text, kind="search")


@command("today", usage="today [words]")
def today(ctx: Context, args: str) -> Reply:
    """What is on today, in time order ("today afternoon")."""
    return _day(ctx, args)


@command("tomorrow", usage="tomorrow [words]")
def tomorrow(ctx: Context, args: str) -> Reply:
    """What is on tomorrow, in time order ("tomorrow morning")."""
    return _day(ctx, args)


@command("day", usage="monday … sunday, day 2 [words]", aliases=WEEKDAYS)
def day(ctx: Context, args: str) -> Reply:
    """What is on a given day: a weekday name or "day 2", in time order."""
    return _day(ctx, args)


@command("about", usage="about <session>", aliases=("details", "info", "show", "details zu", "infos zu"))
def about(ctx: Context, args: str) -> Reply:
    """Everything about one session, and what runs at the same time.

    The abstract, speakers, room, time and link."""
    found = ctx.resolve(args)
    if found.session is None:
        return not_resolved(ctx, found, "about")
    refs = ctx.last_list().refs
    ref = f"{found.conference}:{found.session.id}"
    number = refs.index(ref) + 1 if ref in refs else None
    scope = ctx.scope()
    several = bool(scope and scope.several)
    card = ctx.card(found.conference, found.session, number=number, detailed=True, labelled=several)
    return Reply(found.session.title, (card,))


@command("track", usage="track <name>", aliases=("devroom",))
def track(ctx: Context, args: str) -> Reply:
    """The sessions of one track, in time order ("track databases")."""
    if not args.strip():
        return tracks(ctx, "")
    return run_search(ctx, f"{args} track")


def _listing(ctx: Context, attribute: str) -> list[tuple[str, list[tuple[str, int]]]]:
    index = ctx.engine().index
    out = []
    for slug, conf in index.conferences.items():
        if ctx.conference not in (None, slug):
            continue
        counts = Counter(getattr(s, attribute) for s in index.sessions_of(slug))
        counts.pop("", None)
        out.append((label(conf), sorted(counts.items(), key=lambda kv: kv[0].casefold())))
    return out


def _listing_reply(ctx: Context, noun: str) -> Reply:
    """'FOSDEM 2026: 30 rooms' and each with its count; a schedule with one room says '1 room'."""
    lines = []
    for title, items in _listing(ctx, noun):
        lines.append(f"{title}: {counted(len(items), noun)}")
        shown = items[: ctx.limit] if ctx.limit else items
        lines += [f"  {name} ({count})" for name, count in shown]
        if len(shown) < len(items):
            lines.append(f"  … {len(items) - len(shown)} more")
    return Reply("\n".join(lines) if lines else f"No {noun}s: import a schedule first.")


@command("tracks", usage="tracks")
def tracks(ctx: Context, args: str) -> Reply:
    """All tracks with how many sessions each has."""
    return _listing_reply(ctx, "track")


@command("rooms", usage="rooms", aliases=("räume", "säle"))
def rooms(ctx: Context, args: str) -> Reply:
    """All rooms with how many sessions each holds."""
    return _listing_reply(ctx, "room")
