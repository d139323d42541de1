"""Several processes on one database: writers wait their turn instead of failing with "database is locked"."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from benchmarks.sync_faults import chats_during_syncs, concurrent_opens
from bot.store import AgendaStore, CatalogStore, open_database
from bot.store.agenda import LastList, Settings
from bot.store.channels import ChannelStore, Route
from bot.store.db import write_transaction
from bot.sync import sync_conference
from catalog.load import load
from tests.conftest import FIXTURES
from tests.fakes import ME

HOLD = 0.15


def while_another_writes(path: Path, write: Callable[[], object]) -> float:
    """Run `write` while a second connection holds the write lock for HOLD seconds; how long it took."""
    other = open_database(path)
    holding = threading.Event()

    def hold() -> None:
        with write_transaction(other):
            other.execute("INSERT INTO sync_log (conference, at, outcome, message) VALUES ('x', '', 'held', '')")
            holding.set()
            time.sleep(HOLD)

    thread = threading.Thread(target=hold)
    thread.start()
    holding.wait()
    started = time.monotonic()
    try:
        write()
    finally:
        thread.join()
        other.close()
    return time.monotonic() - started


def test_every_store_write_waits_for_the_lock_instead_of_failing(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    db = open_database(path)
    catalogs, agenda, channels = CatalogStore(db), AgendaStore(db), ChannelStore(db)
    catalog = load(str(FIXTURES / "searchcon.schedule.json"))
    catalogs.save(catalog)
    now = datetime(2026, 3, 28, 9, tzinfo=UTC)
    writes: dict[str, Callable[[], object]] = {
        "re-import": lambda: catalogs.save(catalog),  # reads the old sessions, then writes: the risky kind
        "import options": lambda: catalogs.remember_import_options("searchcon-2026", "UTC", ()),
        "save": lambda: agenda.save(ME, "searchcon-2026", "3"),
        "snooze": lambda: agenda.snooze(ME, "searchcon-2026", "3", now),
        "forget": lambda: agenda.forget(ME, "searchcon-2026", "3"),
        "settings": lambda: agenda.update_settings(ME, Settings(5, "Europe/Paris")),
        "last list": lambda: agenda.remember_list(ME, LastList(("searchcon-2026:3",), "postgres", 0, 1)),
        "announce": lambda: channels.add(Route("console", "local", "C1", created_by="me"), now),
        "stop announcing": lambda: channels.remove_channel("console", "local", "C1"),
        "sync": lambda: sync_conference(catalogs, "searchcon-2026", now),
    }
    waited = {name: while_another_writes(path, write) for name, write in writes.items()}  # none raises
    # Each write started while the lock was held; on a very busy machine a few may start late, not most.
    assert sum(1 for seconds in waited.values() if seconds > HOLD / 3) >= len(writes) / 2, waited
    assert agenda.settings(ME) == Settings(5, "Europe/Paris")
    assert agenda.last_list(ME).query == "postgres"
    assert agenda.saved(ME) == []


def test_a_failed_part_of_a_transaction_is_undone_alone(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.db")
    with write_transaction(db):
        db.execute("INSERT INTO sync_log (conference, at, outcome, message) VALUES ('kept', '', '', '')")
        with pytest.raises(sqlite3.IntegrityError), write_transaction(db):
            db.execute("INSERT INTO sync_log (conference, at, outcome, message) VALUES ('undone', '', '', '')")
            db.execute("INSERT INTO sync_log (id, conference) VALUES (1, 'duplicate id')")
    assert db.execute("SELECT conference FROM sync_log").fetchall() == [("kept",)]


def test_forty_connections_open_one_new_file_at_once(tmp_path: Path) -> None:
    """Threads here, for speed: SQLite locks connections of one process against each other as it does processes
    (benchmarks/sync_faults.py does it with 40 processes)."""
    path = tmp_path / "new.db"
    start = threading.Barrier(40)
    failures: list[str] = []

    def open_it() -> None:
        start.wait()
        try:
            open_database(path).execute("SELECT count(*) FROM sessions").fetchone()
        except Exception as exc:  # noqa: BLE001 - every failure is the finding
            failures.append(repr(exc))

    threads = [threading.Thread(target=open_it) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert open_database(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_few_processes_open_one_new_file_at_once(tmp_path: Path) -> None:
    assert concurrent_opens("new", tmp_path, processes=6) == (0, "")


def test_chats_keep_writing_while_sync_runs(tmp_path: Path) -> None:
    report = chats_during_syncs("new", tmp_path, writers=3, syncs=2)
    assert report.errors == []
    assert (report.syncs_locked, report.chat_locked, report.chat_other) == (0, 0, 0)
    assert report.chat_ops > 100
