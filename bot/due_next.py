"""What `confbot reminders status` says is due next: the next few reminder times, what for, and for how many.

An organiser checking the bot before a conference day wants to see that reminders are lined up (and when the
first goes), not only what was sent; the due times are computed as the dispatcher computes them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from bot.reminders.due import pending_reminders

SHOWN = 5


@dataclass(frozen=True)
class DueNext:
    at: datetime
    conference: str
    session_id: str
    people: int


def due_next(db: Database, now: datetime, limit: int = SHOWN) -> list[DueNext]:
    """Reminders not yet delivered, soonest first, one row per moment and session with the number of people."""
    pending = [d for d in pending_reminders(db, now) if d.expires_at > now]
    keys = [d.key for d in pending]
    done: set[str] = set()
    for start in range(0, len(keys), 500):  # SQLite's limit on bound values
        chunk = keys[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        done |= {row[0] for row in db.execute(f"SELECT key FROM deliveries WHERE key IN ({marks})", chunk)}
    counts = Counter((d.due_at, d.conference, d.session_id) for d in pending if d.key not in done)
    soonest = sorted(counts.items(), key=lambda item: (item[0][0], item[0][1], item[0][2]))[:limit]
    return [DueNext(at, conference, session_id, people) for (at, conference, session_id), people in soonest]
