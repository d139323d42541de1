"""Rooms typed without 'in' or 'at' ('Saal GLITCH right now', 'janson', 'UB5.132 now'), and the names that stay
topics though a room is called so: a room named like a track ('Rust'), one named with an everyday word
('Workshop')."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.search.engine import SearchEngine, SearchResult
from catalog.load import load

ROWS = """id,title,track,speakers,start,end,room
1,Ownership in practice,Rust,Ann Lee,10:00,10:45,K.1.105 (La Fontaine)
2,Lifetimes explained,Rust,Bo Chen,10:00,10:45,Rust
3,Async Rust on microcontrollers,Embedded,Cy Diaz,10:00,10:45,UB5.132
4,Glitching secure boot,Hardware,Di Ekk,10:00,10:45,Saal GLITCH
5,Voting machines,Politics,Ed Fox,10:00,10:45,Saal 1
6,Open hardware licences,Hardware,Fa Gul,10:00,10:45,Saal 2
7,Rust workshop for beginners,Rust,Gu Ho,11:00,12:00,Saal 1
8,Soldering for everyone,Hardware,Ha Ito,10:00,12:00,Workshop
9,Keynote,Main,Io Ju,09:00,09:45,Janson
10,Closing,Main,Io Ju,17:00,17:30,Janson
11,Embedded Rust tooling,Embedded,Ju Ko,11:00,11:45,Janson
12,Analytical engines since Lovelace,History,Ki Lu,13:00,13:45,Saal 2
13,Retro computing club,History,Lu Ma,13:00,15:00,Lovelace
"""
DAY = "2026-02-01"
NOW = datetime.fromisoformat(f"{DAY}T10:15:00+01:00")


@pytest.fixture(scope="module")
def roomcon(tmp_path_factory: pytest.TempPathFactory) -> SearchEngine:
    """RoomCon as a CSV file on disk, each time of day given on one day in the conference's zone."""
    header, *rows = ROWS.splitlines()
    timed = []
    for row in rows:
        cells = row.split(",")
        cells[4:6] = [f"{DAY}T{cell}:00+01:00" for cell in cells[4:6]]
        timed.append(",".join(cells))
    path = tmp_path_factory.mktemp("roomcon") / "roomcon.csv"
    path.write_text("\n".join([header, *timed]) + "\n", encoding="utf-8")
    catalog = load(str(path))
    return SearchEngine([catalog.conference], {catalog.conference.slug: list(catalog.sessions)})


def found(engine: SearchEngine, query: str) -> tuple[SearchResult, set[str]]:
    result = engine.search(query, now=NOW, limit=20)
    return result, {h.session.id for h in result.hits}


@pytest.mark.parametrize(
    ("query", "room", "ids"),
    [
        ("Saal GLITCH right now", "Saal GLITCH", {"4"}),
        ("saal 1 now", "Saal 1", {"5"}),
        ("janson", "Janson", {"9", "10", "11"}),
        ("UB5.132 now", "UB5.132", {"3"}),
        ("k.1.105 now", "K.1.105 (La Fontaine)", {"1"}),  # the name without what its parenthesis adds
        ("saal janson", "Janson", {"9", "10", "11"}),  # a word for a hall before a name the schedule gives bare
    ],
)
def test_a_room_typed_bare_is_that_room_only(roomcon: SearchEngine, query: str, room: str, ids: set[str]) -> None:
    result, hits = found(roomcon, query)
    assert hits == ids
    assert result.query.room == room  # said back as the schedule names it
    assert result.query.words == ()


def test_a_distinctive_room_beside_a_topic_narrows_the_topic(roomcon: SearchEngine) -> None:
    result, hits = found(roomcon, "rust janson")
    assert hits == {"11"}
    assert result.query.room == "Janson" and result.query.words == ("rust",)
    assert found(roomcon, "hardware saal 2")[1] == {"6"}


@pytest.mark.parametrize(
    ("query", "ids"), [("janson at 11", {"11"}), ("k.1.105 at 10", {"1"}), ("in janson at 9", {"9"})]
)
def test_a_bare_hour_beside_a_room_is_the_time(roomcon: SearchEngine, query: str, ids: set[str]) -> None:
    """Alone, 'at 11' may be anything; once a room took the rest of the question it can only be the hour."""
    result, hits = found(roomcon, query)
    assert hits == ids
    assert result.query.time is not None and result.query.words == ()


def test_a_room_named_like_a_track_stays_the_topic(roomcon: SearchEngine) -> None:
    """'rust' is the Rust track (and titles) here: a room called Rust does not take the question."""
    result, hits = found(roomcon, "rust")
    assert result.query.room == ""
    assert {"1", "2", "3", "7", "11"} <= hits
    assert found(roomcon, "rust now")[1] == {"1", "2", "3"}


def test_an_everyday_word_that_names_a_room_stays_part_of_the_topic(roomcon: SearchEngine) -> None:
    """A room called 'Workshop' must not swallow 'workshop on rust': the talk is the Rust workshop in Saal 1."""
    result, hits = found(roomcon, "workshop on rust")
    assert result.query.room == "" and result.query.words == ("workshop", "rust")
    assert result.hits[0].session.id == "7"
    assert {"1", "2", "3"} <= hits  # rust talks in other rooms stay answers


def test_a_room_name_a_talk_is_about_stays_the_topic_beside_other_words(roomcon: SearchEngine) -> None:
    """Alone, 'lovelace' asks for the room; 'lovelace engines' asks for the talk about her."""
    assert found(roomcon, "lovelace")[1] == {"13"}
    result = found(roomcon, "lovelace engines")[0]
    assert result.query.room == "" and result.hits[0].session.id == "12"


def test_a_word_many_rooms_start_with_is_no_room(roomcon: SearchEngine) -> None:
    result, hits = found(roomcon, "saal now")
    assert result.query.room == ""
    assert not hits or len({h.session.room for h in result.hits}) > 1
