"""`confbot search` as checks and other programs use it: arguments, standard input, JSON lines."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.search.service import SearchService
from bot.store import CatalogStore, open_database
from catalog.load import load
from tests.conftest import FIXTURES, CliRunner


@pytest.fixture
def store_db(cli: CliRunner, tmp_path: Path) -> Path:
    db = tmp_path / "s.db"
    assert cli("import", FIXTURES / "searchcon.schedule.json", "--db", db).code == 0
    assert cli("import", FIXTURES / "mini-frab.xml", "--db", db).code == 0
    return db


def test_json_line_per_query(cli: CliRunner, store_db: Path) -> None:
    result = cli("search", "--db", store_db, "--json", "--now", "2026-03-28T09:00:00+01:00", "duckbd")
    answer = json.loads(result.out)
    assert answer["query"] == "duckbd"
    assert isinstance(answer["took_ms"], float)
    first = answer["results"][0]
    assert first["id"] == "15" and first["conference"] == "searchcon-2026"
    assert first["title"] == "DuckDB for analysts"
    assert first["start"] == "2026-03-28T12:00:00+01:00" and first["end"] == "2026-03-28T12:30:00+01:00"
    assert first["room"] == "H.1302" and first["track"] == "Databases" and first["speakers"] == ["Mia Sato"]
    assert first["score"] > 0 and first["why"]


def test_searches_every_conference_unless_told(cli: CliRunner, store_db: Path) -> None:
    both = json.loads(cli("search", "--db", store_db, "--json", "rust").out)
    assert {r["conference"] for r in both["results"]} == {"searchcon-2026", "minicon-2025"}
    one = json.loads(cli("search", "--db", store_db, "--json", "--conference", "minicon-2025", "rust").out)
    assert {r["conference"] for r in one["results"]} == {"minicon-2025"}


def test_reads_queries_from_standard_input_in_order(
    cli: CliRunner, store_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("k8s\nlibre office\n\nhorovod\n"))
    lines = cli("search", "--db", store_db, "--json", "--limit", "1").out.splitlines()
    answers = [json.loads(line) for line in lines]
    assert [a["query"] for a in answers] == ["k8s", "libre office", "", "horovod"]
    assert answers[0]["results"][0]["id"] == "2"
    assert answers[2]["results"] == [] and "Tell me what to look for" in answers[2]["message"]
    assert answers[3]["results"][0]["id"] == "12"


def test_text_output_is_readable(cli: CliRunner, store_db: Path) -> None:
    out = cli("search", "--db", store_db, "--now", "2026-03-28T09:00:00+01:00", "talks by jana cermak").out
    # She speaks at both conferences in the store; filters alone list in time order.
    assert "1. Rust & the kernel  [minicon-2025 101]" in out
    assert "2. Scaling PostgreSQL  [searchcon-2026 3]" in out
    assert "why: speaker: Jana Čermák" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--now", "yesterday-ish"], "is not an ISO 8601 time"),
        (["--conference", "nope"], "no conference 'nope'"),
        (["--limit", "0"], "--limit must be at least 1"),
    ],
)
def test_bad_options_are_one_line(cli: CliRunner, store_db: Path, args: list[str], message: str) -> None:
    result = cli("search", "--db", store_db, *args, "rust")
    assert result.code == 1 and message in result.err and len(result.err.strip().splitlines()) == 1


def test_empty_store_says_how_to_fill_it(cli: CliRunner, tmp_path: Path) -> None:
    result = cli("search", "--db", tmp_path / "empty.db", "rust")
    assert result.code == 1 and "confbot import" in result.err


def test_index_is_rebuilt_when_a_catalog_changes(tmp_path: Path) -> None:
    store = CatalogStore(open_database(tmp_path / "s.db"))
    store.save(load(str(FIXTURES / "mini-frab.xml")))
    service = SearchService(store)
    engine = service.engine()
    assert service.engine() is engine  # unchanged store: same index
    assert engine.search("searchcon", now=load_now()).hits == ()
    store.save(load(str(FIXTURES / "searchcon.schedule.json")))
    rebuilt = service.engine()
    assert rebuilt is not engine
    assert rebuilt.search("horovod", now=load_now()).hits[0].session.id == "12"


def load_now():  # type: ignore[no-untyped-def]
    from datetime import datetime

    return datetime.fromisoformat("2026-03-28T09:00:00+01:00")
