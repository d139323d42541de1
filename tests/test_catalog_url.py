"""Importing from http(s): a real HTTP server on loopback, Sessionize's sibling speakers view, and the
periodic sync a running bot does for catalogs that came from a URL."""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections.abc import Iterator
from datetime import datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.clock import VirtualClock
from bot.config import Config
from bot.runtime import build_runtime, sync_interval
from bot.store import CatalogStore, open_database
from catalog.load import load
from tests.conftest import FIXTURES, CliRunner
from tests.fakes import FakeNotifier


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "www"
    shutil.copytree(FIXTURES, root)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()


def test_import_from_a_url(cli: CliRunner, tmp_path: Path, served: tuple[str, Path]) -> None:
    base, _ = served
    result = cli("import", f"{base}/mini-frab.xml", "--db", tmp_path / "u.db", "--allow-private")
    assert result.code == 0 and "Imported minicon-2025" in result.out
    store = CatalogStore(open_database(tmp_path / "u.db"))
    assert store.conference("minicon-2025").source == f"{base}/mini-frab.xml"  # type: ignore[union-attr]


def test_sessionize_grid_url_finds_speakers_beside_it(served: tuple[str, Path]) -> None:
    base, _ = served
    cat = load(f"{base}/sessionize-grid/schedule-grid.json", timezone="Europe/London", allow_private=True)
    assert cat.sessions[0].speakers[0].bio == "Builds UIs."


def test_http_error_is_one_line(cli: CliRunner, tmp_path: Path, served: tuple[str, Path]) -> None:
    base, _ = served
    result = cli("import", f"{base}/nope.xml", "--db", tmp_path / "u.db", "--allow-private")
    assert result.code == 1 and "the server answered 404" in result.err


def test_config_maps_csv_columns(cli: CliRunner, tmp_path: Path) -> None:
    config = tmp_path / "confbot.toml"
    config.write_text('[catalog]\ntimezone = "Europe/Berlin"\n[catalog.csv_columns]\nabstract = "Blurb"\n')
    assert cli("--config", config, "import", FIXTURES / "mini-custom.csv", "--db", tmp_path / "c.db").code == 0
    store = CatalogStore(open_database(tmp_path / "c.db"))
    assert store.session("mini-custom", "c1").abstract == "Pods & services"  # type: ignore[union-attr]


def test_periodic_sync_rereads_url_catalogs(tmp_path: Path, served: tuple[str, Path]) -> None:
    base, root = served
    db = open_database(tmp_path / "run.db")
    catalogs = CatalogStore(db)
    catalogs.save(load(f"{base}/mini-frab.xml", allow_private=True))
    catalogs.remember_import_options("minicon-2025", None, (), allow_private=True)
    runtime = build_runtime(
        db,
        FakeNotifier(),
        VirtualClock(datetime.fromisoformat("2025-03-01T08:00:00+01:00")),
        Config(sections={"sync": {"interval_minutes": 5}}),
    )
    assert sync_interval(Config(sections={"sync": {"interval_minutes": 5}})).total_seconds() == 300
    (root / "mini-frab.xml").write_text(
        (root / "mini-frab.xml").read_text().replace("Rust &amp; the kernel", "Rust &amp; the kernel, again")
    )
    jobs = {name: job for name, job, _ in runtime.scheduler.periodic}

    async def tick() -> None:
        runtime.scheduler.scheduler.start(paused=True)
        await jobs["sync"]()
        runtime.scheduler.shutdown()

    asyncio.run(tick())
    assert catalogs.session("minicon-2025", "101").title == "Rust & the kernel, again"  # type: ignore[union-attr]


def test_sync_remembers_allow_private_from_the_import(cli: CliRunner, tmp_path: Path, served: tuple[str, Path]) -> None:
    base, root = served
    db = tmp_path / "u.db"
    assert cli("import", f"{base}/mini-frab.xml", "--db", db, "--allow-private").code == 0
    (root / "mini-frab.xml").write_text((root / "mini-frab.xml").read_text().replace("Rust &amp;", "Zig &amp;"))
    result = cli("sync", "--db", db)
    assert result.code == 0, result.err
    assert CatalogStore(open_database(db)).session("minicon-2025", "101").title.startswith("Zig")  # type: ignore[union-attr]


def test_sync_of_a_loopback_source_imported_before_the_flag_needs_it(
    cli: CliRunner, tmp_path: Path, served: tuple[str, Path]
) -> None:
    base, _ = served
    db = tmp_path / "u.db"
    store = CatalogStore(open_database(db))
    store.save(load(f"{base}/mini-frab.xml", allow_private=True))
    refused = cli("sync", "--db", db)
    assert refused.code == 1 and "not allowed" in refused.out
    assert cli("sync", "--db", db, "--allow-private").code == 0


def test_periodic_sync_goes_on_when_one_conference_fails(
    tmp_path: Path, served: tuple[str, Path], caplog: pytest.LogCaptureFixture
) -> None:
    base, root = served
    db = open_database(tmp_path / "run.db")
    catalogs = CatalogStore(db)
    for name, slug in (("mini.schedule.json", "jsoncon"), ("mini-frab.xml", "minicon-2025")):
        catalogs.save(load(f"{base}/{name}", allow_private=True))
        catalogs.remember_import_options(slug, None, (), allow_private=True)
    # jsoncon syncs first: one source gone, and one conference whose stored options no longer parse.
    (root / "mini.schedule.json").unlink()
    runtime = build_runtime(
        db, FakeNotifier(), VirtualClock(datetime.fromisoformat("2025-03-01T08:00:00+01:00")), Config(sections={})
    )
    (root / "mini-frab.xml").write_text(
        (root / "mini-frab.xml").read_text().replace("Rust &amp; the kernel", "Rust &amp; the kernel, moved")
    )
    jobs = {name: job for name, job, _ in runtime.scheduler.periodic}

    async def tick() -> None:
        runtime.scheduler.scheduler.start(paused=True)
        await jobs["sync"]()
        runtime.scheduler.shutdown()

    asyncio.run(tick())
    assert catalogs.session("minicon-2025", "101").title == "Rust & the kernel, moved"  # type: ignore[union-attr]
    assert any("jsoncon" in r.getMessage() and "404" in r.getMessage() for r in caplog.records)

    db.execute("UPDATE conferences SET import_options = 'not json' WHERE slug = 'jsoncon'")
    (root / "mini-frab.xml").write_text(
        (root / "mini-frab.xml").read_text().replace("the kernel, moved", "the kernel, again")
    )
    caplog.clear()
    asyncio.run(tick())
    assert catalogs.session("minicon-2025", "101").title == "Rust & the kernel, again"  # type: ignore[union-attr]
    assert any(r.levelname == "ERROR" and "periodic sync of jsoncon failed" in r.getMessage() for r in caplog.records)
