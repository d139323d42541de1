"""The processes benchmarks/sync_faults.py starts, kills and counts: `confbot sync`, chat writers, openers.

Each comes in two versions: "new" runs the project's code as it is (the real `confbot sync`, the real
Conversation and stores, `open_database`); "old" runs the behaviour before issue 10, kept here as the
baseline: the catalog committed first, then each notice and the sync_log row in autocommit; writes through
sqlite-utils' deferred transactions; opening a new file with an unguarded WAL switch and migrations.

A sync prints "writing" when it starts to write and "committed" when all of it is stored, on standard error,
so the harness knows where a kill landed.
"""

from __future__ import annotations

import json
import logging
import random
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlite_utils import Database

SLUG = "faultcon"
ZONE = "UTC"
SESSIONS = 600
ROOMS = 20


def first_day() -> datetime:
    """Three days from now: nothing in the schedule is due while the harness runs, only the notices."""
    return (datetime.now(UTC) + timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)


def session_start(day: datetime, session_id: int, moved_minutes: int = 0) -> datetime:
    return day + timedelta(minutes=30 * (session_id % 16) + moved_minutes)


def write_schedule(path: Path, day: datetime, count: int, moves: dict[int, int] | None = None, **blank: int) -> None:
    """A frab JSON schedule of `count` sessions; `moves` shifts some by minutes; blank titles= / times= empties
    the title or time of the first so many sessions, as a source that half-failed would."""
    moves = moves or {}
    rooms: dict[str, list[dict[str, Any]]] = {}
    for sid in range(1, count + 1):
        start = session_start(day, sid, moves.get(sid, 0))
        timed = sid > blank.get("times", 0)
        rooms.setdefault(f"Room {sid % ROOMS}", []).append(
            {
                "id": sid,
                "guid": f"g{sid}",
                "date": start.isoformat() if timed else "",
                "start": start.strftime("%H:%M") if timed else "",
                "duration": "00:25",
                "room": f"Room {sid % ROOMS}",
                "title": "" if sid <= blank.get("titles", 0) else f"Talk {sid}",
                "track": f"Track {sid % 7}",
                "type": "talk",
                "abstract": f"About topic {sid}.",
                "persons": [{"public_name": f"Speaker {sid % 97}"}],
            }
        )
    doc = {
        "schedule": {
            "version": str(time.time_ns()),
            "conference": {
                "acronym": SLUG,
                "title": "FaultCon",
                "start": day.date().isoformat(),
                "end": day.date().isoformat(),
                "time_zone_name": ZONE,
                "days": [{"index": 1, "date": day.date().isoformat(), "rooms": rooms}],
            },
        }
    }
    path.write_text(json.dumps(doc))


def seed_store(db_path: Path, source: Path, people: int, per_person: int, seed: int = 7) -> dict[int, list[str]]:
    """Import the schedule, save `per_person` sessions for each person, set up one announcement channel.
    Returns who saved which session, the harness's own record to check deliveries against."""
    from bot.store import CatalogStore, open_database
    from bot.store.channels import ChannelStore, Route
    from bot.store.db import write_transaction
    from catalog.load import load

    db = open_database(db_path)
    catalog = load(str(source))
    CatalogStore(db).save(catalog)
    ids = [int(s.id) for s in catalog.sessions]
    rng = random.Random(seed)
    savers: dict[int, list[str]] = {}
    rows = []
    for person in range(people):
        user = f"U{person:05d}"
        for sid in rng.sample(ids, per_person):
            savers.setdefault(sid, []).append(user)
            rows.append(("bench", "W1", user, SLUG, str(sid), datetime.now(UTC).isoformat()))
    with write_transaction(db):
        db.conn.executemany(
            "INSERT INTO agenda (platform, workspace, user, conference, session_id, saved_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
    ChannelStore(db).add(Route("bench", "W1", "C-ANNOUNCE", created_by="UADMIN"))
    db.close()
    return savers


# ------------------------------------------------------------------------------------------------ the old ways
def old_open(path: str) -> Database:
    """open_database before issue 10: WAL switch and migrations with nothing to serialise them."""
    from bot.store.db import migrations

    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    db = Database(conn)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA busy_timeout = 30000")
    migrations.apply(db)
    return db


def _old_save(db: Database, catalog: Any, stamp: str) -> None:
    """CatalogStore.save before issue 10: a deferred transaction through sqlite-utils."""
    from bot.store.catalogs import _session_row

    conf = catalog.conference
    with db.atomic():
        db.table("conferences").upsert(
            {
                "slug": conf.slug,
                "title": conf.title,
                "timezone": conf.timezone,
                "source": conf.source,
                "version": conf.version,
                "imported_at": stamp,
            },
            pk="slug",
        )
        db.execute("DELETE FROM sessions WHERE conference = ?", [conf.slug])
        db.table("sessions").insert_all((_session_row(conf.slug, s) for s in catalog.sessions), batch_size=500)


def old_sync(db_path: str) -> int:
    """sync_conference before issue 10: catalog committed, then notices and the log one autocommit at a time."""
    from dataclasses import replace

    from bot import sync_notices
    from bot.store import CatalogStore
    from bot.store.channels import ChannelStore
    from catalog.diff import diff
    from catalog.load import load

    db = old_open(db_path)
    catalogs = CatalogStore(db)
    for conference in catalogs.conferences():
        fresh = load(conference.source, slug=conference.slug)
        fresh = replace(fresh, conference=replace(fresh.conference, source=conference.source))
        now = datetime.now(UTC)
        changes = diff(catalogs.sessions(conference.slug), fresh.sessions)
        print("sync: writing", file=sys.stderr, flush=True)
        _old_save(db, fresh, now.isoformat())
        planned = sync_notices.for_people(db, conference, changes)
        planned += sync_notices.for_channels(ChannelStore(db).routes(), conference, changes)
        sync_notices.queue(db, conference.slug, planned, now)  # autocommit: one commit per notice
        db.table("sync_log").insert(
            {"conference": conference.slug, "at": now.isoformat(), "outcome": "updated", "message": changes.summary()}
        )
        print("sync: committed", file=sys.stderr, flush=True)
    return 0


# ------------------------------------------------------------------------------------------------ the children
def child_sync(mode: str, db_path: str) -> int:
    if mode == "old":
        return old_sync(db_path)
    from adapters.cli import main

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    sync_log = logging.getLogger("confbot.sync")
    sync_log.addHandler(handler)
    sync_log.setLevel(logging.DEBUG)
    return main(["sync", "--db", db_path])


def child_writer(mode: str, db_path: str, stop_file: str, index: str) -> int:
    """Save, forget and change settings in a loop until `stop_file` exists; print counts as JSON."""
    from bot.clock import SystemClock
    from bot.conversation import Conversation
    from bot.messages import Incoming, Person
    from bot.search.service import SearchService
    from bot.store import AgendaStore, CatalogStore, open_database

    db = open_database(db_path)
    conversation = Conversation(CatalogStore(db), AgendaStore(db), SearchService(CatalogStore(db)), SystemClock())
    rng = random.Random(int(index))
    counts = {"ops": 0, "locked": 0, "other": 0}
    errors: list[str] = []
    print("ready", flush=True)
    while not Path(stop_file).exists():
        person = Person("bench", "W1", f"writer{index}-{rng.randrange(50)}")
        sid = str(rng.randint(1, SESSIONS))
        for step in ("remind", "forget", "settings"):
            try:
                if mode == "old":
                    _old_write(db, person, sid, step, rng)
                elif step == "settings":
                    conversation.handle(Incoming(person, f"settings lead {rng.randint(0, 30)}"))
                else:
                    conversation.handle(Incoming(person, action=step, value=f"{SLUG}:{sid}"))
                counts["ops"] += 1
            except sqlite3.OperationalError as exc:
                counts["locked" if "locked" in str(exc) else "other"] += 1
                errors.append(str(exc))
            except Exception as exc:  # noqa: BLE001 - counted and shown: the harness reports every failure
                counts["other"] += 1
                errors.append(f"{type(exc).__name__}: {exc}")
    print(json.dumps({**counts, "errors": sorted(set(errors))[:3]}), flush=True)
    return 0


def _old_write(db: Database, person: Any, sid: str, step: str, rng: random.Random) -> None:
    """The store's writes before issue 10: a read, then sqlite-utils' deferred insert or upsert."""
    who = {"platform": person.platform, "workspace": person.workspace, "user": person.user}
    if step == "remind":
        found = db.execute(
            "SELECT 1 FROM agenda WHERE platform = ? AND workspace = ? AND user = ? AND conference = ? "
            "AND session_id = ?",
            [*who.values(), SLUG, sid],
        ).fetchone()
        if not found:
            db.table("agenda").insert(
                {**who, "conference": SLUG, "session_id": sid, "saved_at": datetime.now(UTC).isoformat()}
            )
    elif step == "forget":
        db.execute(
            "DELETE FROM agenda WHERE platform = ? AND workspace = ? AND user = ? AND conference = ? "
            "AND session_id = ?",
            [*who.values(), SLUG, sid],
        )
    else:
        db.table("settings").upsert(
            {**who, "lead_minutes": rng.randint(0, 30), "timezone": ""}, pk=("platform", "workspace", "user")
        )


def child_open(mode: str, path: str) -> int:
    """Wait for the go (a line on standard input), then open a database file that does not exist yet."""
    from bot.store import open_database

    print("ready", flush=True)
    sys.stdin.readline()
    try:
        db = old_open(path) if mode == "old" else open_database(path)
        db.execute("SELECT count(*) FROM sessions").fetchone()
    except Exception as exc:  # noqa: BLE001 - the harness counts failures and shows the first
        print(f"failed: {type(exc).__name__}: {exc}", flush=True)
        return 1
    print("ok", flush=True)
    return 0


def main(argv: list[str]) -> int:
    kind, *args = argv
    children = {"sync": child_sync, "writer": child_writer, "open": child_open}
    return children[kind](*args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
