"""What is on: now, next, a day; details of one session; speakers, tracks and rooms."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from bot.commands.registry import command
from bot.commands.search import not_resolved, run_search, search_reply
from bot.context import Context
from bot.messages import Reply
from bot.search.engine import Hit
from catalog.times import tz_from_name

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _clock(ctx: Context, conference: str, moment: datetime) -> str:
    return moment.astimezone(tz_from_name(ctx.zone_for(conference))).strftime("%a %H:%M")


@command("now", usage="now [words]", aliases=("what's on now", "whats on now", "on now", "happening now"))
def now(ctx: Context, args: str) -> Reply:
    """What is running right now (optionally only matching some words: "now rust")."""
    result = ctx.engine().search(f"{args} now", now=ctx.now(), conference=ctx.conference, limit=ctx.page_size)
    if result.hits:
        return search_reply(ctx, result, f"{args} now")
    reply = next_slot(ctx, args)
    return Reply(
        "Nothing is running right now. " + reply.text, reply.cards, reply.actions, reply.notes, groups=reply.groups
    )


@command("next", usage="next [words]", aliases=("what's next", "whats next", "up next", "coming up"))
def next_(ctx: Context, args: str) -> Reply:
    """What starts next, grouped by time slot (optionally only matching some words: "next kernel")."""
    return next_slot(ctx, args)


def next_slot(ctx: Context, args: str) -> Reply:
    result = ctx.engine().search(f"{args} next", now=ctx.now(), conference=ctx.conference, limit=200)
    hits = [h for h in result.hits if h.session.start and h.session.start > ctx.now()]
    if not hits:
        what = f" for '{args}'" if args else ""
        return Reply(f"Nothing{what} starts in the next three hours.")
    hits.sort(key=lambda h: (h.session.start, h.session.room))
    slots: list[datetime] = []
    chosen: list[Hit] = []
    for hit in hits:
        start = hit.session.start
        assert start is not None
        if start not in slots:
            if len(slots) >= 1 and len(chosen) >= 3 or len(slots) >= 3:
                break
            slots.append(start)
        chosen.append(hit)
    chosen = chosen[: max(ctx.page_size, 10)]
    groups = []
    for slot in slots:
        count = sum(1 for h in chosen if h.session.start == slot)
        if count:
            minutes = int((slot - ctx.now()).total_seconds() // 60)
            groups.append((f"{_clock(ctx, chosen[0].conference, slot)} (in {minutes} min)", count))
    return ctx.list_reply("Starting next:", chosen, total=len(chosen), query="", kind="next", groups=tuple(groups))


def _day(ctx: Context, args: str) -> Reply:
    text = ctx.incoming.text if ctx.incoming.text else args
    return run_search(ctx, text, kind="search")


@command("today", usage="today [words]")
def today(ctx: Context, args: str) -> Reply:
    """What is on today, in time order ("today afternoon", "today kernel")."""
    return _day(ctx, args)


@command("tomorrow", usage="tomorrow [words]")
def tomorrow(ctx: Context, args: str) -> Reply:
    """What is on tomorrow, in time order ("tomorrow morning")."""
    return _day(ctx, args)


@command("day", usage="monday … sunday, day 2 [words]", aliases=WEEKDAYS)
def day(ctx: Context, args: str) -> Reply:
    """What is on a given day: a weekday name or "day 2", in time order."""
    return _day(ctx, args)


@command("about", usage="about <session>", aliases=("details", "info", "show"))
def about(ctx: Context, args: str) -> Reply:
    """Everything about one session: abstract, speakers, room, time, link, and what runs at the same time."""
    found = ctx.resolve(args)
    if found.session is None:
        return not_resolved(ctx, found, "about")
    return Reply(found.session.title, (ctx.card(found.conference, found.session, detailed=True),))


@command("speaker", usage="speaker <name>", aliases=("by",))
def speaker(ctx: Context, args: str) -> Reply:
    """Sessions given by someone; part of a name is enough ("speaker lennart")."""
    if not args.strip():
        return Reply("Whose sessions? Try 'speaker <name>'.")
    return run_search(ctx, f"by {args}")


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
        counts = Counter(getattr(d.session, attribute) for d in index.docs if d.conference == slug)
        counts.pop("", None)
        out.append((conf.title, sorted(counts.items(), key=lambda kv: kv[0].casefold())))
    return out


def _listing_reply(ctx: Context, attribute: str, noun: str) -> Reply:
    lines = []
    for title, items in _listing(ctx, attribute):
        lines.append(f"{title}: {len(items)} {noun}")
        lines += [f"  {name} ({count})" for name, count in items]
    return Reply("\n".join(lines) if lines else f"No {noun}: import a schedule first.")


@command("tracks", usage="tracks")
def tracks(ctx: Context, args: str) -> Reply:
    """All tracks with how many sessions each has."""
    return _listing_reply(ctx, "track", "tracks")


@command("rooms", usage="rooms")
def rooms(ctx: Context, args: str) -> Reply:
    """All rooms with how many sessions each holds."""
    return _listing_reply(ctx, "room", "rooms")
