"""Opening the database and bringing its schema up to date with sqlite-utils migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlite_utils import Database, Migrations

migrations = Migrations("confbot")


class StoreError(Exception):
    """The database cannot be used; the message says which file and what to do."""


@migrations()
def m001_catalogs(db: Any) -> None:
    db["conferences"].create(
        {
            "slug": str,
            "title": str,
            "timezone": str,
            "start": str,
            "end": str,
            "venue": str,
            "source": str,
            "version": str,
            "note": str,
            "imported_at": str,
        },
        pk="slug",
    )
    db["sessions"].create(
        {
            "conference": str,
            "id": str,
            "title": str,
            "subtitle": str,
            "abstract": str,
            "track": str,
            "type": str,
            "language": str,
            "level": str,
            "room": str,
            "start": str,
            "end": str,
            "start_utc": str,
            "speakers": str,
            "tags": str,
            "url": str,
            "companies": str,
        },
        pk=("conference", "id"),
        foreign_keys=[("conference", "conferences", "slug")],
    )
    db["sessions"].create_index(["conference", "start_utc"])


@migrations()
def m002_agenda(db: Any) -> None:
    db["agenda"].create(
        {
            "platform": str,
            "workspace": str,
            "user": str,
            "conference": str,
            "session_id": str,
            "saved_at": str,
        },
        pk=("platform", "workspace", "user", "conference", "session_id"),
    )
    db["agenda"].create_index(["conference", "session_id"])
    db["settings"].create(
        {"platform": str, "workspace": str, "user": str, "lead_minutes": int, "timezone": str},
        pk=("platform", "workspace", "user"),
    )
    db["last_list"].create(
        {
            "platform": str,
            "workspace": str,
            "user": str,
            "refs": str,
            "query": str,
            "offset": int,
            "total": int,
            "kind": str,
        },
        pk=("platform", "workspace", "user"),
    )


@migrations()
def m003_deliveries(db: Any) -> None:
    # One row per delivery, under a key that names who or which channel, which session, which kind and which
    # start time: the unique key is what stops a restart or a second dispatcher from sending twice.
    db["deliveries"].create(
        {
            "key": str,
            "kind": str,
            "platform": str,
            "workspace": str,
            "address": str,
            "conference": str,
            "session_id": str,
            "session_start": str,
            "due_at": str,
            "state": str,  # claimed, sent, failed, skipped
            "claimed_by": str,
            "claimed_at": str,
            "sent_at": str,
            "attempts": int,
            "next_attempt_at": str,
            "error": str,
        },
        pk="key",
    )
    db["deliveries"].create_index(["state", "next_attempt_at"])
    db["agenda"].add_column("snoozed_until", str)


@migrations()
def m004_channels_and_notices(db: Any) -> None:
    # Announcement routes: a channel gets every session of a conference, or one track or room of it.
    db["channels"].create(
        {
            "platform": str,
            "workspace": str,
            "channel": str,
            "conference": str,  # '' for every conference in the store
            "scope": str,  # 'all', 'track', 'room'
            "value": str,  # the track or room name for those scopes
            "lead_minutes": int,
            "digest": int,
            "created_by": str,
            "created_at": str,
        },
        pk=("platform", "workspace", "channel", "scope", "value"),
    )
    # Messages decided once and sent later (schedule-change notices): the text travels with the delivery.
    db["deliveries"].add_column("payload", str)
    db["sync_log"].create({"id": int, "conference": str, "at": str, "outcome": str, "message": str}, pk="id")


@migrations()
def m005_platform_events(db: Any) -> None:
    # Sessions published as a platform's own events (Discord scheduled events), to update instead of duplicate.
    db["platform_events"].create(
        {"platform": str, "workspace": str, "conference": str, "session_id": str, "event_id": str, "start": str},
        pk=("platform", "workspace", "conference", "session_id"),
    )


@migrations()
def m006_import_options(db: Any) -> None:
    # How a conference was imported (zone, CSV column names), so `confbot sync` re-reads it the same way.
    db["conferences"].add_column("import_options", str)


def open_database(path: str | Path) -> Database:
    """Open (creating if needed) and migrate. Concurrent processes wait on each other instead of failing."""
    target = Path(path)
    if str(path) != ":memory:" and target.parent and not target.parent.exists():
        raise StoreError(f"{path}: folder {target.parent} does not exist; create it or choose another --db")
    try:
        conn = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
        db = Database(conn)
        db.execute("PRAGMA foreign_keys = ON")
        if str(path) != ":memory:":
            db.execute("PRAGMA journal_mode = WAL")
            # In WAL mode NORMAL keeps every commit safe from a crashed process (not from power loss),
            # which lets the dispatcher claim and record thousands of deliveries a second.
            db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA busy_timeout = 30000")
        migrations.apply(db)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: not a usable confbot database ({exc}); choose another --db") from exc
    return db


@migrations()
def m007_conference_scope(db: Any) -> None:
    # Which conference a person, a channel or a whole workspace talks about when the store holds several.
    db["settings"].add_column("conference", str)
    db["conference_scope"].create(
        {"platform": str, "workspace": str, "channel": str, "conference": str, "set_by": str, "set_at": str},
        pk=("platform", "workspace", "channel"),  # channel '' stands for the whole workspace or guild
    )
