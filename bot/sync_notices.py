"""What a schedule change tells whom: a notice to each person who saved a changed or removed session, one
summary per announcement channel, and a warning to the admins when a sync is refused or the source is down.

Planned as plain values first and written by the sync inside its one transaction. Each notice's key is
derived from the change itself, so planning the same change twice (a sync that was killed and re-run, or
two syncs racing) queues it once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from bot.reminders.due import queue_notice
from bot.store.channels import Route
from catalog.diff import Change, ScheduleDiff
from catalog.model import Conference, Session
from catalog.times import tz_from_name

SHOWN_IN_SUMMARY = 10


@dataclass(frozen=True)
class Notice:
    key: str
    platform: str
    workspace: str
    address: str  # a user, or a channel when to_channel
    session_id: str
    text: str
    to_channel: bool = False


def _when(session: Session, zone: str) -> str:
    """With the zone's abbreviation ('CEST'), as the agenda shows it: a reader who chose their own zone must not
    take a time in the conference's zone for one in theirs."""
    if session.start is None:
        return "no time yet"
    return session.start.astimezone(tz_from_name(zone)).strftime("%a %d %b %H:%M %Z")


def describe_change(change: Change, zone: str) -> str:
    before, after = change.before, change.after
    parts = []
    if "time" in change.fields or "room" in change.fields:
        now_at = f"{_when(after, zone)}" + (f" in {after.room}" if after.room else "")
        was_at = f"{_when(before, zone)}" + (f" in {before.room}" if before.room else "")
        parts.append(f"now {now_at} (was {was_at})")
    if "title" in change.fields:
        parts.append(f"is now called “{after.title}”")
    if "speakers" in change.fields:
        parts.append("speakers: " + (", ".join(after.speaker_names) or "none listed"))
    return f"“{before.title}” changed: " + "; ".join(parts or ["details were updated"]) + "."


def fingerprint(*values: object) -> str:
    return hashlib.sha1("|".join(str(v) for v in values).encode()).hexdigest()[:12]


def _savers(db: Database, slug: str, session_id: str) -> list[tuple[str, str, str, str]]:
    """Who saved the session, and the time zone each chose ('' for none: the conference's)."""
    rows = db.execute(
        "SELECT a.platform, a.workspace, a.user, coalesce(s.timezone, '') FROM agenda a LEFT JOIN settings s "
        "ON s.platform = a.platform AND s.workspace = a.workspace AND s.user = a.user "
        "WHERE a.conference = ? AND a.session_id = ?",
        [slug, session_id],
    ).fetchall()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def for_people(db: Database, conference: Conference, changes: ScheduleDiff) -> list[Notice]:
    """Each person reads the new time in the zone they chose (settings timezone), else the conference's."""
    default_zone = conference.timezone or "UTC"
    slug = conference.slug
    notices = []
    for change in changes.changed:
        if change.fields == ("details",):
            continue
        stamp = fingerprint(change.after.start, change.after.room, change.after.title, change.after.speaker_names)
        for platform, workspace, user, zone in _savers(db, slug, change.after.id):
            text = "📅 " + describe_change(change, zone or default_zone)
            if change.moved:
                text += " Your reminder moved with it."
            key = "|".join(["notice", platform, workspace, user, slug, change.after.id, stamp])
            notices.append(Notice(key, platform, workspace, user, change.after.id, text))
    for session in changes.removed:
        text = f"❌ “{session.title}” was removed from the schedule: it is off your agenda, and no reminder will come."
        for platform, workspace, user, _ in _savers(db, slug, session.id):
            key = "|".join(["notice", platform, workspace, user, slug, session.id, "removed"])
            notices.append(Notice(key, platform, workspace, user, session.id, text))
    return notices


def for_channels(routes: list[Route], conference: Conference, changes: ScheduleDiff) -> list[Notice]:
    relevant = [c for c in changes.changed if c.fields != ("details",)]
    if not (relevant or changes.removed or changes.added):
        return []
    zone = conference.timezone or "UTC"
    lines = [f"📅 Schedule update for {conference.title}: {changes.summary()}."]
    lines += ["• " + describe_change(c, zone) for c in relevant[:SHOWN_IN_SUMMARY]]
    lines += [f"• “{s.title}” was removed." for s in changes.removed[:SHOWN_IN_SUMMARY]]
    hidden = max(0, len(relevant) - SHOWN_IN_SUMMARY) + max(0, len(changes.removed) - SHOWN_IN_SUMMARY)
    if hidden:
        lines.append(f"… and {hidden} more.")
    text = "\n".join(lines)
    stamp = fingerprint(text)
    notices = []
    seen: set[tuple[str, str, str]] = set()
    for route in routes:
        channel = (route.platform, route.workspace, route.channel)
        if route.conference not in ("", conference.slug) or channel in seen:
            continue
        seen.add(channel)
        key = "|".join(["notice", *channel, conference.slug, "summary", stamp])
        notices.append(Notice(key, route.platform, route.workspace, route.channel, "", text, to_channel=True))
    return notices


def for_admins(routes: list[Route], slug: str, outcome: str, message: str, now: datetime) -> list[Notice]:
    """The admins who set up announcements for this conference hear of a problem once per problem and day."""
    notices = []
    for route in routes:
        if route.conference in ("", slug) and route.created_by:
            key = "|".join(
                [
                    "notice",
                    route.platform,
                    route.workspace,
                    route.created_by,
                    slug,
                    outcome,
                    now.date().isoformat(),
                    fingerprint(message),
                ]
            )
            notices.append(
                Notice(key, route.platform, route.workspace, route.created_by, "", "⚠ Schedule sync: " + message)
            )
    return notices


def queue(db: Database, slug: str, notices: list[Notice], now: datetime) -> int:
    """Queue every notice on `db` (inside the caller's transaction); returns how many were new."""
    return sum(
        queue_notice(db, n.key, n.platform, n.workspace, n.address, slug, n.session_id, now, n.text, n.to_channel)
        for n in notices
    )
