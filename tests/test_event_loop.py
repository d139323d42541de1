"""Nothing slow on the event loop: slash commands keep being answered while the index is rebuilt elsewhere.

The real Bolt app over HTTP with the Slack stand-in; the rebuild is held at a gate the test controls, so what
is checked is ordering (answers while the rebuild has not finished), never time.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from bot.search.engine import SearchEngine
from bot.search.service import engine_from_store
from bot.store import CatalogStore, open_database
from catalog.load import load
from tests.conftest import FIXTURES
from tests.test_slack import SlackBot, slack  # noqa: F401  (the fixture: the real Bolt app over HTTP, as there)

RENAMED = "DuckDB for analysts at Quokkafest"


class Gate:
    """Holds index rebuilds until released; records that one started."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()

    def build(self, store: CatalogStore) -> SearchEngine:
        self.started.set()
        self.release.wait(timeout=30)
        return engine_from_store(store)


def reimport_renamed(path: Path) -> None:
    """Another writer (as `confbot import` in another process would be) renames one session."""
    catalog = load(str(FIXTURES / "searchcon.schedule.json"))
    renamed = tuple(replace(s, title=RENAMED) if s.title == "DuckDB for analysts" else s for s in catalog.sessions)
    CatalogStore(open_database(path)).save(replace(catalog, sessions=renamed))


async def test_commands_are_answered_from_the_old_index_while_the_new_one_is_built(
    slack: SlackBot,  # noqa: F811
    tmp_path: Path,
) -> None:
    assert "DuckDB for analysts" in json.dumps(await slack.command("duckdb"))  # the first index exists
    gate = Gate()
    slack.runtime.search.build = gate.build
    reimport_renamed(tmp_path / "slack.db")
    try:
        first = await slack.command("kubernetes")  # notices the change and starts the rebuild in the background
        answers = await asyncio.gather(*(slack.command("duckdb", user=f"U{100 + i}") for i in range(20)))
        assert gate.started.is_set() and slack.runtime.search.rebuilding  # still held at the gate
        assert "Kubernetes operators explained" in json.dumps(first)
        for answer in answers:
            assert "DuckDB for analysts" in json.dumps(answer) and "Quokkafest" not in json.dumps(answer)
    finally:
        gate.release.set()
    for _ in range(500):
        if not slack.runtime.search.rebuilding:
            break
        await asyncio.sleep(0.01)
    assert RENAMED in json.dumps(await slack.command("quokkafest"))


async def test_the_loop_answers_while_the_store_thread_is_busy(slack: SlackBot) -> None:  # noqa: F811
    busy, release = threading.Event(), threading.Event()

    def hold() -> bool:
        busy.set()
        return release.wait(timeout=10)  # False if the test could not release it: the loop was blocked

    held = asyncio.ensure_future(slack.runtime.in_store(hold))
    queued = asyncio.ensure_future(slack.command("duckdb"))
    try:
        while not busy.is_set():
            await asyncio.sleep(0.01)
        health = await slack.http.get(f"{slack.url}/livez")  # the loop is free: it answers at once
        assert health.status == 200 and not queued.done()
    finally:
        release.set()
    assert "DuckDB for analysts" in json.dumps(await queued)
    assert await held


async def test_a_reminder_saved_in_a_burst_moves_the_next_wake_up(slack: SlackBot) -> None:  # noqa: F811
    scheduler = slack.runtime.scheduler
    scheduler.scheduler.start(paused=True)
    await asyncio.gather(*(slack.command(text, user="U9") for text in ("remind 3", "rust", "kubernetes", "agenda")))
    for _ in range(200):
        job = scheduler.scheduler.get_job("next-due")
        if job is not None:
            break
        await asyncio.sleep(0.01)
    assert job is not None and job.trigger.run_date == datetime.fromisoformat("2026-03-28T13:50:00+01:00")


async def test_searches_are_answered_while_another_process_holds_the_write_lock(
    slack: SlackBot,  # noqa: F811
    tmp_path: Path,
) -> None:
    importer = sqlite3.connect(tmp_path / "slack.db", isolation_level=None)
    importer.execute("BEGIN IMMEDIATE")  # what `confbot import` holds for seconds while it writes a catalog
    try:
        found = await slack.command("duckdb", user="U7")  # its list is kept in memory until the lock is free
        remind = asyncio.ensure_future(slack.command("remind 1", user="U7"))  # must write: it waits, apart
        await asyncio.sleep(0.3)  # let it reach the store thread first (the order is what matters, not the time)
        later = await slack.command("kubernetes", user="U8")  # not held up behind the waiting remind
        assert "DuckDB for analysts" in json.dumps(found) and "Kubernetes operators explained" in json.dumps(later)
        assert not remind.done()
    finally:
        importer.execute("ROLLBACK")
    assert "DuckDB for analysts" in json.dumps(await remind)
    assert any(title == "DuckDB for analysts" for title in saved_titles(slack, "U7"))
    lists = slack.runtime.lists
    assert lists is not None
    for _ in range(500):
        if not lists.unwritten:
            break
        await asyncio.sleep(0.01)
    stored = importer.execute("SELECT user FROM last_list ORDER BY user").fetchall()
    assert [u for (u,) in stored] == ["U7", "U8"]


def saved_titles(bot: SlackBot, user: str) -> list[str]:
    rows = bot.runtime.catalogs.db.execute(
        "SELECT s.title FROM agenda a JOIN sessions s ON s.conference = a.conference AND s.id = a.session_id "
        "WHERE a.user = ?",
        [user],
    ).fetchall()
    return [r[0] for r in rows]
