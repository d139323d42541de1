"""What is due: computed from the agenda, the channels and the catalog in SQLite, never kept in memory.

- a reminder: a person's saved session, at its start minus their lead time (or at a snooze time);
- an announcement: one post per channel per time slot, a few minutes before the slot;
- a digest: the day's sessions for a channel that asked for one, early in the morning;
- a notice: a message decided earlier (a schedule change), queued in the deliveries table.
Every delivery has a key naming who or which channel, what, which kind and which start time, so a moved
session gets a new reminder while the old key is never used again.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlite_utils import Database

from bot.store.agenda import DEFAULT_LEAD_MINUTES
from bot.store.channels import Route
from catalog.times import tz_from_name

DIGEST_HOUR = time(8, 0)
NOTICE_LIFETIME = timedelta(days=1)
REMINDER_GRACE = timedelta(minutes=5)  # how late a reminder (or an announcement) may still go, marked as late


@dataclass(frozen=True)
class Due:
    key: str
    kind: str  # reminder, announcement, digest, notice (to a person), bulletin (to a channel)
    platform: str
    workspace: str
    address: str  # user id for reminders and notices to people, channel id otherwise
    conference: str
    session_id: str
    starts_at: datetime  # when the thing it is about starts
    due_at: datetime
    expires_at: datetime  # past this, sending is pointless: skipped and logged instead
    payload: str = ""  # for announcements and digests: the sessions (refs); for notices: the message

    @property
    def to_channel(self) -> bool:
        return self.kind in ("announcement", "digest", "bulletin")


_SAVED = """
SELECT a.platform, a.workspace, a.user, a.conference, a.session_id, a.snoozed_until,
       s.start, coalesce(st.lead_minutes, ?) AS lead, a.saved_at
FROM sessions s
JOIN agenda a ON a.conference = s.conference AND a.session_id = s.id
LEFT JOIN settings st ON st.platform = a.platform AND st.workspace = a.workspace AND st.user = a.user
WHERE s.start != '' AND s.start_utc > ? AND s.start_utc <= ? AND coalesce(a.snoozed_until, '') = ''
"""
_SNOOZED = """
SELECT a.platform, a.workspace, a.user, a.conference, a.session_id, a.snoozed_until, s.start, 0, a.saved_at
FROM agenda a
JOIN sessions s ON s.conference = a.conference AND s.id = a.session_id
WHERE a.snoozed_until > '' AND a.snoozed_until <= ? AND s.start != '' AND s.start_utc > ?
"""


def reminder_key(
    platform: str, workspace: str, user: str, conference: str, session_id: str, start: datetime, snoozed: str = ""
) -> str:
    parts = ["reminder", platform, workspace, user, conference, session_id, start.isoformat()]
    if snoozed:
        parts.append(f"snooze={snoozed}")
    return "|".join(parts)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def max_lead(db: Database) -> int:
    """The longest lead anyone chose: bounds how far ahead of now a due reminder's session can start."""
    row = db.execute("SELECT max(lead_minutes) FROM settings").fetchone()
    return max(DEFAULT_LEAD_MINUTES, int(row[0] or 0))


def reminder_due(row: tuple[str, str, str, str, str, str | None, str, int, str]) -> Due | None:
    """The reminder of one saved session; None when it was saved only after its reminder time had passed
    (saying 'starting in 5 minutes' late about a talk just chosen would be noise; the save said so instead)."""
    platform, workspace, user, conference, session_id, snoozed, start_text, lead, saved_text = row
    start = datetime.fromisoformat(start_text)
    due_at = datetime.fromisoformat(snoozed) if snoozed else start - timedelta(minutes=int(lead))
    key = reminder_key(platform, workspace, user, conference, session_id, start, snoozed or "")
    # A reminder may still go a little after the start (marked as late), so a lead of 0 sends at the start.
    expires = start + REMINDER_GRACE
    if not snoozed and _saved_after(saved_text, due_at):
        return None
    return Due(key, "reminder", platform, workspace, user, conference, session_id, start, due_at, expires)


def _saved_after(saved_text: str | None, due_at: datetime) -> bool:
    try:
        saved_at = datetime.fromisoformat(saved_text or "")
    except ValueError:
        return False  # a row from before saves were timed: remind as always
    return saved_at.tzinfo is not None and saved_at >= due_at


def due_reminders(db: Database, after: datetime, until: datetime) -> list[Due]:
    """Reminders of sessions starting after `after` that are due by `until`: an indexed range of sessions
    (start within the longest lead of `until`) and of snoozes, never every saved session."""
    horizon = until + timedelta(minutes=max_lead(db))
    rows = db.execute(_SAVED, [DEFAULT_LEAD_MINUTES, _iso(after), _iso(horizon)]).fetchall()
    rows += db.execute(_SNOOZED, [_iso(until), _iso(after)]).fetchall()
    found = [d for r in rows if (d := reminder_due(tuple(r))) is not None]
    return [d for d in found if d.due_at <= until]


def pending_reminders(db: Database, after: datetime) -> list[Due]:
    """Every reminder of a session that starts after `after`, due or not (for inspection and small stores)."""
    return due_reminders(db, after, datetime.max.replace(tzinfo=UTC) - timedelta(days=2))


def _sessions_after(db: Database, after: datetime) -> list[tuple[str, str, datetime, str, str]]:
    rows = db.execute(
        "SELECT conference, id, start, track, room FROM sessions WHERE start != '' AND start_utc > ? "
        "ORDER BY start_utc",
        [after.astimezone(UTC).isoformat()],
    ).fetchall()
    return [(r[0], r[1], datetime.fromisoformat(r[2]), r[3] or "", r[4] or "") for r in rows]


def pending_announcements(db: Database, routes: list[Route], after: datetime) -> list[Due]:
    """One post per channel per slot, listing every session starting then that any of its routes covers."""
    if not routes:
        return []
    slots: dict[tuple[str, str, str, datetime], list[str]] = defaultdict(list)
    leads: dict[tuple[str, str, str, datetime], int] = {}
    for conference, session_id, start, track, room in _sessions_after(db, after):
        for route in routes:
            if route.covers(conference, track, room):
                slot = (route.platform, route.workspace, route.channel, start)
                ref = f"{conference}:{session_id}"
                if ref not in slots[slot]:
                    slots[slot].append(ref)
                leads[slot] = max(leads.get(slot, 0), route.lead_minutes)
    found = []
    for (platform, workspace, channel, start), refs in slots.items():
        key = "|".join(["announcement", platform, workspace, channel, start.astimezone(UTC).isoformat()])
        lead = leads[(platform, workspace, channel, start)]
        due_at = start - timedelta(minutes=lead)
        # A channel hears about a slot before it starts; only a lead of 0 posts at the start, within the grace.
        expires = start + REMINDER_GRACE if lead == 0 else start
        conference = refs[0].split(":", 1)[0]
        found.append(
            Due(
                key,
                "announcement",
                platform,
                workspace,
                channel,
                conference,
                "",
                start,
                due_at,
                expires,
                json.dumps(refs),
            )
        )
    return found


def pending_digests(db: Database, routes: list[Route], zones: dict[str, str], after: datetime) -> list[Due]:
    """A morning list of the day for channels that asked for one: at 08:00, or an hour before the first talk."""
    wanted = [r for r in routes if r.digest]
    if not wanted:
        return []
    days: dict[tuple[str, str, str, date], list[tuple[datetime, str]]] = defaultdict(list)
    for conference, session_id, start, track, room in _sessions_after(db, after - timedelta(days=1)):
        local = start.astimezone(tz_from_name(zones.get(conference) or "UTC"))
        for route in wanted:
            if route.covers(conference, track, room):
                days[(route.platform, route.workspace, route.channel, local.date())].append(
                    (start, f"{conference}:{session_id}")
                )
    found = []
    for (platform, workspace, channel, day), items in days.items():
        items.sort()
        first = items[0][0]
        morning = datetime.combine(day, DIGEST_HOUR, tzinfo=first.tzinfo)
        due_at = min(morning, first - timedelta(hours=1))
        key = "|".join(["digest", platform, workspace, channel, day.isoformat()])
        refs = [ref for _, ref in items]
        found.append(
            Due(
                key,
                "digest",
                platform,
                workspace,
                channel,
                refs[0].split(":", 1)[0],
                "",
                first,
                due_at,
                first,
                json.dumps(refs),
            )
        )
    return found


def queued_notices(db: Database) -> list[Due]:
    rows = db.execute(
        "SELECT key, kind, platform, workspace, address, conference, session_id, due_at, payload FROM deliveries "
        "WHERE kind IN ('notice', 'bulletin') AND state IN ('pending', 'claimed', 'failed')"
    ).fetchall()
    found = []
    for key, kind, platform, workspace, address, conference, session_id, due_text, payload in rows:
        due_at = datetime.fromisoformat(due_text)
        found.append(
            Due(
                key,
                kind,
                platform,
                workspace,
                address,
                conference,
                session_id,
                due_at,
                due_at,
                due_at + NOTICE_LIFETIME,
                payload or "",
            )
        )
    return found


def queue_notice(
    db: Database,
    key: str,
    platform: str,
    workspace: str,
    address: str,
    conference: str,
    session_id: str,
    now: datetime,
    message: str,
    to_channel: bool = False,
) -> bool:
    """Queue a message for a person (or a channel); the same key twice queues it once."""
    cursor = db.execute(
        "INSERT OR IGNORE INTO deliveries (key, kind, platform, workspace, address, conference, session_id, "
        "session_start, due_at, state, claimed_by, claimed_at, sent_at, attempts, next_attempt_at, error, payload) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', '', '', '', 0, '', '', ?)",
        [
            key,
            "bulletin" if to_channel else "notice",
            platform,
            workspace,
            address,
            conference,
            session_id,
            now.astimezone(UTC).isoformat(),
            now.astimezone(UTC).isoformat(),
            message,
        ],
    )
    return bool(cursor.rowcount)
