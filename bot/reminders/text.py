"""What a reminder says: the session, how soon it starts (the true remaining time), and what can be done."""

from __future__ import annotations

from datetime import datetime

from bot.messages import Action, Card, Reply
from bot.reminders.due import Due
from catalog.model import Session


def minutes_until(start: datetime, now: datetime) -> int:
    return max(0, int(round((start - now).total_seconds() / 60)))


def reminder_reply(due: Due, session: Session, zone: str, now: datetime) -> Reply:
    minutes = minutes_until(due.session_start, now)
    soon = "now" if minutes == 0 else f"in {minutes} minute{'s' if minutes != 1 else ''}"
    where = f" in {session.room}" if session.room else ""
    people = f" with {', '.join(session.speaker_names)}" if session.speakers else ""
    ref = f"{due.conference}:{session.id}"
    actions = (Action("snooze", "Snooze 5 min", ref), Action("forget", "Forget", ref))
    card = Card(due.conference, session, zone, saved=True, actions=actions)
    return Reply(f"⏰ Starting {soon}{where}: “{session.title}”{people}.", (card,), actions, private=True)
