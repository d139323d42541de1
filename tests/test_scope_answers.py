"""What a person notices on a store of several conferences: a bare number stays in the conference in scope, and
a language asked for is said back when nothing matches it."""

from __future__ import annotations

from pathlib import Path

from bot.conversation import Conversation
from bot.messages import Incoming, Person
from bot.search.service import SearchService
from catalog.load import load
from tests.conftest import FIXTURES
from tests.fakes import build_core
from tests.scope_fixtures import searchcon, store_with

ANN = Person("console", "local", "ann")


def test_a_number_past_the_list_is_not_an_id_of_another_conference(tmp_path: Path) -> None:
    core = build_core(tmp_path, "2026-03-28T09:00:00+01:00")
    store_with(core.db_path, [load(str(FIXTURES / "sprachcon.schedule.json"))])  # ids 1 to 22; SearchCon's 1 to 16
    ask = core.conversation.handle
    ask(Incoming(ANN, "switch to searchcon"))
    listed = ask(Incoming(ANN, "horovod"))
    assert 0 < len(listed.cards) < 20
    reply = ask(Incoming(ANN, "about 20"))  # an id only SprachCon has
    assert reply.text.startswith("There is no session number 20")
    assert not reply.cards


def test_a_language_filter_that_finds_nothing_says_so(tmp_path: Path) -> None:
    core = build_core(tmp_path, "2026-03-28T09:00:00+01:00")
    reply = core.conversation.handle(Incoming(ANN, "talks in Dutch tomorrow"))
    said = " ".join((reply.text, *reply.notes))
    assert "talks in Dutch" in said
    assert "Nothing scheduled" not in said


def test_during_another_conference_an_ended_one_points_to_it(tmp_path: Path) -> None:
    core = build_core(tmp_path, "2026-03-28T11:00:00+01:00")  # SearchCon 2026 is on
    store_with(core.db_path, searchcon(editions=2))
    ask = core.conversation.handle
    ask(Incoming(ANN, "switch to searchcon-2025"))
    reply = ask(Incoming(ANN, "now"))
    assert reply.text.startswith("SearchCon 2025 is over: it ended on ")
    assert reply.text.endswith("SearchCon 2026 is on now: say 'switch to searchcon-2026'.")


def test_nothing_here_names_the_conference_that_has_it(tmp_path: Path) -> None:
    """SearchCon 2026 has no talk on tuning; MiniCon 2025, beside it in the store, has two: say so, and how to go
    there."""
    core = build_core(tmp_path, "2026-03-28T09:00:00+01:00")
    store_with(core.db_path, [load(str(FIXTURES / "mini-frab.xml"))])
    there = "MiniCon 2025 has 2 sessions for 'tuning': say "
    searched = core.ask("tuning")
    assert searched.text == f"SearchCon 2026 · Nothing found for 'tuning'. {there}'tuning at minicon-2025', or " + (
        "'switch to minicon-2025'."
    )
    assert {c.session.title for c in core.ask("tuning at minicon-2025").cards} == {
        "PostgreSQL tuning",
        "PostgreSQL tuning (repeat)",
    }
    remind = core.ask("remind me about the tuning talk")
    assert remind.text == f"I couldn't find a session matching 'the tuning talk'. {there}'switch to minicon-2025'."
    assert core.ask("agenda").cards == ()  # nothing saved from the other conference behind the person's back
    assert core.ask("where is tuning").text.startswith("SearchCon 2026 · 'tuning' is not in this schedule. " + there)


def test_typo_guesses_elsewhere_and_a_pinned_bot_mention_no_other_conference(tmp_path: Path) -> None:
    core = build_core(tmp_path, "2026-03-28T09:00:00+01:00")
    store_with(core.db_path, [load(str(FIXTURES / "mini-frab.xml"))])
    assert "MiniCon" not in core.ask("tunnign").text  # only a typo away from MiniCon's tuning: not a match there
    assert "MiniCon" not in core.ask("zebrafish").text
    pinned = Conversation(core.catalogs, core.agenda, SearchService(core.catalogs), core.clock, "searchcon-2026")
    reply = pinned.handle(Incoming(ANN, "tuning"))
    assert reply.text == "SearchCon 2026 · Nothing found for 'tuning'."
