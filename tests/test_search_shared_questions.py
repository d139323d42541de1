"""Questions as attendees typed them at real conferences (when ../shared is present): a bare hour beside a day,
a room named in several words, 'rn' for now, a listing that only says what to leave out, and 'about go'."""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from pathlib import Path

import pytest

from bot.search.engine import SearchEngine
from tests.conftest import CATALOGS, CliRunner, chat_process, needs_shared

pytestmark = needs_shared


@cache
def engine(name: str) -> SearchEngine:
    from catalog.load import load

    catalog = load(str(CATALOGS / name))
    return SearchEngine([catalog.conference], {catalog.conference.slug: list(catalog.sessions)})


FOSDEM_SATURDAY = datetime.fromisoformat("2026-01-31T13:30:00+01:00")


def titles(name: str, query: str, now: datetime, limit: int = 10) -> list[str]:
    return [h.session.title for h in engine(name).search(query, now=now, limit=limit).hits]


@pytest.mark.parametrize(
    "query", ["what's on in UB2.252A tomorrow at 11", "what's on in UB2.252A sunday at 11", "UB2.252A morgen um 11"]
)
def test_a_bare_hour_after_at_beside_a_day_is_a_time(query: str) -> None:
    assert titles("fosdem-2026.xml", query, FOSDEM_SATURDAY)[0] == "Common Expression Language (CEL) in Rust"


def test_a_bare_afternoon_hour_reads_as_the_afternoon() -> None:
    found = engine("fosdem-2026.xml").search("what's on sunday at 3", now=FOSDEM_SATURDAY, limit=50).hits
    assert found and all(h.session.start is not None and h.session.start.hour in (14, 15) for h in found)


CONGRESS_SATURDAY = datetime.fromisoformat("2024-12-28T13:30:00+01:00")


def test_a_room_named_in_several_words_is_that_room_only() -> None:
    hits = engine("38c3.xml").search("what's happening in Saal GLITCH right now", now=CONGRESS_SATURDAY).hits
    assert [h.session.room for h in hits] == ["Saal GLITCH"]
    assert [h.session.room for h in engine("38c3.xml").search("in Saal 1 now", now=CONGRESS_SATURDAY).hits] == [
        "Saal 1"
    ]


@pytest.mark.parametrize(
    ("name", "query", "now", "room"),
    [
        ("38c3.xml", "Saal GLITCH right now", CONGRESS_SATURDAY, "Saal GLITCH"),
        ("fosdem-2026.xml", "janson tomorrow", FOSDEM_SATURDAY, "Janson"),
        ("fosdem-2026.xml", "UB5.132 now", FOSDEM_SATURDAY, "UB5.132"),
        ("fosdem-2026.xml", "k.1.105 tomorrow", FOSDEM_SATURDAY, "K.1.105 (La Fontaine)"),
    ],
)
def test_a_room_typed_bare_is_that_room_only(name: str, query: str, now: datetime, room: str) -> None:
    result = engine(name).search(query, now=now, limit=50)
    assert result.hits and {h.session.room for h in result.hits} == {room}
    assert result.query.room == room


def test_a_word_many_rooms_share_is_no_room() -> None:
    result = engine("38c3.xml").search("what's on in Saal now", now=CONGRESS_SATURDAY, limit=50)
    assert len({h.session.room for h in result.hits}) > 3
    assert result.query.room == ""


@pytest.mark.parametrize(
    "query", ["whats on rn", "wats on rn", "what's on rightnow", "whats on atm", "what's on at the moment"]
)
def test_short_ways_of_saying_now_list_what_is_on(query: str) -> None:
    now = engine("fosdem-2026.xml").search("what's on now", now=FOSDEM_SATURDAY, limit=50)
    said = engine("fosdem-2026.xml").search(query, now=FOSDEM_SATURDAY, limit=50)
    assert said.query.words == () and said.total == now.total > 10
    assert [h.session.id for h in said.hits] == [h.session.id for h in now.hits]


@pytest.mark.parametrize("query", ["was läuft grad", "was läuft jetzt gerade"])
def test_german_short_ways_of_saying_now(query: str) -> None:
    said = engine("fosdem-2026.xml").search(query, now=FOSDEM_SATURDAY, limit=50)
    assert said.query.time is not None and said.query.time.label == "now" and said.total > 10


def test_a_question_that_only_leaves_something_out_lists_the_rest() -> None:
    fosdem = engine("fosdem-2026.xml")
    german = fosdem.search("zeig mir Vorträge ohne KI", now=FOSDEM_SATURDAY, limit=1000)
    english = fosdem.search("talks without AI", now=FOSDEM_SATURDAY, limit=1000)
    everything = len(fosdem.index.sessions_of("fosdem-2026"))
    assert 0 < german.total == english.total < everything  # 'KI' is 'AI'
    assert not [h for h in german.hits if " AI " in f" {h.session.title} "]


def test_the_listing_says_what_it_left_out(cli: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    assert cli("import", "--db", db, CATALOGS / "fosdem-2026.xml").code == 0
    out = chat_process(db, "zeig mir Vorträge ohne KI\n", "2026-01-31T13:30:00+01:00")
    assert re.search(r"\d+ sessions without 'ki'", out), out
