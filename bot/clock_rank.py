"""The clock in the ranking: during a conference, what can still be attended comes before what is over.

The search engine ranks by relevance alone; this reorders its full hit list afterwards, so a finished talk
never fills the top of a list while upcoming ones match. Before or after the conference nothing moves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import TypeVar

from bot.scope import today_in
from catalog.model import Conference, Session
from catalog.times import tz_from_name

T = TypeVar("T")
DEFAULT_LENGTH = timedelta(minutes=30)


def in_progress(conf: Conference | None, now: datetime) -> bool:
    if conf is None or conf.start is None:
        return False
    return conf.start <= today_in(conf, now) <= (conf.end or conf.start)


def ended(session: Session, now: datetime) -> bool:
    if session.start is None:
        return False
    return (session.end or session.start + DEFAULT_LENGTH) <= now


def running(session: Session, now: datetime) -> bool:
    return session.start is not None and session.start <= now and not ended(session, now)


def upcoming_first(items: Sequence[T], session_of: Callable[[T], Session], now: datetime) -> list[T]:
    """A stable split: relevance order is kept inside both halves."""
    later = [i for i in items if not ended(session_of(i), now)]
    over = [i for i in items if ended(session_of(i), now)]
    return later + over


def status(session: Session, now: datetime, zone: str, conf: Conference | None) -> str:
    """'now, until 11:30' for a running session; 'ended' once it is over, while its conference runs."""
    if running(session, now):
        end = session.end or (session.start + DEFAULT_LENGTH if session.start else now)
        return f"now, until {end.astimezone(tz_from_name(zone)):%H:%M}"
    if ended(session, now) and in_progress(conf, now):
        return "ended"
    return ""
