"""Schedule changes: re-import a conference from its source, refuse what looks broken, tell who it concerns.

Reminders need no rewriting here: their keys carry the session's start time, so a moved session's reminder
follows it and a removed session has none. What sync adds is telling people: each person who saved a
changed or removed session gets a notice, and each announcement channel gets one summary.

The new catalog, every notice, the channel summaries, the guard's marks and the `sync_log` row are written in
one transaction that holds the write lock from its start, on a connection of the sync's own. A sync killed at
any point has either written all of it or nothing: re-run, it finds the same change and queues the same
notices under the same keys, and a sync that did commit leaves nothing for the next one to tell again.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlite_utils import Database

from bot import metrics, sync_notices
from bot.search.persist import prepare as prepare_index
from bot.store import CatalogStore
from bot.store.catalogs import Snapshot
from bot.store.channels import ChannelStore
from bot.store.db import StoreError, own_connection, write_transaction
from bot.sync_guard import Marks, finding, lost_ids, marks_of, refusal
from catalog.diff import ScheduleDiff
from catalog.errors import CatalogError
from catalog.load import STDIN, load
from catalog.model import Catalog, Conference

log = logging.getLogger("confbot.sync")
Loader = Callable[..., Catalog]


@dataclass(frozen=True)
class SyncReport:
    conference: str
    outcome: str  # updated, unchanged, skipped (nothing to read again), refused, unreachable
    message: str
    diff: ScheduleDiff | None = None
    notices: int = 0

    @property
    def ok(self) -> bool:
        return self.outcome in ("updated", "unchanged", "skipped")


def sync_conference(
    catalogs: CatalogStore, slug: str, now: datetime, *, force: bool = False, loader: Loader = load
) -> SyncReport:
    # A connection of its own: the bot runs this in a worker thread while its event loop uses `catalogs.db`.
    try:
        with own_connection(catalogs.db) as db:
            report = _sync(CatalogStore(db), slug, now, force, loader)
    except Exception:
        metrics.current().synced("failed")
        raise
    metrics.current().synced(report.outcome)
    return report


def _sync(store: CatalogStore, slug: str, now: datetime, force: bool, loader: Loader) -> SyncReport:
    conference = store.conference(slug)
    if conference is None:
        raise CatalogError(f"no conference {slug!r} in the store; see 'confbot catalogs'")
    if conference.source == STDIN:
        # Nothing to read again: not a failure of the source, and no reason to warn the admins at every sync.
        message = f"{conference.title}: imported from standard input, nothing to sync; import it again to update it"
        return SyncReport(slug, "skipped", message)
    given_zone, columns = store.import_options(slug)
    zone = given_zone or (conference.timezone if conference.timezone and conference.timezone[0] not in "+-" else None)
    try:  # reading the source can take a while: no lock is held during it
        fresh = loader(conference.source, timezone=zone or None, slug=slug, csv_columns=columns)
    except CatalogError as exc:
        message = f"{conference.title}: the source could not be read ({exc}); kept the last good copy."
        return _in_one_transaction(
            store, conference, lambda: _refusal(store.db, conference, "unreachable", message, now)
        )
    fresh = replace(fresh, conference=replace(fresh.conference, source=conference.source))
    fresh = retitled(fresh, store.given_title(slug))
    before = store.snapshot(slug)  # read before the lock: a big conference takes a while to read
    prepare_index(store, fresh)  # and the search index is built before it too: the transaction only stamps it
    return _in_one_transaction(store, conference, lambda: _replace(store, conference, fresh, before, now, force))


def _in_one_transaction(store: CatalogStore, conference: Conference, work: Callable[[], SyncReport]) -> SyncReport:
    try:
        with write_transaction(store.db):
            log.debug("sync %s: writing", conference.slug)
            report = work()
        log.debug("sync %s: committed", conference.slug)
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"{conference.title}: the store could not be written ({exc}); nothing was changed, run the sync again"
        ) from exc
    return report


def _replace(
    store: CatalogStore, conference: Conference, fresh: Catalog, before: Snapshot, now: datetime, force: bool
) -> SyncReport:
    """Everything a sync writes, inside the caller's transaction: the diff is taken under the write lock."""
    slug = conference.slug
    before = store.fresh(before, slug)  # read again only if someone imported since
    old = before.sessions
    high = guard_marks(store.db, slug) or marks_of(old)
    why = None if force else finding(old, fresh.sessions, high)
    if why is not None:
        affected = people_affected(store.db, slug, lost_ids(old, fresh.sessions))
        return _refusal(store.db, conference, "refused", refusal(conference.title, why, affected), now)
    changes = store.save(fresh, now, before)
    set_guard_marks(store.db, slug, marks_of(fresh.sessions) if force else high.raised_to(marks_of(fresh.sessions)))
    routes = ChannelStore(store.db).routes()
    planned = sync_notices.for_people(store.db, conference, changes) + sync_notices.for_channels(
        routes, conference, changes
    )
    notices = sync_notices.queue(store.db, slug, planned, now)
    outcome = "unchanged" if changes.is_empty else "updated"
    message = f"{conference.title}: {changes.summary()}."
    _log(store.db, slug, outcome, message, now)
    return SyncReport(slug, outcome, message, changes, notices)


def _refusal(db: Database, conference: Conference, outcome: str, message: str, now: datetime) -> SyncReport:
    log.warning(message)
    _log(db, conference.slug, outcome, message, now)
    warnings = sync_notices.for_admins(ChannelStore(db).routes(), conference.slug, outcome, message, now)
    return SyncReport(conference.slug, outcome, message, None, sync_notices.queue(db, conference.slug, warnings, now))


def _log(db: Database, slug: str, outcome: str, message: str, now: datetime) -> None:
    db.execute(
        "INSERT INTO sync_log (conference, at, outcome, message) VALUES (?, ?, ?, ?)",
        [slug, now.astimezone(UTC).isoformat(), outcome, message],
    )


def people_affected(db: Database, slug: str, session_ids: set[str]) -> str:
    """Whose saved sessions a refused change would have touched, in words: "3 people's saved sessions"."""
    people = 0
    if session_ids:
        rows = db.execute(
            "SELECT DISTINCT platform, workspace, user, session_id FROM agenda WHERE conference = ?", [slug]
        ).fetchall()
        people = len({(platform, workspace, user) for platform, workspace, user, sid in rows if sid in session_ids})
    return {0: "no one's saved sessions", 1: "1 person's saved sessions"}.get(
        people, f"{people} people's saved sessions"
    )


def retitled(catalog: Catalog, title: str) -> Catalog:
    """The catalog under the title an admin gave (none given: as read)."""
    if not title or title == catalog.conference.title:
        return catalog
    return replace(catalog, conference=replace(catalog.conference, title=title))


def guard_marks(db: Database, slug: str) -> Marks | None:
    """The guard's marks, unless the conference was imported again by hand since (that resets them)."""
    row = db.execute(
        "SELECT g.sessions, g.complete FROM sync_guard g JOIN conferences c "
        "ON c.slug = g.conference AND coalesce(c.revision, 0) = g.revision WHERE g.conference = ?",
        [slug],
    ).fetchone()
    return Marks(int(row[0]), int(row[1])) if row else None


def set_guard_marks(db: Database, slug: str, marks: Marks) -> None:
    db.execute(
        "INSERT INTO sync_guard (conference, sessions, complete, revision) "
        "SELECT slug, ?, ?, coalesce(revision, 0) FROM conferences WHERE slug = ? "
        "ON CONFLICT (conference) DO UPDATE SET sessions = excluded.sessions, complete = excluded.complete, "
        "revision = excluded.revision",
        [marks.sessions, marks.complete, slug],
    )
