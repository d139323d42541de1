"""'Where is …?': a track's rooms and hours, what is on in a room now and next, where a speaker is; else a search,
and a place the schedule does not know is said plainly rather than answered with talks that mention the word."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import CATALOGS, needs_shared
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


def test_a_room_name_with_a_slip_is_that_room_said_as_read(core: Core) -> None:
    lines = core.ask("where is jansen?").text.splitlines()
    assert lines[0] == "Janson (for 'jansen'): 3 sessions in the schedule."
    assert core.ask("where is the hackspase").text.startswith("Hackspace (for 'hackspase'):")
    assert not core.ask("where is rust").text.startswith("Janson")  # a word the schedule uses is never a slip


def test_a_speaker_is_found_where_they_speak_next(core: Core) -> None:
    assert core.ask("where is ruth berg").text.splitlines() == [
        "Ruth Berg:",
        "  next: Sun 29 Mar 10:00 in AW1.126: LibreOffice at twenty",
        "  Sun 29 Mar 11:00 in AW1.126: Writing macros for Libre Office",
    ]


def test_a_speaker_s_talks_already_over_come_after_what_is_next(core: Core) -> None:
    """'where is lennart' listed talks already over among the coming ones, as if one could still go."""
    core.clock.set(datetime.fromisoformat("2026-03-29T10:50:00+02:00"))  # LibreOffice at twenty is over
    assert core.ask("where is ruth").text.splitlines() == [
        "Ruth Berg:",
        "  next: Sun 29 Mar 11:00 in AW1.126: Writing macros for Libre Office",
        "  1 earlier talk, already over: LibreOffice at twenty",
    ]
    core.clock.set(datetime.fromisoformat("2026-03-29T11:10:00+02:00"))
    assert core.ask("where is ruth").text.splitlines()[1] == "  now in AW1.126: Writing macros for Libre Office"
    core.clock.set(datetime.fromisoformat("2026-03-30T09:00:00+02:00"))
    assert core.ask("where is ruth").text.splitlines()[0] == "Ruth Berg has spoken already:"


@needs_shared
def test_where_is_lennart_at_fosdem_2026_puts_the_next_talk_first(tmp_path: Path) -> None:
    """Two Lennarts speak at FOSDEM 2026; at 12:00 on Saturday one talk of theirs is over and two are to come."""
    core = build_core(tmp_path, "2026-01-31T12:00:00+01:00", fixture=str(CATALOGS / "fosdem-2026.xml"))
    lines = core.ask("where is lennart").text.splitlines()
    assert lines[0] == "2 speakers fit 'lennart': Lennart Haagsma, Lennart Poettering."
    assert lines[1].startswith("  next: Sat 31 Jan 12:50 in UA2.118 (Henriot): Native OCI Container Support")
    assert lines[2].startswith("  Sun 01 Feb 10:00 in UB4.132: ") and lines[2].endswith("(Lennart Haagsma)")
    assert lines[3] == "  1 earlier talk, already over: VM Integration in systemd"


def test_a_session_title_is_searched_and_an_unknown_place_is_said_plainly(core: Core) -> None:
    assert [c.session.id for c in core.ask("where is scaling postgresql").cards][:1] == ["3"]
    reply = core.ask("where is the cloakroom?")
    assert "'cloakroom' is none of them" in reply.text and not reply.cards


def test_a_room_the_schedule_lacks_is_said_with_the_nearest_rooms(core: Core) -> None:
    """'K.4.402' is one digit from K.4.401: no list of talks mentioning '4', but the rooms meant."""
    where = core.ask("where is K.4.402")
    assert where.text == "There is no room K.4.402 in this schedule. Nearest: K.4.401." and not where.cards
    search = core.ask("talks in room K.4.402")
    assert search.text == where.text and not search.cards
    assert core.ask("where is room UD2.12O").text.endswith("Nearest: UD2.120 (Chavanne).")
    assert core.ask("where is room Q9").text == "There is no room Q9 in this schedule; say 'rooms' for the list."
    assert core.ask("where is K.4.401").text.startswith("K.4.401: 1 session")


@needs_shared
def test_fosdem_has_no_k4401_and_says_which_rooms_are_near(tmp_path: Path) -> None:
    core = build_core(tmp_path, "2026-01-31T11:00:00+01:00")
    core.import_file(str(CATALOGS / "fosdem-2026.xml"))
    core.ask("switch to fosdem 2026")
    for question in ("where is K.4.401", "talks in room K.4.401"):
        reply = core.ask(question)
        assert "There is no room K.4.401 in this schedule. Nearest: K.4.201, K.4.601" in reply.text, question
        assert not reply.cards


@pytest.mark.parametrize(
    "typed", ["where is the databases devrom?", "where is the databases trakc", "wo ist der Databases devrom"]
)
def test_a_slip_in_devroom_or_track_still_asks_for_the_track(core: Core, typed: str) -> None:
    """'where is the nixos devrom' answered with every session that mentions 'nixos'."""
    reply = core.ask(typed)
    assert reply.text == core.ask("where is the databases devroom?").text
    assert reply.text.startswith("Databases: 3 sessions.") and not reply.cards


def test_a_track_name_with_a_slip_is_that_track_said_as_read(core: Core) -> None:
    reply = core.ask("where is the databses devroom")
    assert reply.text.splitlines()[:2] == [
        "Databases (for 'databses'): 3 sessions.",
        "  Sat 28 Mar: H.1302, 12:00–14:40",
    ]
    assert core.ask("where is the pyhton track").text.startswith("Python (for 'pyhton'):")


@needs_shared
def test_where_is_the_mozila_devroom_at_fosdem_2025(tmp_path: Path) -> None:
    core = build_core(tmp_path, "2025-02-01T11:00:00+01:00", fixture=str(CATALOGS / "fosdem-2025.xml"))
    assert core.ask("where is the mozila devroom").text.splitlines() == [
        "Mozilla (for 'mozila'): 11 sessions.",
        "  Sun 02 Feb: UB5.230, 13:15–16:55",
        "Say 'track Mozilla' for its sessions.",
    ]
    assert core.ask("where is the nixos devrom").text.startswith("Nix and NixOS: 10 sessions.")


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("where do I get food?", "'food' is none of them"),
        ("where can I buy a t-shirt", "'t-shirt' is none of them"),
        ("wo gibt es Kaffee?", "'Kaffee' is none of them"),
        ("wo kann ich Kaffee kaufen", "'Kaffee' is none of them"),
        ("where can I eat?", "not where to eat"),
        ("wo kann ich hier essen", "not where to eat"),
    ],
)
def test_a_place_the_schedule_does_not_name_is_said_plainly(core: Core, question: str, said: str) -> None:
    """'where do I get food?' listed talks whose abstracts mention cooking or recipes."""
    reply = core.ask(question)
    assert reply.text.startswith("I only know what the schedule says") and said in reply.text
    assert not reply.cards


def test_a_place_question_for_what_the_schedule_names_is_answered(core: Core) -> None:
    assert core.ask("where can I find Ruth").text.startswith("Ruth Berg:")
    assert core.ask("where do I find the databases devroom").text.startswith("Databases: 3 sessions.")
    assert [c.session.title for c in core.ask("where can I see the horovod workshop").cards][:1] == ["Hands-on Horovod"]


@needs_shared
def test_where_do_i_get_food_at_fosdem_2026(tmp_path: Path) -> None:
    core = build_core(tmp_path, "2026-01-31T11:00:00+01:00", fixture=str(CATALOGS / "fosdem-2026.xml"))
    for question in ("where do I get food?", "where can i get a coffee"):  # Jacob Coffee speaks: a person, no drink
        reply = core.ask(question)
        assert reply.text.startswith("I only know what the schedule says") and not reply.cards, question


def test_a_track_named_like_a_verb_is_that_track(tmp_path: Path) -> None:
    """'where is the go devroom' read 'go' as the verb of 'where can I go …' and searched 838 sessions for 'devroom'."""
    core = build_core(tmp_path, "2026-12-27T09:00:00+01:00", fixture="sprachcon.schedule.json")
    for question in ("where is the go devroom", "where is the go devrom", "wo ist der Go devroom"):
        assert core.ask(question).text.startswith("Go: "), question
    assert "not where to eat" in core.ask("where can I eat?").text  # a place question keeps its verb
