"""What a person notices on a store of several conferences: a bare number stays in the conference in scope, and
a language asked for is said back when nothing matches it."""

from __future__ import annotations

from pathlib import Path

from bot.messages import Incoming, Person
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
