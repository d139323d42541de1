"""Schedule-change notices handed over with a person's next reply, in whichever adapter they write from.

A sync queues a notice for everyone who saved a moved or removed session; the dispatcher sends it when it
wakes, but a console or a quiet bot may not wake before the person asks something. Whoever takes a pending
notice first (this or the dispatcher) marks it, so it arrives once.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from sqlite_utils import Database

from bot.messages import Person
from bot.store.faults import is_read_only

MAX_SHOWN = 10


def take(db: Database, person: Person, now: datetime) -> list[str]:
    """Nothing when the store refuses the write: a notice shown but not marked would be shown again and again."""
    try:
        return _take(db, person, now)
    except sqlite3.DatabaseError as exc:
        if not is_read_only(exc):
            raise
        return []


def _take(db: Database, person: Person, now: datetime) -> list[str]:
    rows = db.execute(
        "SELECT key, payload FROM deliveries WHERE kind = 'notice' AND state = 'pending' AND platform = ? "
        "AND workspace = ? AND address = ? ORDER BY due_at, key",
        [person.platform, person.workspace, person.user],
    ).fetchall()
    taken = []
    stamp = now.astimezone(UTC).isoformat()
    for key, payload in rows[:MAX_SHOWN]:
        cursor = db.execute(
            "UPDATE deliveries SET state = 'sent', sent_at = ?, claimed_by = 'reply', claimed_at = ? "
            "WHERE key = ? AND state = 'pending'",
            [stamp, stamp, key],
        )
        if cursor.rowcount and payload:
            taken.append(str(payload))
    return taken
