"""What changed since the dispatcher last looked, so a chat message costs O(changes), not O(every agenda).

Triggers append a row to `reminder_changes` whenever someone saves or snoozes a session, changes their lead
time, or a conference is re-imported. `poke()` reads only the rows after the last id it saw (an indexed range
on the primary key) and works out the earliest due time among the reminders those rows touch. The schema is
created here, idempotently, by the dispatcher rather than by a migration, so the reminders can own it; every
statement is IF NOT EXISTS and safe when several processes start at once.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.reminders.due import REMINDER_GRACE, reminder_due
from bot.store.agenda import DEFAULT_LEAD_MINUTES
from bot.store.faults import is_read_only

KEEP_CHANGES = 10_000  # rows kept behind the newest, for other processes that have not looked yet

SCHEMA = [
    "CREATE TABLE IF NOT EXISTS reminder_changes (id INTEGER PRIMARY KEY AUTOINCREMENT, platform TEXT, "
    "workspace TEXT, user TEXT, conference TEXT, session_id TEXT)",
    # What the due-window queries range over: session starts and snoozes, and the longest lead anyone chose.
    "CREATE INDEX IF NOT EXISTS reminders_sessions_start ON sessions(start_utc)",
    "CREATE INDEX IF NOT EXISTS reminders_agenda_snoozed ON agenda(snoozed_until) WHERE snoozed_until > ''",
    "CREATE INDEX IF NOT EXISTS reminders_settings_lead ON settings(lead_minutes)",
    "CREATE INDEX IF NOT EXISTS reminders_deliveries_claims ON deliveries(state, claimed_by)",
    "CREATE TRIGGER IF NOT EXISTS reminders_saved AFTER INSERT ON agenda BEGIN "
    "INSERT INTO reminder_changes (platform, workspace, user, conference, session_id) "
    "VALUES (new.platform, new.workspace, new.user, new.conference, new.session_id); END",
    "CREATE TRIGGER IF NOT EXISTS reminders_snoozed AFTER UPDATE OF snoozed_until ON agenda BEGIN "
    "INSERT INTO reminder_changes (platform, workspace, user, conference, session_id) "
    "VALUES (new.platform, new.workspace, new.user, new.conference, new.session_id); END",
    "CREATE TRIGGER IF NOT EXISTS reminders_lead_set AFTER INSERT ON settings BEGIN "
    "INSERT INTO reminder_changes (platform, workspace, user) VALUES (new.platform, new.workspace, new.user); END",
    "CREATE TRIGGER IF NOT EXISTS reminders_lead_changed AFTER UPDATE OF lead_minutes ON settings BEGIN "
    "INSERT INTO reminder_changes (platform, workspace, user) VALUES (new.platform, new.workspace, new.user); END",
    # A re-import can move any session: the row names only the conference, which asks for a full recompute.
    "CREATE TRIGGER IF NOT EXISTS reminders_reimported AFTER UPDATE ON conferences BEGIN "
    "INSERT INTO reminder_changes (conference) VALUES (new.slug); END",
    "CREATE TRIGGER IF NOT EXISTS reminders_channel_added AFTER INSERT ON channels BEGIN "
    "INSERT INTO reminder_changes (conference) VALUES (new.conference); END",
]

_PERSON = """
SELECT a.platform, a.workspace, a.user, a.conference, a.session_id, a.snoozed_until, s.start,
       coalesce(st.lead_minutes, ?), a.saved_at
FROM agenda a
JOIN sessions s ON s.conference = a.conference AND s.id = a.session_id
LEFT JOIN settings st ON st.platform = a.platform AND st.workspace = a.workspace AND st.user = a.user
WHERE a.platform = ? AND a.workspace = ? AND a.user = ? AND s.start != '' AND s.start_utc > ?
"""


def ensure_schema(conn: sqlite3.Connection) -> None:
    try:
        for statement in SCHEMA:
            conn.execute(statement)
    except sqlite3.OperationalError as exc:
        if not is_read_only(exc):
            raise
        # A store this process may only read: nothing here can save a change, but the dispatcher still reads
        # the log, so a private empty one stands in for the one the store never got.
        conn.execute(SCHEMA[0].replace("CREATE TABLE", "CREATE TEMP TABLE", 1))


def latest_change(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT max(id) FROM reminder_changes").fetchone()
    return int(row[0] or 0)


@dataclass(frozen=True)
class Changed:
    """The earliest due time among what changed (None: nothing due later than now), and whether only a full
    recompute can tell (a re-import, or more changes than are worth reading one by one)."""

    last_id: int
    earliest: datetime | None
    needs_full: bool


def read_changes(conn: sqlite3.Connection, since_id: int, now: datetime, limit: int = 500) -> Changed:
    rows = conn.execute(
        "SELECT id, platform, workspace, user FROM reminder_changes WHERE id > ? ORDER BY id LIMIT ?",
        [since_id, limit + 1],
    ).fetchall()
    if not rows:
        return Changed(since_id, None, False)
    if len(rows) > limit or any(r[1] is None for r in rows):
        return Changed(latest_change(conn), None, True)
    people = {(r[1], r[2], r[3]) for r in rows}
    horizon = (now - REMINDER_GRACE).isoformat()
    earliest: datetime | None = None
    for platform, workspace, user in people:
        for row in conn.execute(_PERSON, [DEFAULT_LEAD_MINUTES, platform, workspace, user, horizon]).fetchall():
            due = reminder_due(tuple(row))
            if due is None or due.expires_at <= now or (earliest is not None and due.due_at >= earliest):
                continue
            if due.due_at <= now and _recorded(conn, due.key):
                continue  # already delivered (or given up): nothing to wake for
            earliest = due.due_at
    return Changed(int(rows[-1][0]), earliest, False)


def _recorded(conn: sqlite3.Connection, key: str) -> bool:
    return conn.execute("SELECT 1 FROM deliveries WHERE key = ? AND state != 'pending'", [key]).fetchone() is not None


def prune(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM reminder_changes WHERE id <= (SELECT max(id) FROM reminder_changes) - ?", [KEEP_CHANGES])
