"""The sync guard reads what a new schedule says: blanked titles or times, and losses that creep in small steps."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.sync_children import SLUG, first_day, write_schedule
from bot.store import CatalogStore, open_database
from bot.sync import sync_conference
from catalog.load import load
from tests.conftest import CliRunner

DAY = first_day()


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return tmp_path / "faultcon.schedule.json"


def store_of(tmp_path: Path, source: Path, count: int) -> CatalogStore:
    write_schedule(source, DAY, count)
    store = CatalogStore(open_database(tmp_path / "guard.db"))
    store.save(load(str(source)))
    return store


def sync(store: CatalogStore, force: bool = False) -> tuple[str, str]:
    report = sync_conference(store, SLUG, DAY, force=force)
    return report.outcome, report.message


def titles(store: CatalogStore) -> int:
    return sum(1 for s in store.sessions(SLUG) if s.title)


def test_blanking_titles_of_a_third_is_refused_and_nothing_changes(tmp_path: Path, source: Path) -> None:
    store = store_of(tmp_path, source, 100)
    write_schedule(source, DAY, 100, titles=31)
    outcome, message = sync(store)
    assert outcome == "refused"
    assert message == (
        "FaultCon: the new schedule would blank the title or time of 31 of 100 sessions (31%), affecting "
        "no one's saved sessions; refused. Check the source, then 'confbot sync --force'."
    )
    assert titles(store) == 100
    assert sync(store, force=True)[0] == "updated" and titles(store) == 69


def test_blanking_times_is_refused_too_and_a_smaller_share_passes(tmp_path: Path, source: Path) -> None:
    store = store_of(tmp_path, source, 100)
    write_schedule(source, DAY, 100, times=40)
    outcome, message = sync(store)
    assert outcome == "refused" and "blank the title or time of 40 of 100 sessions (40%)" in message
    write_schedule(source, DAY, 100, times=20)  # a fifth of the talks lose their slot: plausible, accepted
    assert sync(store)[0] == "updated"
    assert sum(1 for s in store.sessions(SLUG) if s.start is None) == 20


def test_four_syncs_of_minus_29_percent_stop_at_the_second(tmp_path: Path, source: Path) -> None:
    store = store_of(tmp_path, source, 943)
    write_schedule(source, DAY, 670)  # -29%
    assert sync(store)[0] == "updated"
    write_schedule(source, DAY, 476)  # -29% again: -49% since the first import
    outcome, message = sync(store)
    assert outcome == "refused"
    assert message == (
        "FaultCon: the new schedule has 476 sessions, 49% fewer than the 943 accepted since the first or last "
        "forced import, affecting no one's saved sessions; refused. Check the source, then 'confbot sync --force'."
    )
    assert len(store.sessions(SLUG)) == 670
    write_schedule(source, DAY, 338)
    assert sync(store)[0] == "refused"
    assert len(store.sessions(SLUG)) == 670


def test_forcing_sets_the_new_mark(tmp_path: Path, source: Path) -> None:
    store = store_of(tmp_path, source, 943)
    write_schedule(source, DAY, 670)
    sync(store)
    write_schedule(source, DAY, 476)
    assert sync(store, force=True)[0] == "updated"
    write_schedule(source, DAY, 400)  # -16% from the forced 476
    assert sync(store)[0] == "updated"
    write_schedule(source, DAY, 300)  # -37% from the forced 476
    assert sync(store)[0] == "refused"


def test_growth_raises_the_mark(tmp_path: Path, source: Path) -> None:
    store = store_of(tmp_path, source, 100)
    write_schedule(source, DAY, 200)
    assert sync(store)[0] == "updated"
    write_schedule(source, DAY, 150)  # more than at the first import, yet a quarter of what was accepted
    assert sync(store)[0] == "updated"
    write_schedule(source, DAY, 130)  # -35% from the 200 accepted
    assert sync(store)[0] == "refused"


def test_blanks_that_creep_in_are_caught(tmp_path: Path, source: Path) -> None:
    store = store_of(tmp_path, source, 100)
    write_schedule(source, DAY, 100, titles=25)
    assert sync(store)[0] == "updated"
    write_schedule(source, DAY, 100, titles=50)  # 25 more lose their title: 50 complete of 100
    outcome, message = sync(store)
    assert outcome == "refused"
    assert "has 50 sessions with a title and a time, 50% fewer than the 100 accepted" in message


def test_an_import_by_hand_resets_the_mark(tmp_path: Path, source: Path) -> None:
    store = store_of(tmp_path, source, 943)
    write_schedule(source, DAY, 670)
    sync(store)
    write_schedule(source, DAY, 476)
    store.save(load(str(source)))  # `confbot import` by an organiser: their choice, not a source gone wrong
    write_schedule(source, DAY, 400)
    assert sync(store)[0] == "updated"


def test_cli_says_why_in_one_line(cli: CliRunner, tmp_path: Path, source: Path) -> None:
    write_schedule(source, DAY, 100)
    db = tmp_path / "cli.db"
    assert cli("import", source, "--db", db).code == 0
    write_schedule(source, DAY, 100, titles=100)
    refused = cli("sync", "--db", db)
    assert refused.code == 1 and "Traceback" not in refused.err
    assert refused.out == (
        "faultcon: the new schedule would blank the title or time of 100 of 100 sessions "
        "(100%), affecting no one's saved sessions; refused. Check the source, then 'confbot sync --force'.\n"
    )
    forced = cli("sync", "--db", db, "--force")
    assert forced.code == 0 and "100 changed" in forced.out
