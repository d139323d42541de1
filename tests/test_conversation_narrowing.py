"""'only in room X', 'which of these are in English?', 'nur auf Deutsch': the last list narrowed, not a new search."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.store import CatalogStore, open_database
from catalog.load import load
from tests.conftest import CATALOGS, needs_shared
from tests.fakes import Core, build_core

SUNDAY_0900 = "2026-12-27T09:00:00+01:00"  # SprachCon: Sunday and Monday, talks in German and English


@pytest.fixture
def core(tmp_path: Path) -> Core:
    return build_core(tmp_path, SUNDAY_0900, fixture="sprachcon.schedule.json")


def titles(core: Core, text: str) -> list[str]:
    return [c.session.title for c in core.ask(text).cards]


SECURITY = {  # the four sessions 'talks on security' finds, with their room and language
    "Privacy by design for small apps": ("Saal 3", "en"),
    "Eine Sicherheitslücke in Ladesäulen": ("Saal 2", "de"),
    "Fuzzing network parsers with AFL": ("Saal 3", "en"),
    "Debrief on e-voting in Estonia": ("Saal 3", "en"),
}


def test_the_list_shown_is_what_the_filter_narrows(core: Core) -> None:
    assert set(titles(core, "talks on security")) == set(SECURITY)
    reply = core.ask("only in German")
    assert reply.text == "1 of the 4 sessions for 'security' is in German:"
    assert [c.session.title for c in reply.cards] == ["Eine Sicherheitslücke in Ladesäulen"]


@pytest.mark.parametrize(
    "line",
    [
        "which of these are in Saal 3?",
        "only in room Saal 3",
        "nur im Saal 3",
        "welche davon sind im Saal 3",
        "the ones in saal 3",
    ],
)
def test_a_room_of_the_last_list_in_english_and_german(core: Core, line: str) -> None:
    core.ask("talks on security")
    reply = core.ask(line)
    assert reply.text == "3 of the 4 sessions for 'security' are in Saal 3:"  # the room as the schedule names it
    assert {c.session.title for c in reply.cards} == {t for t, (room, _) in SECURITY.items() if room == "Saal 3"}


@pytest.mark.parametrize("line", ["which of these is in English?", "welche davon sind auf Englisch", "English only"])
def test_a_language_of_the_last_list(core: Core, line: str) -> None:
    core.ask("security")
    reply = core.ask(line)
    assert reply.text == "3 of the 4 sessions for 'security' are in English:"
    assert {c.session.title for c in reply.cards} == {t for t, (_, lang) in SECURITY.items() if lang == "en"}


def test_none_left_says_where_and_when_they_are_instead(core: Core) -> None:
    core.ask("talks on security")
    reply = core.ask("davon nur morgen")  # Monday: all four are on Sunday
    assert reply.text == "None of the 4 sessions for 'security' is tomorrow; they are on Sunday, 11:00 to 16:00."
    assert reply.cards == ()
    reply = core.ask("only in Saal 2")  # the list is still the four, so it narrows again
    assert reply.text == "1 of the 4 sessions for 'security' is in Saal 2:"


def test_filters_add_up_and_more_pages_the_narrowed_list(core: Core) -> None:
    core.ask("talks on gesellschaft")  # the Gesellschaft track: three sessions, two on Sunday
    core.ask("nur auf Deutsch")
    reply = core.ask("only on Monday")
    assert reply.text == "1 of the 3 sessions for 'gesellschaft' in German is on Monday:", reply.text
    listed = core.ask("databases or backup or web or go")
    first = core.ask("only on Monday")
    found = re.fullmatch(r"(\d+) of the (\d+) sessions for 'databases backup web go' are on Monday:", first.text)
    assert found and found[2] == listed.text.split()[0] and int(found[1]) > len(first.cards) == 5, first.text
    more = core.ask("more")
    assert more.text == "More for 'databases backup web go' on Monday:" and [c.number for c in more.cards] == list(
        range(6, int(found[1]) + 1)
    )
    assert all(c.session.start and c.session.start.strftime("%A") == "Monday" for c in first.cards + more.cards)


def test_two_languages_one_after_the_other_leave_none(core: Core) -> None:
    core.ask("talks on security")
    core.ask("only in English")
    assert core.ask("nur auf Deutsch").text == (
        "None of the 3 sessions for 'security' in English is in German; they are in English."
    )


def test_without_a_recent_list_it_is_an_ordinary_question(core: Core) -> None:
    assert core.ask("only in German").text.startswith("6 sessions in German")  # no list yet: the whole schedule
    core.ask("talks on security")
    core.clock.set(datetime.fromisoformat(SUNDAY_0900) + timedelta(hours=4))  # past the 3 hours a list is kept
    assert core.ask("only in German").text.startswith("6 sessions in German")


def test_a_room_the_schedule_does_not_have_is_not_a_narrowing(core: Core) -> None:
    core.ask("talks on security")
    assert "4 sessions" not in core.ask("only in room 7").text
    assert core.ask("only rust talks").text != core.ask("talks on security").text  # words: a question of its own


@needs_shared
def test_rust_at_fosdem_narrowed_to_a_room(tmp_path: Path) -> None:
    CatalogStore(open_database(tmp_path / "core.db")).save(load(str(CATALOGS / "fosdem-2026.xml")))
    core = build_core(tmp_path, "2026-01-31T11:00:00+01:00")
    everything = core.ask("talks on rust")
    assert everything.text.startswith("66 sessions for 'rust'")
    reply = core.ask("only in room K.4.201")
    count = len([1 for c in reply.cards if c.session.room == "K.4.201"])
    assert reply.text == f"{count} of the 66 sessions for 'rust' are in K.4.201:" and count == len(reply.cards) > 0


def test_a_list_of_one_is_spoken_of_as_one(core: Core) -> None:
    core.ask("talks on security")
    core.ask("nur auf Deutsch")
    assert core.ask("only tomorrow").text == (
        "The session for 'security' in German is not tomorrow; it is on Sunday, 11:00 to 11:30."
    )
    assert core.ask("nur im Saal 2").text == "The session for 'security' in German is in Saal 2:"


def _agenda_of_four(core: Core) -> dict[str, int]:
    """The keynote, the two security talks at 11:00 (one in German) on Sunday, and 'The state of Go' on Monday."""
    for search, number in (("keynote", 1), ("security", 1), ("security", 2), ("go", 1)):
        core.ask(search)
        core.ask(f"remind {number}")
    return {c.session.title: c.number or 0 for c in core.ask("agenda").cards}


def test_the_agenda_narrowed_keeps_its_numbers(core: Core) -> None:
    numbers = _agenda_of_four(core)
    reply = core.ask("which of these are tomorrow?")
    assert reply.text == "1 of the 4 sessions in your agenda is tomorrow:"
    assert [(c.session.title, c.number) for c in reply.cards] == [("The state of Go", numbers["The state of Go"])]
    german = core.ask("nur auf Deutsch")  # the agenda again, not the one kept just now
    assert german.text == "1 of the 4 sessions in your agenda is in German:"
    title = german.cards[0].session.title
    assert core.ask(f"forget {numbers[title]}").text == f"Removed “{title}” from your agenda."
    assert title not in {c.session.title for c in core.ask("agenda").cards}


def test_a_list_of_what_is_next_narrowed(core: Core) -> None:
    listed = core.ask("what's next")
    reply = core.ask("only in German")
    assert reply.text.endswith("sessions I just listed are in German:") and reply.cards
    by_number = {c.number: c.session.title for c in listed.cards}
    assert all(by_number[c.number] == c.session.title for c in reply.cards)  # the numbers they were shown with
    assert all(c.session.language == "de" for c in reply.cards)
