"""Which reminders are due: computed from the agenda and the catalog in SQLite, never from memory.

A reminder is due at the session's start minus the person's lead time (or at a snooze time). Its key names
the person, the session and the start time, so a moved session gets a new reminder and the old one lapses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from bot.store.agenda import DEFAULT_LEAD_MINUTES


@dataclass(frozen=True)
class Due:
    key: str
    kind: str
    platform: str
    workspace: str
    address: str
    conference: str
    session_id: str
    session_start: datetime
    due_at: datetime


_SAVED = """
SELECT a.platform, a.workspace, a.user, a.conference, a.session_id, a.snoozed_until,
       s.start, coalesce(st.lead_minutes, ?) AS lead
FROM agenda a
JOIN sessions s ON s.conference = a.conference AND s.id = a.session_id
LEFT JOIN settings st ON st.platform = a.platform AND st.workspace = a.workspace AND st.user = a.user
WHERE s.start != '' AND s.start_utc > ?
"""


def reminder_key(
    platform: str, workspace: str, user: str, conference: str, session_id: str, start: datetime, snoozed: str = ""
) -> str:
    parts = ["reminder", platform, workspace, user, conference, session_id, start.isoformat()]
    if snoozed:
        parts.append(f"snooze={snoozed}")
    return "|".join(parts)


def pending_reminders(db: Database, after: datetime) -> list[Due]:
    """Reminders of sessions that start after `after`, whether or not they are due yet."""
    rows = db.execute(_SAVED, [DEFAULT_LEAD_MINUTES, after.astimezone(UTC).isoformat()]).fetchall()
    found = []
    for platform, workspace, user, conference, session_id, snoozed, start_text, lead in rows:
        start = datetime.fromisoformat(start_text)
        due_at = start - timedelta(minutes=int(lead))
        if snoozed:
            due_at = datetime.fromisoformat(snoozed)
        key = reminder_key(platform, workspace, user, conference, session_id, start, snoozed or "")
        found.append(Due(key, "reminder", platform, workspace, user, conference, session_id, start, due_at))
    return found
