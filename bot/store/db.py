"""Opening the database and bringing its schema up to date with sqlite-utils migrations.

Several processes share one file (the bot, `confbot sync` from cron, scripted chats), so every write takes
the write lock first: `BEGIN IMMEDIATE` waits up to the busy timeout for it. A deferred `BEGIN` (what
sqlite-utils issues) that reads and then writes cannot wait: SQLite answers "database is locked" at once,
because the snapshot it read may already be stale.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlite_utils import Database, Migrations

from bot.store.faults import StoreError, damaged_error, is_damaged, is_read_only, read_only_error, writable

__all__ = ["StoreError", "open_database", "own_connection", "write_transaction"]

migrations = Migrations("confbot")
BUSY_SECONDS = 30


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


@migrations()
def m007_sync_guard(db: Any) -> None:
    # The most sessions (and sessions with both a title and a time) a conference has had since its first or
    # last forced import: what `confbot sync` measures a creeping loss against.
    db["sync_guard"].create({"conference": str, "sessions": int, "complete": int, "revision": int}, pk="conference")
    # Counts the imports of each conference: what a sync read before taking the lock is still current if the
    # count has not moved (two imports in the same second, or at the same virtual time, still differ).
    db["conferences"].add_column("revision", int)


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One transaction that holds the write lock from its first statement, so it waits instead of failing.

    Inside another transaction on the same connection it becomes a savepoint of that one: a failure undoes
    only its own part, and the outer transaction decides what is committed.
    """
    conn = db.conn
    if conn.in_transaction:
        name = f"confbot_{random.getrandbits(48):x}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield db
        except BaseException:
            if conn.in_transaction:
                conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        conn.execute(f"RELEASE SAVEPOINT {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


class ReadOnlyConnection(sqlite3.Connection):
    """A connection opened only to read; `uri` says how, so a second connection (the dispatcher's, a sync's)
    is opened the same way instead of failing where this one had to fall back."""

    uri = ""


def connect_like(conn: sqlite3.Connection, path: str) -> sqlite3.Connection:
    if isinstance(conn, ReadOnlyConnection):
        other = sqlite3.connect(
            conn.uri,
            uri=True,
            timeout=BUSY_SECONDS,
            isolation_level=None,
            check_same_thread=False,
            factory=ReadOnlyConnection,
        )
        other.uri = conn.uri
        return other
    return sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)


def _connect(path: str) -> Database:
    conn = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
    db = Database(conn)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute(f"PRAGMA busy_timeout = {BUSY_SECONDS * 1000}")
    if path != ":memory:":
        _use_wal(db, path)
        # In WAL mode NORMAL keeps every commit safe from a crashed process (not from power loss),
        # which lets the dispatcher claim and record thousands of deliveries a second.
        db.execute("PRAGMA synchronous = NORMAL")
    return db


def _use_wal(db: Database, path: str) -> None:
    """Switch a new file to WAL. The switch needs the file to itself, and the busy timeout does not always
    apply to it, so processes opening the same new file at once take turns here."""
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        try:
            mode = db.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() == "wal" or str(db.execute("PRAGMA journal_mode = WAL").fetchone()[0]) == "wal":
                return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
        if time.monotonic() > deadline:
            raise StoreError(f"{path}: another process kept the database busy for {BUSY_SECONDS} s; try again")
        time.sleep(random.uniform(0.005, 0.05))


def _migrate(db: Database) -> None:
    """Bring the schema up to date. Checking and applying happen under the write lock, so two processes
    opening the same new file never both create the same table."""
    if not migrations.pending(db):
        return
    with write_transaction(db):
        migrations.apply(db)


def open_database(
    path: str | Path, *, create: bool = True, writable_only: bool = True, verify: bool = True
) -> Database:
    """Open (creating if needed) and migrate. Concurrent processes wait on each other instead of failing.

    `create=False` is for commands that only look: they must not leave an empty database behind a mistyped
    --db. `writable_only=False` lets a store this process may not write still answer questions; its writes
    then fail with SQLite's read-only error, which `bot.store.faults` turns into words. A file that was there
    before is checked (`PRAGMA quick_check`, milliseconds even for large stores) so that a damaged one is
    named at once, before a command reads half of it or writes into it; `confbot doctor` (verify=False)
    is the one that wants to look at a damaged file.
    """
    if str(path) == ":memory:":
        db = _connect(":memory:")
        _migrate(db)
        return db
    target = Path(path)
    if target.parent and not target.parent.exists():
        raise StoreError(f"{path}: folder {target.parent} does not exist; create it or choose another --db")
    existed = target.exists()
    if not existed and not create:
        raise StoreError(
            f"{path}: no such database; import a schedule into it first (confbot import PATH_OR_URL --db {path}) "
            "or choose another --db"
        )
    if not existed and not os.access(target.parent if str(target.parent) else ".", os.W_OK):
        raise read_only_error(path, f"cannot create it: no write permission in {target.parent or '.'}")
    if existed and target.is_dir():
        raise StoreError(f"{path}: is a folder, not a database file; choose another --db")
    try:
        if existed and not writable(target):
            if writable_only:
                raise read_only_error(path, "no write permission for this user")
            return _open_read_only(path, verify)
        db = _connect(str(path))
        if existed and verify:
            _check(db, path)
        _migrate(db)
    except sqlite3.DatabaseError as exc:
        if is_read_only(exc) and existed:
            if writable_only:
                raise read_only_error(path, " ".join(str(exc).split())) from exc
            return _open_read_only(path, verify)
        raise _unusable(path, exc) from exc
    return db


def _check(db: Database, path: str | Path) -> None:
    verdict = db.execute("PRAGMA quick_check(1)").fetchone()
    if verdict is None or str(verdict[0]) != "ok":
        raise damaged_error(path, str(verdict[0]) if verdict else "no verdict from quick_check")


def _open_read_only(path: str | Path, verify: bool) -> Database:
    """A connection that can only read, and leaves nothing behind.

    A WAL database is read through its -shm file. When there is none, no writer has the file open; SQLite would
    create one (owned by this user, in someone else's folder) or, in a folder this user cannot write, refuse to
    read at all. So then the file is read as immutable: nothing is created, and a writer that opens it later
    cannot change what a one-off command is reading except by racing it. When a -shm is there, a writer is
    about, and this connection shares its view instead."""
    uri = Path(path).resolve().as_uri()
    last: sqlite3.DatabaseError | None = None
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    quiet = not shm.exists() and (not wal.exists() or wal.stat().st_size == 0)
    for suffix in ("?mode=ro&immutable=1",) if quiet else ("?mode=ro", "?mode=ro&immutable=1"):
        conn = sqlite3.connect(
            uri + suffix,
            uri=True,
            timeout=BUSY_SECONDS,
            isolation_level=None,
            check_same_thread=False,
            factory=ReadOnlyConnection,
        )
        conn.uri = uri + suffix
        db = Database(conn)
        try:
            if verify:
                _check(db, path)
            else:
                db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if migrations.pending(db):
                raise read_only_error(path, "it needs the upgrade this version of confbot makes, which writes")
            return db
        except sqlite3.DatabaseError as exc:
            conn.close()
            if is_damaged(exc):
                raise _unusable(path, exc) from exc
            last = exc
        except StoreError:
            conn.close()
            raise
    raise read_only_error(path, " ".join(str(last).split()))


def _unusable(path: str | Path, exc: sqlite3.DatabaseError) -> StoreError:
    if "malformed" in str(exc):
        return damaged_error(path, str(exc))
    return StoreError(f"{path}: not a usable confbot database ({exc}); choose another --db")


@contextmanager
def own_connection(db: Database) -> Iterator[Database]:
    """A second connection to the same file, for work that must not share a transaction with whatever else
    uses `db` (a sync in a worker thread while the event loop answers chats). In memory there is only one."""
    file = db.execute("PRAGMA database_list").fetchone()[2]
    if not file:
        yield db
        return
    other = (
        Database(connect_like(db.conn, str(file))) if isinstance(db.conn, ReadOnlyConnection) else _connect(str(file))
    )
    try:
        yield other
    finally:
        other.close()


@migrations()
def m008_conference_scope(db: Any) -> None:
    # Which conference a person, a channel or a whole workspace talks about when the store holds several.
    db["settings"].add_column("conference", str)
    db["conference_scope"].create(
        {"platform": str, "workspace": str, "channel": str, "conference": str, "set_by": str, "set_at": str},
        pk=("platform", "workspace", "channel"),  # channel '' stands for the whole workspace or guild
    )


@migrations()
def m009_search_index(db: Any) -> None:
    # Which saved search index belongs to the store as it is: a folder per conference (its tokenised part,
    # stamped with the conference's revision) and the store-wide one under '*' (stamped with the fingerprint).
    db["search_index"].create({"conference": str, "segment": str, "stamp": str}, pk="conference")


@migrations()
def m010_last_list_when(db: Any) -> None:
    # When a list was shown (by the bot's clock) and about which conference: a number picks from a list only
    # while it is recent and about the conference asked about now (see Context.last_list).
    db["last_list"].add_column("shown_at", str)
    db["last_list"].add_column("scope", str)


@migrations()
def m011_removals(db: Any) -> None:
    # Each `confbot remove`: what was removed and when. The store fingerprint counts these rows, so a removal
    # always changes it, even when an import at the same (virtual) time later restores the other figures.
    db["removals"].create({"id": int, "conference": str, "at": str}, pk="id")
