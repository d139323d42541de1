"""A sync writes all of it or nothing: a failure or a kill at any point loses no notice and repeats none."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest

from benchmarks.sync_faults import kill_rounds
from bot.messages import Incoming, Person
from bot.store import StoreError
from bot.sync import sync_conference
from catalog.load import load
from tests.conftest import FIXTURES
from tests.fakes import ME, Core, build_core

NOW = "2026-03-28T09:00:00+01:00"
ANA = Person("console", "local", "ana")


@pytest.fixture
def core(tmp_path: Path) -> Core:
    source = tmp_path / "searchcon.schedule.json"
    shutil.copy(FIXTURES / "searchcon.schedule.json", source)
    core = build_core(tmp_path, NOW)
    core.catalogs.save(load(str(source)))
    return core


def move(core: Core, session_id: int, date: str) -> None:
    source = Path(core.catalogs.conference("searchcon-2026").source)  # type: ignore[union-attr]
    doc = json.loads(source.read_text())
    for day in doc["schedule"]["conference"]["days"]:
        for events in day["rooms"].values():
            for event in events:
                if event["id"] == session_id:
                    event["date"] = date
    source.write_text(json.dumps(doc))


def stored(core: Core) -> tuple[object, ...]:
    db = core.catalogs.db
    return (
        core.catalogs.sessions("searchcon-2026"),
        db.execute("SELECT count(*) FROM deliveries").fetchone()[0],
        db.execute("SELECT count(*) FROM sync_log").fetchone()[0],
    )


def test_a_sync_that_fails_at_its_last_write_leaves_nothing_behind(core: Core) -> None:
    core.press("remind", "searchcon-2026:3")
    core.press("remind", "searchcon-2026:3", ANA)
    core.conversation.handle(Incoming(ME, "announce here", channel="C1", is_direct=False, is_admin=True))
    move(core, 3, "2026-03-28T16:00:00+01:00")
    before = stored(core)
    # The log row is the last thing a sync writes; a full disk there used to leave the notices half-written.
    core.catalogs.db.execute(
        "CREATE TRIGGER full_disk BEFORE INSERT ON sync_log BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
    )
    with pytest.raises(StoreError, match="nothing was changed, run the sync again"):
        sync_conference(core.catalogs, "searchcon-2026", core.clock.now())
    assert stored(core) == before
    core.catalogs.db.execute("DROP TRIGGER full_disk")
    report = sync_conference(core.catalogs, "searchcon-2026", core.clock.now())
    assert report.outcome == "updated" and report.notices == 3  # two people and one channel
    asyncio.run(core.dispatcher.run_due())
    told = sorted((t.address, r.text.split(":")[0]) for t, r in core.notifier.sent)
    assert told == [
        ("C1", "📅 Schedule update for SearchCon 2026"),
        ("ana", "📅 “Scaling PostgreSQL” changed"),
        ("me", "📅 “Scaling PostgreSQL” changed"),
    ]
    assert sync_conference(core.catalogs, "searchcon-2026", core.clock.now()).notices == 0


def test_sync_does_not_join_a_transaction_left_open_on_the_shared_connection(core: Core) -> None:
    """The bot runs sync in a thread while its event loop keeps using the same connection: the sync writes on a
    connection of its own, so whatever the loop then rolls back is the loop's alone."""
    core.press("remind", "searchcon-2026:3")
    move(core, 3, "2026-03-28T16:00:00+01:00")
    db = core.catalogs.db
    db.execute("BEGIN")  # the loop, half-way through a read of its own
    db.execute("SELECT count(*) FROM agenda").fetchone()
    report = sync_conference(core.catalogs, "searchcon-2026", core.clock.now())
    db.execute("ROLLBACK")
    assert report.notices == 1
    assert core.catalogs.session("searchcon-2026", "3").start.hour == 16  # type: ignore[union-attr]
    assert db.execute("SELECT count(*) FROM deliveries").fetchone()[0] == 1


def test_sync_killed_before_during_and_after_its_write_delivers_every_notice_once(tmp_path: Path) -> None:
    report = kill_rounds("new", tmp_path, kills=3, people=150)
    assert sum(report.kills.values()) == 3
    assert report.expected > 300
    assert (report.lost, report.twice, report.unexpected) == (0, 0, 0)
