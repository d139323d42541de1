"""What a reminder says: the session, how soon it starts (the true remaining time), and what can be done."""

from __future__ import annotations

from datetime import datetime

from bot.messages import Action, Card, Reply
from bot.reminders.due import Due
from catalog.model import Session
from catalog.text import counted


def minutes_until(start: datetime, now: datetime) -> int:
    return max(0, int(round((start - now).total_seconds() / 60)))


def how_soon(start: datetime, now: datetime) -> str:
    """'Starting in 5 minutes', 'Starting now', or, for one sent in the grace after the start, 'Started 2 minutes
    ago': a late reminder says so rather than pretending the talk is still ahead."""
    late = int((now - start).total_seconds() // 60)
    if late >= 1:
        return f"Started {counted(late, 'minute')} ago"
    minutes = minutes_until(start, now)
    return "Starting now" if minutes == 0 else f"Starting in {counted(minutes, 'minute')}"


def reminder_reply(due: Due, session: Session, zone: str, now: datetime) -> Reply:
    soon = how_soon(due.starts_at, now)
    where = f" in {session.room}" if session.room else ""
    people = f" with {', '.join(session.speaker_names)}" if session.speakers else ""
    ref = f"{due.conference}:{session.id}"
    actions = (Action("snooze", "Snooze 5 min", ref), Action("forget", "Forget", ref))
    card = Card(due.conference, session, zone, saved=True, actions=actions)
    return Reply(f"⏰ {soon}{where}: “{session.title}”{people}.", (card,), actions, private=True)


def announcement_reply(due: Due, items: list[tuple[str, Session]], zone: str, now: datetime) -> Reply:
    """One post for the whole slot: everything starting then, room by room."""
    soon = how_soon(due.starts_at, now)
    items = sorted(items, key=lambda cs: (cs[1].room, cs[1].title))
    cards = tuple(
        Card(conference, s, zone, actions=(Action("remind", "Remind me", f"{conference}:{s.id}"),))
        for conference, s in items
    )
    return Reply(f"📣 {soon}: {counted(len(items), 'session')}.", cards, private=False)


def digest_reply(due: Due, items: list[tuple[str, Session]], zone: str) -> Reply:
    """The day at a glance: how many sessions, and the first few in time order."""
    from catalog.times import tz_from_name

    day = due.starts_at.astimezone(tz_from_name(zone)).strftime("%A %d %B")
    shown = items[:10]
    cards = tuple(Card(conference, s, zone) for conference, s in shown)
    more = f" The first {len(shown)} are below; ask me 'today' for the rest." if len(items) > len(shown) else ""
    return Reply(f"☀ Today, {day}: {counted(len(items), 'session')}.{more}", cards, private=False)


def notice_reply(due: Due) -> Reply:
    """A message decided earlier; to a channel (a bulletin) it is for everyone there."""
    return Reply(due.payload, private=due.kind != "bulletin")
