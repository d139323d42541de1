"""Schedule changes: re-import a conference from its source, refuse what looks broken, tell who it concerns.

Reminders need no rewriting here: their keys carry the session's start time, so a moved session's reminder
follows it and a removed session has none. What sync adds is telling people: each person who saved a
changed or removed session gets a notice, and each announcement channel gets one summary.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from bot.reminders.due import queue_notice
from bot.store import CatalogStore
from bot.store.channels import ChannelStore
from catalog.diff import Change, ScheduleDiff
from catalog.errors import CatalogError
from catalog.load import load
from catalog.model import Catalog, Conference, Session
from catalog.times import tz_from_name

log = logging.getLogger("confbot.sync")
MAX_REMOVED_SHARE = 0.30
Loader = Callable[..., Catalog]


@dataclass(frozen=True)
class SyncReport:
    conference: str
    outcome: str  # updated, unchanged, refused, unreachable
    message: str
    diff: ScheduleDiff | None = None
    notices: int = 0

    @property
    def ok(self) -> bool:
        return self.outcome in ("updated", "unchanged")


def _when(session: Session, zone: str) -> str:
    if session.start is None:
        return "no time yet"
    return session.start.astimezone(tz_from_name(zone)).strftime("%a %d %b %H:%M")


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


def _fingerprint(*values: object) -> str:
    return hashlib.sha1("|".join(str(v) for v in values).encode()).hexdigest()[:12]


def sync_conference(
    catalogs: CatalogStore, slug: str, now: datetime, *, force: bool = False, loader: Loader = load
) -> SyncReport:
    conference = catalogs.conference(slug)
    if conference is None:
        raise CatalogError(f"no conference {slug!r} in the store; see 'confbot catalogs'")
    given_zone, columns = catalogs.import_options(slug)
    zone = given_zone or (conference.timezone if conference.timezone and conference.timezone[0] not in "+-" else None)
    try:
        fresh = loader(conference.source, timezone=zone or None, slug=slug, csv_columns=columns)
    except CatalogError as exc:
        message = f"{conference.title}: the source could not be read ({exc}); kept the last good copy."
        return _refusal(catalogs, conference, "unreachable", message, now)
    old_ids = {s.id for s in catalogs.sessions(slug)}
    removed = len(old_ids - {s.id for s in fresh.sessions})
    if old_ids and removed / len(old_ids) > MAX_REMOVED_SHARE and not force:
        message = (
            f"{conference.title}: the new schedule would remove {removed} of {len(old_ids)} sessions "
            f"({removed * 100 // len(old_ids)}%); refused. Check the source, then 'confbot sync --force'."
        )
        return _refusal(catalogs, conference, "refused", message, now)
    fresh = replace(fresh, conference=replace(fresh.conference, source=conference.source))
    changes = catalogs.save(fresh, now)
    notices = _tell_people(catalogs, conference, changes, now) + _tell_channels(catalogs, conference, changes, now)
    outcome = "unchanged" if changes.is_empty else "updated"
    message = f"{conference.title}: {changes.summary()}."
    _log(catalogs, slug, outcome, message, now)
    return SyncReport(slug, outcome, message, changes, notices)


def _refusal(catalogs: CatalogStore, conference: Conference, outcome: str, message: str, now: datetime) -> SyncReport:
    log.warning(message)
    _log(catalogs, conference.slug, outcome, message, now)
    notices = 0
    # Reported to the admins who set up announcements for this conference, once per problem and day.
    for route in ChannelStore(catalogs.db).routes():
        if route.conference in ("", conference.slug) and route.created_by:
            key = "|".join(
                [
                    "notice",
                    route.platform,
                    route.workspace,
                    route.created_by,
                    conference.slug,
                    outcome,
                    now.date().isoformat(),
                    _fingerprint(message),
                ]
            )
            notices += queue_notice(
                catalogs.db,
                key,
                route.platform,
                route.workspace,
                route.created_by,
                conference.slug,
                "",
                now,
                "⚠ Schedule sync: " + message,
            )
    return SyncReport(conference.slug, outcome, message, None, notices)


def _log(catalogs: CatalogStore, slug: str, outcome: str, message: str, now: datetime) -> None:
    catalogs.db.table("sync_log").insert(
        {"conference": slug, "at": now.astimezone(UTC).isoformat(), "outcome": outcome, "message": message}
    )


def _savers(catalogs: CatalogStore, slug: str, session_id: str) -> list[tuple[str, str, str]]:
    rows = catalogs.db.execute(
        "SELECT platform, workspace, user FROM agenda WHERE conference = ? AND session_id = ?", [slug, session_id]
    ).fetchall()
    return [(r[0], r[1], r[2]) for r in rows]


def _tell_people(catalogs: CatalogStore, conference: Conference, changes: ScheduleDiff, now: datetime) -> int:
    zone = conference.timezone or "UTC"
    queued = 0
    for change in changes.changed:
        if change.fields == ("details",):
            continue
        text = "📅 " + describe_change(change, zone)
        if change.moved:
            text += " Your reminder moved with it."
        stamp = _fingerprint(change.after.start, change.after.room, change.after.title, change.after.speaker_names)
        for platform, workspace, user in _savers(catalogs, conference.slug, change.after.id):
            key = "|".join(["notice", platform, workspace, user, conference.slug, change.after.id, stamp])
            queued += queue_notice(
                catalogs.db, key, platform, workspace, user, conference.slug, change.after.id, now, text
            )
    for session in changes.removed:
        text = f"❌ “{session.title}” was removed from the schedule, so its reminder is cancelled."
        for platform, workspace, user in _savers(catalogs, conference.slug, session.id):
            key = "|".join(["notice", platform, workspace, user, conference.slug, session.id, "removed"])
            queued += queue_notice(catalogs.db, key, platform, workspace, user, conference.slug, session.id, now, text)
    return queued


def _tell_channels(catalogs: CatalogStore, conference: Conference, changes: ScheduleDiff, now: datetime) -> int:
    relevant = [c for c in changes.changed if c.fields != ("details",)]
    if not (relevant or changes.removed or changes.added):
        return 0
    zone = conference.timezone or "UTC"
    lines = [f"📅 Schedule update for {conference.title}: {changes.summary()}."]
    lines += ["• " + describe_change(c, zone) for c in relevant[:10]]
    lines += [f"• “{s.title}” was removed." for s in changes.removed[:10]]
    hidden = max(0, len(relevant) - 10) + max(0, len(changes.removed) - 10)
    if hidden:
        lines.append(f"… and {hidden} more.")
    text = "\n".join(lines)
    stamp = _fingerprint(text)
    queued = 0
    seen: set[tuple[str, str, str]] = set()
    for route in ChannelStore(catalogs.db).routes():
        channel = (route.platform, route.workspace, route.channel)
        if route.conference not in ("", conference.slug) or channel in seen:
            continue
        seen.add(channel)
        key = "|".join(["notice", *channel, conference.slug, "summary", stamp])
        queued += queue_notice(
            catalogs.db,
            key,
            route.platform,
            route.workspace,
            route.channel,
            conference.slug,
            "",
            now,
            text,
            to_channel=True,
        )
    return queued
