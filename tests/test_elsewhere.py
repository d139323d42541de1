"""Pointers to another conference: worth following, first before any guess, and never to what cannot be used.

A pointer names the conference whose sessions hold the words asked (as typed, in a form of them, or mended from
a typo), not one whose sessions only share a concept with them; for a reminder, one whose sessions have a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from bot.clock import VirtualClock
from bot.conversation import Conversation
from bot.messages import Incoming, Person, Reply
from bot.search.service import SearchService
from bot.store import AgendaStore, CatalogStore, open_database
from catalog.load import load
from catalog.model import Session
from tests.conftest import CATALOGS, FIXTURES, CliRunner, needs_shared
from tests.fakes import build_core
from tests.scope_fixtures import SHARED, store_with, untimed

ANN = Person("console", "local", "ann")
SEARCHCON_ON = "2026-03-28T11:00:00+01:00"


def said(reply: Reply) -> str:
    return " ".join((reply.text, *reply.notes))


def test_a_conference_found_only_through_other_names_of_the_word_is_not_pointed_to(tmp_path: Path) -> None:
    """MiniCon has 'k8s' in no session; SearchCon's Kubernetes talk is another name for it, not the word."""
    core = build_core(tmp_path, "2025-03-01T09:00:00+01:00")  # MiniCon 2025 is on
    store_with(core.db_path, [load(str(FIXTURES / "mini-frab.xml"))])
    ask = core.conversation.handle
    assert "SearchCon" not in said(ask(Incoming(ANN, "k8s")))
    assert "SearchCon 2026 has 1 session for 'kubernetes'" in said(ask(Incoming(ANN, "kubernetes")))


def test_a_typo_mended_elsewhere_is_pointed_to_with_the_word_mended(tmp_path: Path) -> None:
    core = build_core(tmp_path, "2025-03-01T09:00:00+01:00")
    store_with(core.db_path, [load(str(FIXTURES / "mini-frab.xml"))])
    reply = core.conversation.handle(Incoming(ANN, "horovd"))
    assert "SearchCon 2026 has 1 session for 'horovod'" in said(reply) and "Did you mean" not in said(reply)


def test_a_reminder_is_not_pointed_to_sessions_without_a_time(tmp_path: Path) -> None:
    core = build_core(tmp_path, SEARCHCON_ON)
    store_with(core.db_path, [untimed()])  # PlanCon 2027: 'Planning ahead', no time yet
    reply = core.conversation.handle(Incoming(ANN, "remind me about planning ahead"))
    assert reply.text == (
        "I couldn't find a session matching 'planning ahead'. PlanCon 2027 has 1 session for 'planning ahead', "
        "none with a time yet: say 'switch to plancon-2027'."
    )
    assert core.agenda.saved(ANN) == []


def test_a_reminder_is_pointed_to_the_conference_whose_sessions_have_times(tmp_path: Path) -> None:
    """PlanCon's two Rust talks have no time; MiniCon's one has, and is the one offered."""
    core = build_core(tmp_path, SEARCHCON_ON, fixture="sprachcon.schedule.json")  # SprachCon has no Rust talk
    plancon = untimed()
    rusty = (Session("1", "Rust at scale"), Session("2", "Rust in practice"))
    store_with(core.db_path, [replace(plancon, sessions=rusty), load(str(FIXTURES / "mini-frab.xml"))])
    core.conversation.handle(Incoming(ANN, "switch to sprachcon"))
    reply = core.conversation.handle(Incoming(ANN, "remind me about rust"))
    assert reply.text == (
        "I couldn't find a session matching 'rust'. "
        "MiniCon 2025 has 1 session for 'rust': say 'switch to minicon-2025'."
    )
    searched = core.conversation.handle(Incoming(ANN, "rust"))  # a search may lead to a schedule without times
    assert "PlanCon 2027 has 2 sessions for 'rust'" in searched.text


# -- the conferences the newcomer tried (skipped without ../shared)


class Store:
    def __init__(self, path: Path) -> None:
        db = open_database(path)
        self.path = path
        self.catalogs = CatalogStore(db)
        self.agenda = AgendaStore(db)
        self.service = SearchService(self.catalogs)
        self.people = 0

    def ask(self, text: str, now: str, *, first: str = "") -> Reply:
        self.people += 1
        person = Person("console", "local", f"p{self.people}")
        conversation = Conversation(self.catalogs, self.agenda, self.service, VirtualClock(datetime.fromisoformat(now)))
        if first:
            conversation.handle(Incoming(person, first))
        return conversation.handle(Incoming(person, text))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    if not CATALOGS.is_dir():
        pytest.skip("../shared/catalogs is not beside the project")
    catalogs = [load(str(CATALOGS / name)) for name in (*SHARED, "lca-2020.ics")]
    dais = load(str(CATALOGS / "dais-2025.csv"))
    dais = replace(dais, conference=replace(dais.conference, title="Data + AI Summit 2025"))
    yield Store(store_with(tmp_path_factory.mktemp("elsewhere") / "s.db", [*catalogs, dais]))


FOSDEM_2026 = "2026-01-31T11:00:00+01:00"
CCC_38 = "2024-12-28T11:00:00+01:00"


@needs_shared
@pytest.mark.parametrize("question", ["gibt es etwas über Wahlcomputer?", "wahlcomputer"])
def test_no_pointer_to_sessions_that_only_share_a_concept(store: Store, question: str) -> None:
    """FOSDEM 2025's 'ballot' and 'voting' talks say nothing of Wahlcomputer."""
    reply = store.ask(question, CCC_38)
    assert reply.text.startswith("38C3 (2024) · ") and " has " not in said(reply)


@needs_shared
def test_mlflow_on_fosdem_points_to_the_summit_and_guesses_nothing(store: Store) -> None:
    reply = store.ask("mlflow", FOSDEM_2026)
    assert re.search(r"Data \+ AI Summit 2025 has \d+ sessions for 'mlflow'", reply.text)
    assert "Did you mean" not in said(reply)


@needs_shared
def test_remind_me_about_the_keynote_is_not_pointed_to_sessions_without_a_time(store: Store) -> None:
    reply = store.ask("remind me about the keynote", FOSDEM_2026)
    found = re.search(r"say 'switch to (?P<slug>[\w-]+)'", reply.text)
    assert found and "Data + AI Summit" not in reply.text
    there = store.ask("keynote", FOSDEM_2026, first=f"switch to {found['slug']}")
    assert there.cards and all(card.session.start is not None for card in there.cards)


@needs_shared
def test_search_and_chat_say_the_same_on_the_real_store(store: Store, cli: CliRunner) -> None:
    for question in ("who is Kees Cook", "mlflow"):
        out = cli("search", "--db", store.path, "--now", "2026-01-31T11:00:00", question).out
        chat = store.ask(question, FOSDEM_2026)
        assert chat.text in out and "why:" not in out and "Did you mean" not in out


def test_a_number_with_no_list_says_to_search_once(tmp_path: Path) -> None:
    core = build_core(tmp_path, SEARCHCON_ON)
    reply = core.conversation.handle(Incoming(ANN, "remind 99"))
    assert reply.text.lower().count("search first") == 1 and core.agenda.saved(ANN) == []
