"""The reminders a person was last sent, read from the deliveries ledger: what 'snooze' and 'forget it' mean
right after one arrived, on whichever platform, and whichever process sent it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from bot.messages import Person

# Enough for every reminder of one slot; anything older has been answered or ignored.
KEPT = 5
# How long a reminder stays 'the one just received': long enough to read it and answer, short enough that
# one from an hour ago never stands in for what the person is looking at now.
JUST_RECEIVED = timedelta(minutes=30)


@dataclass(frozen=True)
class SentReminder:
    conference: str
    session_id: str
    sent_at: datetime

    @property
    def ref(self) -> str:
        return f"{self.conference}:{self.session_id}"


def sent_reminders(
    db: Database, person: Person, since: datetime | None = None, until: datetime | None = None
) -> list[SentReminder]:
    """Reminders sent to `person` after `since` and up to `until` (when given), oldest first, one per session,
    at most KEPT. Sent at the same moment, they come in the order of their sessions' ids, so a numbered
    choice between them reads the same every time."""
    rows = db.execute(
        "SELECT conference, session_id, max(sent_at) AS at FROM deliveries WHERE kind = 'reminder' AND state = 'sent' "
        "AND platform = ? AND workspace = ? AND address = ? AND sent_at > ? AND sent_at <= ? "
        "GROUP BY conference, session_id ORDER BY at DESC, conference DESC, session_id DESC LIMIT ?",
        [
            person.platform,
            person.workspace,
            person.user,
            since.astimezone(UTC).isoformat() if since else "",
            until.astimezone(UTC).isoformat() if until else "~",
            KEPT,
        ],
    ).fetchall()
    return [SentReminder(c, s, datetime.fromisoformat(at)) for c, s, at in reversed(rows)]


def just_received(db: Database, person: Person, now: datetime, after: datetime | None = None) -> list[SentReminder]:
    """Reminders delivered shortly before `now` (never after it: a store shared with a run on a later clock
    holds deliveries from this person's future) and after `after`, the last thing they turned to."""
    since = now - JUST_RECEIVED
    if after is not None and after > since:
        since = after
    return sent_reminders(db, person, since, now)
