"""The reminders a person was last sent, read from the deliveries ledger: what 'snooze' and 'forget it' mean
right after one arrived, on whichever platform, and whichever process sent it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlite_utils import Database

from bot.messages import Person

# Enough for every reminder of one slot; anything older has been answered or ignored.
KEPT = 5


@dataclass(frozen=True)
class SentReminder:
    conference: str
    session_id: str
    sent_at: datetime

    @property
    def ref(self) -> str:
        return f"{self.conference}:{self.session_id}"


def sent_reminders(db: Database, person: Person, since: datetime | None = None) -> list[SentReminder]:
    """Reminders sent to `person` (after `since`, when given), oldest first, one per session, at most KEPT."""
    rows = db.execute(
        "SELECT conference, session_id, max(sent_at) AS at FROM deliveries WHERE kind = 'reminder' AND state = 'sent' "
        "AND platform = ? AND workspace = ? AND address = ? AND sent_at > ? "
        "GROUP BY conference, session_id ORDER BY at DESC LIMIT ?",
        [person.platform, person.workspace, person.user, since.astimezone(UTC).isoformat() if since else "", KEPT],
    ).fetchall()
    return [SentReminder(c, s, datetime.fromisoformat(at)) for c, s, at in reversed(rows)]
