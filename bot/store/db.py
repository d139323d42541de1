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
        db.execute("PRAGMA busy_timeout = 30000")
        migrations.apply(db)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: not a usable confbot database ({exc}); choose another --db") from exc
    return db
