"""Bad input ends in one line naming the file and the problem, exit status 1, and the store exactly as it was."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, CliRunner, dump


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bad_sources(tmp: Path) -> dict[str, tuple[str, str]]:
    random_bytes = tmp / "noise.bin"
    random_bytes.write_bytes(os.urandom(4096))
    half_json = tmp / "half.schedule.json"
    half_json.write_text((FIXTURES / "mini.schedule.json").read_text()[:300])
    garbage_ics = tmp / "broken.ics"
    garbage_ics.write_bytes(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:notadate\r\n")
    empty = tmp / "empty.xml"
    empty.write_bytes(b"")
    return {
        "truncated xml": (str(FIXTURES / "truncated.xml"), "malformed or truncated XML"),
        "truncated json": (str(half_json), "malformed or truncated JSON"),
        "json that is no schedule": (str(FIXTURES / "not-a-schedule.json"), "no schedule in it"),
        "random bytes": (str(random_bytes), "not a schedule"),
        "entity bomb": (str(FIXTURES / "entity-bomb.xml"), "refused XML"),
        "unreachable url": (f"http://127.0.0.1:{closed_port()}/schedule.xml", "unreachable"),
        "loopback url": (f"http://127.0.0.1:{closed_port()}/schedule.xml", "not allowed; pass --allow-private"),
        "missing file": (str(tmp / "nope.xml"), "no such file"),
        "broken ics": (str(garbage_ics), "iCalendar"),
        "empty file": (str(empty), "empty file"),
        "naive times": (str(FIXTURES / "naive.schedule.json"), "--timezone"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "truncated xml",
        "truncated json",
        "json that is no schedule",
        "random bytes",
        "entity bomb",
        "unreachable url",
        "loopback url",
        "missing file",
        "broken ics",
        "empty file",
        "naive times",
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(cli: CliRunner, tmp_path: Path, case: str) -> None:
    db = tmp_path / "store.db"
    assert cli("import", FIXTURES / "mini-frab.xml", "--db", db).code == 0
    before = dump(db)
    source, expected = bad_sources(tmp_path)[case]
    result = cli("import", source, "--db", db, *(["--allow-private"] if case == "unreachable url" else []))
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("confbot: error: ")
    assert expected in lines[0]
    assert "Traceback" not in result.err
    assert dump(db) == before


def test_unknown_timezone_is_one_line(cli: CliRunner, tmp_path: Path) -> None:
    result = cli("import", FIXTURES / "mini.csv", "--db", tmp_path / "s.db", "--timezone", "Mars/Olympus")
    assert result.code == 1
    assert "unknown time zone 'Mars/Olympus'" in result.err


def test_bad_column_option_is_one_line(cli: CliRunner, tmp_path: Path) -> None:
    result = cli("import", FIXTURES / "mini.csv", "--db", tmp_path / "s.db", "--column", "title")
    assert result.code == 1 and "FIELD=HEADER" in result.err


def test_database_that_is_not_sqlite_is_one_line(cli: CliRunner, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"this is not a database at all" * 100)
    result = cli("catalogs", "--db", bogus)
    assert result.code == 1
    assert "not a usable confbot database" in result.err
    assert bogus.read_bytes() == b"this is not a database at all" * 100
