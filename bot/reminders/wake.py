"""The next future due time of any saved session, without turning every saved session into Python objects.

Due times are start minus lead; the store orders them in SQL over a growing horizon of session starts (an
hour of starts first, then a day, then everything), so the usual answer reads only the next slot or two.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from bot.reminders.due import max_lead
from bot.store.agenda import DEFAULT_LEAD_MINUTES

HORIZONS = (timedelta(hours=1), timedelta(days=1), None)

_NEXT = """
SELECT s.start, coalesce(st.lead_minutes, :lead) AS lead
FROM sessions s
JOIN agenda a ON a.conference = s.conference AND a.session_id = s.id
LEFT JOIN settings st ON st.platform = a.platform AND st.workspace = a.workspace AND st.user = a.user
WHERE s.start != '' AND s.start_utc > :now AND s.start_utc <= :until AND coalesce(a.snoozed_until, '') = ''
  AND unixepoch(s.start_utc) - 60 * coalesce(st.lead_minutes, :lead) > unixepoch(:now)
ORDER BY unixepoch(s.start_utc) - 60 * coalesce(st.lead_minutes, :lead)
LIMIT 50
"""

_SNOOZE = """
SELECT a.snoozed_until FROM agenda a JOIN sessions s ON s.conference = a.conference AND s.id = a.session_id
WHERE a.snoozed_until > :now AND s.start_utc > :now ORDER BY a.snoozed_until LIMIT 1
"""


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def future_wake(db: Database, now: datetime) -> datetime | None:
    """The earliest reminder due strictly after `now` (a saved session's start minus lead, or a snooze)."""
    found: datetime | None = None
    lead = max_lead(db)
    for horizon in HORIZONS:
        until = "9999" if horizon is None else _iso(now + horizon + timedelta(minutes=lead))
        args = {"lead": DEFAULT_LEAD_MINUTES, "now": _iso(now), "until": until}
        dues = [
            datetime.fromisoformat(start) - timedelta(minutes=int(minutes))
            for start, minutes in db.execute(_NEXT, args).fetchall()
        ]
        later = [d for d in dues if d > now]
        if later and (horizon is None or min(later) <= now + horizon):
            found = min(later)  # anything starting past the horizon is due after it
            break
    snooze = db.execute(_SNOOZE, {"now": _iso(now)}).fetchone()
    if snooze:
        moment = datetime.fromisoformat(snooze[0])
        found = moment if found is None else min(found, moment)
    return found
