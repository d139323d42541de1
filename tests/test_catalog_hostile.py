"""Hostile schedules: every variant ends in a catalog within limits or one line of error, never a traceback;
the kept corpus goes through `confbot import` and leaves the store unchanged when refused."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.store import CatalogStore, open_database
from catalog.errors import CatalogError
from catalog.limits import MAX_ABSTRACT, MAX_ID, MAX_LABEL, MAX_NAME, MAX_TITLE
from catalog.load import load
from catalog.model import Catalog
from tests import hostile
from tests.conftest import FIXTURES, CliRunner, dump

CORPUS = [line.split("\t") for line in (hostile.CORPUS_DIR / "MANIFEST.tsv").read_text().splitlines()[1:]]


def assert_within_limits(catalog: Catalog) -> None:
    """What the rest of the bot relies on, whatever the file said."""
    for s in catalog.sessions:
        assert 0 < len(s.id) <= MAX_ID
        assert len(s.title) <= MAX_TITLE and len(s.abstract) <= MAX_ABSTRACT
        assert all(len(v) <= MAX_LABEL for v in (s.room, s.track, s.type, s.language, s.level, *s.tags))
        assert all(len(p.name) <= MAX_NAME for p in s.speakers)
        assert s.url == "" or (s.url.startswith(("http://", "https://")) and not any(c in s.url for c in " \r\n<>|"))
        for text in (s.id, s.title, s.abstract, s.room, s.url, *s.speaker_names):
            text.encode("utf-8")  # no lone surrogate: SQLite and every chat platform need valid UTF-8
        if s.start is not None:
            assert s.start.tzinfo is not None and 1970 <= s.start.year <= 2200
            assert s.end is None or timedelta(0) <= s.end - s.start <= timedelta(days=7)
    for warning in catalog.warnings:
        assert "\n" not in warning and len(warning) <= 400


@pytest.mark.parametrize("fmt", list(hostile.all_formats()))
def test_every_hostile_variant_imports_within_limits_or_is_refused_in_one_line(tmp_path: Path, fmt: str) -> None:
    store = CatalogStore(open_database(tmp_path / "hostile.db"))
    outcomes = {"imported": 0, "refused": 0}
    for variant_fmt, name, data in hostile.variants():
        if variant_fmt != fmt:
            continue
        path = tmp_path / name
        path.write_bytes(data)
        try:
            catalog = load(str(path), timezone="Europe/London")
        except CatalogError as exc:
            message = str(exc)
            assert message and "\n" not in message and "Traceback" not in message, name
            outcomes["refused"] += 1
            continue
        assert_within_limits(catalog)
        store.save(catalog)
        outcomes["imported"] += 1
    # Most variants break one field of one session: the other sessions still import.
    assert outcomes["imported"] > outcomes["refused"]


@pytest.mark.parametrize(("name", "outcome", "mentions"), CORPUS, ids=[row[0] for row in CORPUS])
def test_hostile_corpus_through_the_cli(cli: CliRunner, tmp_path: Path, name: str, outcome: str, mentions: str) -> None:
    db = tmp_path / "store.db"
    assert cli("import", FIXTURES / "mini-frab.xml", "--db", db).code == 0
    before = dump(db)
    result = cli("import", hostile.CORPUS_DIR / name, "--db", db, "--timezone", "Europe/London")
    assert "Traceback" not in result.err
    if outcome == "error":
        assert result.code == 1
        lines = result.err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("confbot: error: ") and mentions in lines[0]
        assert dump(db) == before
        return
    assert result.code == 0, result.err
    warnings = [line for line in result.out.splitlines() if line.startswith("  warning: ")]
    if mentions:
        assert any(mentions in line for line in warnings), result.out
    store = CatalogStore(open_database(db))
    for conference in store.conferences():
        assert_within_limits(Catalog(conference, tuple(store.sessions(conference.slug))))


def test_the_kept_corpus_is_what_the_generator_writes(tmp_path: Path) -> None:
    hostile.write_corpus(tmp_path)
    for name, *_ in CORPUS:
        assert (tmp_path / name).read_bytes() == (hostile.CORPUS_DIR / name).read_bytes(), name


def test_a_bad_link_is_dropped_and_its_session_kept() -> None:
    catalog = load(str(hostile.CORPUS_DIR / "frab-url-channel.xml"))
    talk = next(s for s in catalog.sessions if s.id == "101")
    assert talk.url == "" and talk.title == "Talk 1"
    assert [s.url for s in catalog.sessions if s.id != "101"] == ["https://example.org/0", "https://example.org/2"]


def test_a_session_with_an_impossible_duration_is_skipped_and_named(tmp_path: Path) -> None:
    catalog = load(str(hostile.CORPUS_DIR / "frab-duration-999999999h.xml"))
    assert [s.id for s in catalog.sessions] == ["100", "102"]
    assert any("event 101" in w and "longer than 7 days" in w for w in catalog.warnings)


def test_a_session_far_from_the_conference_loses_its_time_not_its_place(tmp_path: Path) -> None:
    path = tmp_path / "typo.xml"
    path.write_bytes(hostile.frab_xml({"date": "2150-03-01T11:00:00+01:00"}))
    catalog = load(str(path))
    typo = next(s for s in catalog.sessions if s.id == "101")
    assert typo.start is None and typo.end is None
    assert (catalog.conference.start, catalog.conference.end) == (
        catalog.sessions[0].start.date(),  # type: ignore[union-attr]
        catalog.sessions[0].start.date(),  # type: ignore[union-attr]
    )


def test_a_number_of_5000_digits_is_a_long_id_not_a_crash(tmp_path: Path) -> None:
    catalog = load(str(hostile.CORPUS_DIR / "json-id-5000-digit-number.json"))
    assert len(catalog.sessions) == 2
    assert any("5,000 characters" in w for w in catalog.warnings)


def test_a_lone_surrogate_is_stored_as_a_replacement_character(tmp_path: Path) -> None:
    store = CatalogStore(open_database(tmp_path / "s.db"))
    store.save(load(str(hostile.CORPUS_DIR / "json-surrogate-title.json")))
    assert store.session("jsonhostile", "101").title == "Talk \ufffd"  # type: ignore[union-attr]


def test_an_unbalanced_csv_quote_names_its_row_instead_of_swallowing_the_file(cli: CliRunner, tmp_path: Path) -> None:
    result = cli("import", hostile.CORPUS_DIR / "csv-unbalanced-quote.csv", "--db", tmp_path / "c.db")
    assert result.code == 1
    assert "row 3 (line 3)" in result.err and "quote" in result.err


def test_a_quote_that_swallows_rows_without_breaking_the_csv_grammar_is_caught(tmp_path: Path) -> None:
    path = tmp_path / "swallow.csv"
    path.write_text('id,title,room\nc1,"Opening\nc2,Second,B\nc3,Third,C\nc4,Fourth,D",A\nc5,Last,E\n')
    with pytest.raises(CatalogError, match=r"row 2 \(line 2\).*quote"):
        load(str(path), timezone="UTC")


def test_a_multiline_abstract_is_not_taken_for_swallowed_rows(tmp_path: Path) -> None:
    path = tmp_path / "fine.csv"
    path.write_text('id,title,start,abstract\nc1,Opening,2025-01-01T10:00:00+00:00,"One, two.\nThree, four."\n')
    assert load(str(path)).sessions[0].abstract == "One, two.\nThree, four."


def test_the_size_message_says_the_real_size(cli: CliRunner, tmp_path: Path) -> None:
    big = tmp_path / "big.xml"
    with big.open("wb") as handle:
        handle.truncate(64 * 1_048_576 + 300 * 1024)
    result = cli("import", big, "--db", tmp_path / "b.db")
    assert result.code == 1 and "64.3 MB is larger than the 64 MB limit" in result.err
    just_over = tmp_path / "just-over.xml"
    with just_over.open("wb") as handle:
        handle.truncate(64 * 1_048_576 + 1)
    result = cli("import", just_over, "--db", tmp_path / "b.db")
    assert "67,108,865 bytes is larger than the 64 MB limit" in result.err


def test_messages_carry_no_terminal_escapes_from_the_file(cli: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "escapes.json"
    sneaky = "\x1b]0;owned\x07\x1b[2J\u202e"
    path.write_bytes(hostile.dumps(hostile.schedule_json_doc({"id": sneaky + "x" * 300})))
    result = cli("import", path, "--db", tmp_path / "e.db")
    assert result.code == 0 and "id of" in result.out
    naive_doc = hostile.schedule_json_doc({"id": sneaky, "date": "2024-06-10T10:00:00"}, {"time_zone_name": ""})
    path.write_bytes(hostile.dumps(naive_doc))
    naive = cli("import", path, "--db", tmp_path / "e.db")
    assert naive.code == 1 and "--timezone" in naive.err
    for text in (result.out, naive.err):
        assert not any(c in text for c in "\x1b\x07\u202e")


def test_stated_conference_dates_years_apart_do_not_widen_the_window(tmp_path: Path) -> None:
    path = tmp_path / "span.xml"
    path.write_bytes(
        hostile.frab_xml({"date": "2190-03-01T11:00:00+01:00"}, conference={"start": "2025-03-01", "end": "2199-01-01"})
    )
    catalog = load(str(path))
    assert next(s for s in catalog.sessions if s.id == "101").start is None
    assert catalog.conference.end is not None and catalog.conference.end.year == 2025
