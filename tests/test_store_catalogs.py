"""The catalog store: several conferences side by side, and a re-import that reports exactly what changed."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.store import CatalogStore, open_database
from catalog.load import load
from catalog.model import Session
from tests.conftest import FIXTURES, CliRunner


def test_conferences_live_side_by_side(tmp_path: Path) -> None:
    store = CatalogStore(open_database(tmp_path / "s.db"))
    store.save(load(str(FIXTURES / "mini-frab.xml")))
    store.save(load(str(FIXTURES / "mini.schedule.json")))
    assert [c.slug for c in store.conferences()] == ["jsoncon", "minicon-2025"]
    assert len(store.sessions("minicon-2025")) == 4
    assert store.session("jsoncon", "7").title == "Opening"  # type: ignore[union-attr]
    assert store.session("jsoncon", "101") is None


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    store = CatalogStore(open_database(tmp_path / "s.db"))
    cat = load(str(FIXTURES / "sessionize-grid"), timezone="Europe/London")
    store.save(cat)
    assert sorted(store.sessions(cat.conference.slug), key=lambda s: s.id) == sorted(cat.sessions, key=lambda s: s.id)


def test_reimport_reports_added_changed_removed(tmp_path: Path) -> None:
    store = CatalogStore(open_database(tmp_path / "s.db"))
    cat = load(str(FIXTURES / "mini-frab.xml"))
    store.save(cat)
    sessions = {s.id: s for s in cat.sessions}
    moved = replace(sessions["101"], start=sessions["101"].start + timedelta(hours=1))  # type: ignore[operator]
    renamed = replace(sessions["103"], title="PostgreSQL tuning, revised", room="Aula")
    new = Session(id="999", title="Brand new")
    changes = store.save(replace(cat, sessions=(moved, renamed, sessions["103#2"], new)))
    assert [s.id for s in changes.added] == ["999"]
    assert [s.id for s in changes.removed] == ["102"]
    fields = {c.after.id: c.fields for c in changes.changed}
    assert fields == {"101": ("time",), "103": ("room", "title")}
    assert changes.unchanged == 1
    assert "1 added, 2 changed (2 moved), 1 removed" in changes.summary()
    assert {s.id for s in store.sessions("minicon-2025")} == {"101", "103", "103#2", "999"}


def test_failed_write_rolls_back(tmp_path: Path) -> None:
    store = CatalogStore(open_database(tmp_path / "s.db"))
    cat = load(str(FIXTURES / "mini-frab.xml"))
    store.save(cat)
    broken = replace(cat, sessions=cat.sessions + (cat.sessions[0],))  # duplicate primary key
    with pytest.raises(Exception):  # noqa: B017 - sqlite's IntegrityError; what matters is what remains
        store.save(broken)
    assert len(store.sessions("minicon-2025")) == 4


def test_cli_reimport_prints_the_diff(cli: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    first = cli("import", FIXTURES / "mini-frab.xml", "--db", db)
    assert "4 sessions, 3 speakers, 3 tracks, 2 rooms" in first.out
    assert "re-import" not in first.out
    second = cli("import", FIXTURES / "mini-frab.xml", "--db", db)
    assert "re-import: no changes (4 sessions unchanged)" in second.out
    assert "used more than once" in second.out


def test_cli_name_option_and_catalogs_json(cli: CliRunner, tmp_path: Path) -> None:
    import json

    db = tmp_path / "s.db"
    assert cli("import", FIXTURES / "mini.csv", "--db", db, "--name", "mine", "--timezone", "UTC").code == 0
    listed = json.loads(cli("catalogs", "--db", db, "--json").out)
    assert listed == [
        {
            "slug": "mine",
            "title": "Mini",
            "sessions": 2,
            "speakers": 2,
            "tracks": 2,
            "rooms": 1,
            "timezone": "UTC",
            "start": "2025-09-01",
            "end": "2025-09-01",
            "source": str(FIXTURES / "mini.csv"),
            "note": "",
        }
    ]


def test_db_from_environment_and_config(cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env_db = tmp_path / "env.db"
    monkeypatch.setenv("CONFBOT_DB", str(env_db))
    assert cli("import", FIXTURES / "mini-frab.xml").code == 0
    assert env_db.exists()
    monkeypatch.delenv("CONFBOT_DB")
    config = tmp_path / "c.toml"
    config.write_text(f'db = "{tmp_path / "conf.db"}"\n[catalog]\ntimezone = "UTC"\n')
    assert cli("--config", config, "import", FIXTURES / "naive.schedule.json").code == 0
    assert (tmp_path / "conf.db").exists()


def test_default_db_is_in_the_current_folder(cli: CliRunner, tmp_path: Path) -> None:
    assert cli("import", FIXTURES / "mini-frab.xml").code == 0
    assert (tmp_path / "confbot.db").exists()  # the cli fixture runs in tmp_path


def test_a_save_read_before_another_import_diffs_against_what_is_stored(tmp_path: Path) -> None:
    store = CatalogStore(open_database(tmp_path / "s.db"))
    cat = load(str(FIXTURES / "mini-frab.xml"))
    store.save(cat)
    read_early = store.snapshot("minicon-2025")  # a sync reads the old sessions before it takes the lock...
    first = cat.sessions[0]
    moved = replace(first, start=first.start + timedelta(hours=1))  # type: ignore[operator]
    same_time = datetime(2025, 9, 1, 9, tzinfo=UTC)  # a virtual clock that has not moved between the two
    store.save(replace(cat, sessions=(moved, *cat.sessions[1:])), same_time)  # ...meanwhile someone imports a move
    changes = store.save(cat, same_time, previous=read_early)
    assert [(c.after.id, c.fields) for c in changes.changed] == [(first.id, ("time",))]
    assert store.session("minicon-2025", first.id) == first


def _schedule_json(tmp_path: Path, zone: str | None) -> Path:
    """mini.schedule.json (-04:00 offsets), with or without the zone named in conference.time_zone_name."""
    doc = json.loads((FIXTURES / "mini.schedule.json").read_text())
    doc["schedule"]["conference"].pop("time_zone_name")
    if zone:
        doc["schedule"]["conference"]["time_zone_name"] = zone
    path = tmp_path / "offsets.schedule.json"
    path.write_text(json.dumps(doc))
    return path


def test_catalogs_name_the_zone_the_file_names(cli: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    assert cli("import", _schedule_json(tmp_path, "America/New_York"), "--db", db).code == 0
    line = cli("catalogs", "--db", db).out
    assert "America/New_York)" in line and "offset" not in line


def test_catalogs_say_an_offset_is_only_an_offset(cli: CliRunner, tmp_path: Path) -> None:
    """camp2019's schedule.json gives only '+02:00' times: people are told the zone is unknown and how to name it."""
    db = tmp_path / "s.db"
    imported = cli("import", _schedule_json(tmp_path, None), "--db", db)
    assert "time zone -04:00, only an offset" in imported.out
    line = cli("catalogs", "--db", db).out
    assert "-04:00*)" in line and "* only an offset: the file names no zone" in line and "--timezone Area/City" in line
    renamed = cli("import", _schedule_json(tmp_path, None), "--timezone", "America/New_York", "--db", db)
    assert renamed.code == 0
    listed = cli("catalogs", "--db", db).out
    assert "America/New_York)" in listed and "offset" not in listed


def test_catalogs_say_the_offset_hint_once_below_the_table(cli: CliRunner, tmp_path: Path) -> None:
    """Three congresses with offsets only used to repeat the long hint on each of their rows."""
    db = tmp_path / "s.db"
    for name in ("one", "two", "three"):
        assert cli("import", _schedule_json(tmp_path, None), "--name", name, "--db", db).code == 0
    listed = cli("catalogs", "--db", db).out.splitlines()
    rows = [line for line in listed if line.startswith(("one:", "two:", "three:"))]
    assert len(rows) == 3 and all("-04:00*)" in row and "only an offset" not in row for row in rows)
    assert sum("only an offset" in line for line in listed) == 1 and listed[-1].startswith("* only an offset")


def test_reimport_with_a_zone_says_the_zone_changed_and_only_once(cli: CliRunner, tmp_path: Path) -> None:
    """36c3 imported with offsets, then with --timezone Europe/Berlin, said 'no changes' though its zone changed."""
    db = tmp_path / "s.db"
    assert cli("import", _schedule_json(tmp_path, None), "--db", db).code == 0
    named = cli("import", _schedule_json(tmp_path, None), "--timezone", "America/New_York", "--db", db)
    assert named.code == 0 and "re-import: time zone -04:00 -> America/New_York; no changes" in named.out
    again = cli("import", _schedule_json(tmp_path, None), "--timezone", "America/New_York", "--db", db)
    assert again.code == 0 and "re-import: no changes" in again.out and "time zone -04:00" not in again.out
    # Imported again without --timezone: the zone named before holds (it fell back to the bare offset).
    as_json = json.loads(cli("import", _schedule_json(tmp_path, None), "--json", "--db", db).out)
    assert as_json["timezone_before"] == "America/New_York" and as_json["timezone"] == "America/New_York"
    assert "America/New_York)" in cli("catalogs", "--db", db).out


def test_a_given_title_names_the_conference_through_reimport_and_sync(cli: CliRunner, tmp_path: Path) -> None:
    """A CSV's file name makes a poor title ('Dais 2025'); --title names it, and nothing later undoes that."""
    source, db = tmp_path / "dais-2025.csv", tmp_path / "s.db"
    source.write_text((FIXTURES / "mini.csv").read_text())
    imported = cli("import", source, "--timezone", "UTC", "--title", "Data + AI Summit 2025", "--db", db)
    assert imported.code == 0 and "Imported dais-2025: Data + AI Summit 2025" in imported.out
    again = cli("import", source, "--timezone", "UTC", "--db", db)
    assert again.code == 0 and "Data + AI Summit 2025" in again.out
    source.write_text(source.read_text().replace("Welcome", "Welcome and coffee"))
    assert cli("sync", "--db", db).code == 0
    assert cli("catalogs", "--db", db).out.startswith("dais-2025: Data + AI Summit 2025 (")
    renamed = cli("import", source, "--timezone", "UTC", "--title", "DAIS 25", "--db", db)
    assert renamed.code == 0 and "DAIS 25" in cli("catalogs", "--db", db).out


def test_a_blank_title_is_one_line_and_changes_nothing(cli: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    assert cli("import", FIXTURES / "mini.csv", "--timezone", "UTC", "--name", "mini", "--db", db).code == 0
    before = cli("catalogs", "--db", db).out
    refused = cli("import", FIXTURES / "mini.csv", "--timezone", "UTC", "--name", "mini", "--title", " ", "--db", db)
    assert refused.code == 1 and "--title" in refused.err and len(refused.err.strip().splitlines()) == 1
    assert cli("catalogs", "--db", db).out == before
