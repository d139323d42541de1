"""A slip in a word that says when ('tomorow', 'saturady', 'morgn') or that a track is meant ('devrom', 'trakc') is
read as that word, as the typo rule reads a topic; a word of its own ('mourning'), a name after 'by', and a word
the catalog uses are never read so."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.search.engine import SearchEngine
from catalog.model import Conference, Session, Speaker
from tests.conftest import CATALOGS, CliRunner, needs_shared

SATURDAY = datetime.fromisoformat("2026-03-28T08:30:00+01:00")


def titles(engine: SearchEngine, query: str) -> list[str]:
    return [h.session.title for h in engine.search(query, now=SATURDAY, limit=50).hits]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("postgres tomorow", "postgres tomorrow"),
        ("what's on tommorow", "what's on tomorrow"),
        ("python tomorrwo", "python tomorrow"),
        ("what's on saturady", "what's on saturday"),
        ("sundya afternon", "sunday afternoon"),
        ("what's on sunday mornign", "what's on sunday morning"),
        ("anything this evenig", "anything this evening"),
        ("was läuft morgn", "was läuft morgen"),
        ("was läuft morgen nachmitag", "was läuft morgen nachmittag"),
        ("Vorträge am Sonntga", "Vorträge am Sonntag"),
    ],
)
def test_a_time_word_with_a_slip_is_read_as_that_time(searchcon: SearchEngine, typed: str, meant: str) -> None:
    engine = searchcon
    asked, read = engine.search(typed, now=SATURDAY, limit=50), engine.search(meant, now=SATURDAY, limit=50)
    assert read.hits, meant
    assert asked.query.time is not None and read.query.time is not None
    assert asked.query.time.label == read.query.time.label
    assert titles(engine, typed) == titles(engine, meant)


@pytest.mark.parametrize("query", ["mourning", "talks on mourning"])
def test_a_word_of_its_own_is_no_slip(searchcon: SearchEngine, query: str) -> None:
    """'mourning' is a word: a search for it, never the morning's talks."""
    result = searchcon.search(query, now=SATURDAY)
    assert result.query.time is None and "mourning" in result.query.words


def test_a_name_after_by_is_no_slip_of_a_day(searchcon: SearchEngine) -> None:
    result = searchcon.search("talks by sundar", now=SATURDAY)
    assert result.query.time is None and result.query.speaker == "sundar"


def test_a_word_the_catalog_uses_is_meant_as_typed() -> None:
    """'Corning' is one letter from 'morning' and no everyday word, but the catalog has it: it is searched."""
    conference = Conference("glasscon", "GlassCon", "Europe/Brussels")
    sessions = [
        Session("1", "Glass at Corning", start=SATURDAY.replace(hour=15), speakers=(Speaker("Ann Lee"),)),
        Session("2", "Morning coffee", start=SATURDAY.replace(hour=9), speakers=(Speaker("Bo Chen"),)),
    ]
    engine = SearchEngine([conference], {"glasscon": sessions})
    result = engine.search("corning", now=SATURDAY)
    assert result.query.time is None
    assert [h.session.title for h in result.hits] == ["Glass at Corning"]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("databases devrom", "databases devroom"),
        ("python trakc", "python track"),
        ("devroms databases", "devrooms databases"),
    ],
)
def test_a_slip_in_devroom_or_track_still_names_the_track(searchcon: SearchEngine, typed: str, meant: str) -> None:
    asked, read = searchcon.search(typed, now=SATURDAY, limit=50), searchcon.search(meant, now=SATURDAY, limit=50)
    assert read.query.track and asked.query.track == read.query.track
    assert titles(searchcon, typed) == titles(searchcon, meant)


@needs_shared
def test_fosdem_2025_postgresql_devroom_tomorow(cli: CliRunner) -> None:
    """The newcomer's question: it answered "Nothing found for 'tomorow'"."""
    db = "s.db"
    assert cli("--db", db, "import", str(CATALOGS / "fosdem-2025.xml")).code == 0
    out = cli("--db", db, "search", "postgresql devroom tomorow", "--now", "2025-02-01T11:00:00").out
    assert "Nothing found" not in out
    assert "track PostgreSQL tomorrow" in out
