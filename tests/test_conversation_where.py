"""'Where is …?': a track's rooms and hours, what is on in a room now and next, where a speaker is; else a search,
and a place the schedule does not know is said plainly rather than answered with talks that mention the word."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes import Core, build_core


@pytest.fixture
def core(tmp_path: Path) -> Core:
    return build_core(tmp_path, "2026-03-28T12:10:00+01:00")  # Saturday: DuckDB runs 12:00-12:30 in H.1302


def test_a_track_is_answered_with_its_rooms_and_hours_per_day(core: Core) -> None:
    reply = core.ask("where is the databases track?")
    assert reply.text.splitlines()[:3] == [
        "Databases: 3 sessions.",
        "  Sat 28 Mar: H.1302, 12:00–14:40",
        "  Sun 29 Mar: H.1302, 09:30–10:00",
    ]
    assert core.ask("wo ist der Databases devroom").text == reply.text
    assert not reply.cards


def test_a_room_says_what_is_on_there_now_and_next(core: Core) -> None:
    lines = core.ask("where is H.1302").text.splitlines()
    assert lines[0] == "H.1302: 4 sessions in the schedule."
    assert lines[1] == "  now: DuckDB for analysts (until 12:30)"
    assert lines[2] == "  Sat 28 Mar 14:00: Scaling PostgreSQL"


def test_a_speaker_is_found_where_they_speak_next(core: Core) -> None:
    assert core.ask("where is ruth berg").text.splitlines() == [
        "Ruth Berg:",
        "  Sun 29 Mar 10:00 in AW1.126: LibreOffice at twenty",
        "  Sun 29 Mar 11:00 in AW1.126: Writing macros for Libre Office",
    ]


def test_a_session_title_is_searched_and_an_unknown_place_is_said_plainly(core: Core) -> None:
    assert [c.session.id for c in core.ask("where is scaling postgresql").cards][:1] == ["3"]
    reply = core.ask("where is the cloakroom?")
    assert "'cloakroom' is none of them" in reply.text and not reply.cards
