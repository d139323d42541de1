"""A conference named inside a question ('kubernetes at lca', 'postgres at the data ai summit'): the question
goes to that conference, by the words, initials and typos `switch to` understands, and only when the words
really name one ('at Janson' is a room, 'in rust' a topic)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from bot.scope import split_named
from catalog.model import Catalog, Conference, Session
from tests.scope_fixtures import store_with
from tests.test_scope import Chat

NOW = datetime.fromisoformat("2026-01-31T10:00:00+01:00")
CONFERENCES = [
    Conference("fosdem-2026", "FOSDEM 2026", "Europe/Brussels", date(2026, 1, 31), date(2026, 2, 1)),
    Conference("fosdem-2025", "FOSDEM 2025", "Europe/Brussels", date(2025, 2, 1), date(2025, 2, 2)),
    Conference("lca-2020", "linux.conf.au 2020", "Australia/Brisbane", date(2020, 1, 12), date(2020, 1, 17)),
    Conference("dais-2025", "Data + AI Summit 2025", "", None, None),
    Conference("droidcon-london-2024", "Droidcon London 2024", "Europe/London", date(2024, 10, 31), date(2024, 11, 1)),
]


@pytest.mark.parametrize(
    ("question", "slug", "rest"),
    [
        ("kubernetes at lca", "lca-2020", "kubernetes"),  # the title's initials
        ("rust at fosdem-2025 tomorrow", "fosdem-2025", "rust tomorrow"),  # a time after the name stays
        ("postgres at the data ai summit", "dais-2025", "postgres"),  # title words
        ("kotlin talks at droidcn", "droidcon-london-2024", "kotlin talks"),  # a typo
        ("rust bei der FOSDEM 2025", "fosdem-2025", "rust"),  # German
        ("at lca: kubernetes", "lca-2020", "kubernetes"),  # at the start
    ],
)
def test_a_conference_named_after_at_or_in(question: str, slug: str, rest: str) -> None:
    found, left = split_named(CONFERENCES, question, NOW)
    assert found is not None and found.slug == slug
    assert left == rest


@pytest.mark.parametrize(
    "question",
    [
        "what's on in Janson",  # a room
        "talks in rust",  # a topic
        "talks in data",  # one everyday word of a title names no conference
        "talks at the summit",
    ],
)
def test_words_that_name_no_conference_stay_in_the_question(question: str) -> None:
    assert split_named(CONFERENCES, question, NOW) == (None, question)


def test_words_after_the_name_are_never_taken_as_part_of_it() -> None:
    found, left = split_named(CONFERENCES, "kubernetes at lca 2020 tomorrow", NOW)
    assert found is not None and found.slug == "lca-2020"
    assert left == "kubernetes tomorrow"


def test_the_chat_answers_from_the_conference_named(tmp_path: Path) -> None:
    day = date(2020, 1, 13)
    lca = Catalog(
        Conference("lca-2020", "linux.conf.au 2020", "Australia/Brisbane", day, day),
        (Session("1", "Kubernetes for the rest of us"),),
    )
    fosdem = Catalog(CONFERENCES[0], (Session("9", "Kubernetes at scale"),))
    chat = Chat(store_with(tmp_path / "named.db", [lca, fosdem]), "2026-01-31T10:00:00+01:00")
    reply = chat.ask("kubernetes at lca")
    assert {c.conference for c in reply.cards} == {"lca-2020"}
    assert reply.text.startswith("linux.conf.au 2020 · 1 session for 'kubernetes'")
    assert {c.conference for c in chat.ask("kubernetes").cards} == {"fosdem-2026"}  # only that question
