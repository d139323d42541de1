"""'meanwhile': everything else on while one session runs, as a list a number can pick from.

A session's details name only a few of the sessions at the same time; someone choosing between them
("what else is on at the same time?") wants all of them, numbered, so 'remind 3' or 'about 3' works next.
"""

from __future__ import annotations

from datetime import datetime

from bot.commands.agenda import clock_time
from bot.commands.registry import command
from bot.commands.search import PAGERS, not_resolved, placeholder, sessions
from bot.context import Context
from bot.messages import Reply
from bot.search.engine import Hit
from catalog.model import Session


@command(
    "meanwhile",
    usage="meanwhile [<session>]",
    aliases=(
        "same time as",
        "same time",
        "at the same time as",
        "at the same time",
        "gleichzeitig mit",
        "gleichzeitig",
    ),
)
def meanwhile(ctx: Context, args: str) -> Reply:
    """What else is on while a session runs, nearest first.

    Without a session it is about the one just shown ("what else is on at the same time?",
    "was läuft gleichzeitig?"); or name one: "meanwhile 2", "same time as the third one"."""
    return _page(ctx, args.strip() or "it", 0)


def _page(ctx: Context, named: str, offset: int) -> Reply:
    found = ctx.resolve(named)
    if found.session is None:
        return not_resolved(ctx, found, "meanwhile")
    conference, session = found.conference, found.session
    if session.start is None or session.end is None:
        return Reply(f"“{session.title}” has no time yet, so I can't say what runs beside it.")
    others = _beside(ctx, conference, session)
    if not others:
        return Reply(f"Nothing else is on during “{session.title}”.")
    when = f"{clock_time(ctx, conference, session.start)}–{clock_time(ctx, conference, session.end)[-5:]}"
    reachable = [hit for hit in others if not _ended(hit.session, ctx.now())]
    ended = len(others) - len(reachable)
    lead = "More" if offset else sessions(len(others))
    heading = f"{lead} at the same time as “{session.title}” ({when}):"
    if reachable and ended:
        # Someone choosing where to go next wants what they can still walk into, not the morning they missed.
        others = reachable
        lead = "More" if offset else f"{sessions(len(others))} you can still go to"
        heading = f"{lead} at the same time as “{session.title}” ({when}; {ended} already ended, not shown):"
    return ctx.list_reply(
        ctx.about_scope(heading),
        others[offset : offset + ctx.page_size],
        total=len(others),
        query=f"{conference}:{session.id}",
        kind="meanwhile",
        offset=offset,
    )


def _ended(session: Session, now: datetime) -> bool:
    return session.end is not None and session.end <= now


def _beside(ctx: Context, conference: str, session: Session) -> list[Hit]:
    """Sessions of the same conference overlapping it: those one can still go to first, soonest first (running
    ones from now); then those already over, starting nearest to its start first."""
    index = ctx.whole().index
    start = session.start
    assert start is not None
    now = ctx.now()

    def distance(other: Session) -> tuple[bool, float, datetime, str, str]:
        begins = other.start or start
        over = _ended(other, now)
        wait = abs((begins - start).total_seconds()) if over else max(0.0, (begins - now).total_seconds())
        return over, wait, begins, other.room, other.title

    found = [s for s in index.overlapping(conference, session, limit=index.n) if not placeholder(s)]
    return [Hit(conference, s, 0.0, ()) for s in sorted(found, key=distance)]


PAGERS["meanwhile"] = lambda ctx, query, offset: _page(ctx, query, offset)
