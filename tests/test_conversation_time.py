"""'what time is it?' and 'wie spät ist es?' answer the clock at the conference, and which of its days it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes import Core, build_core
from tests.scope_fixtures import searchcon, store_with


@pytest.fixture
def core(tmp_path: Path) -> Core:
    return build_core(tmp_path, "2026-03-28T10:50:00+01:00")  # Saturday, day one of SearchCon


@pytest.mark.parametrize(
    "question",
    [
        "what time is it?",
        "What's the time?",
        "whats the time",
        "what time is it now",
        "time?",
        "do you have the time",
        "what day is it today?",
    ],
)
def test_the_time_at_the_conference(core: Core, question: str) -> None:
    reply = core.ask(question)
    assert reply.text == "It's Sat 28 Mar 10:50 in Brussels (SearchCon 2026, day 1 of 2).", question
    assert not reply.cards


@pytest.mark.parametrize(
    "question", ["wie spät ist es?", "Wie viel Uhr ist es", "wieviel uhr ist es jetzt", "welcher Tag ist heute?"]
)
def test_the_time_asked_in_german_is_answered_in_german(core: Core, question: str) -> None:
    assert core.ask(question).text == "Es ist Sa 28. Mär 10:50 in Brüssel (SearchCon 2026, Tag 1 von 2)."


def test_before_and_after_the_conference(tmp_path: Path) -> None:
    early = build_core(tmp_path, "2026-03-27T20:00:00+01:00")
    assert early.ask("what time is it?").text == "It's Fri 27 Mar 20:00 in Brussels (SearchCon 2026 starts tomorrow)."
    early.clock.set(early.clock.now().replace(month=4, day=2))  # 21:00 there: summer time began on the 29th
    assert early.ask("what time is it?").text == "It's Thu 02 Apr 21:00 in Brussels (SearchCon 2026 ended 4 days ago)."
    assert early.ask("wie spät ist es?").text.endswith("(SearchCon 2026 ist seit 4 Tagen vorbei).")


def test_the_time_at_a_conference_named_in_the_question(tmp_path: Path) -> None:
    store_with(tmp_path / "core.db", searchcon())
    core = build_core(tmp_path, "2026-03-29T09:00:00+02:00")
    assert core.ask("what time is it?").text.endswith("(SearchCon 2026, day 2 of 2).")
    assert core.ask("what time is it at searchcon 2025?").text.endswith("(SearchCon 2025 ended 364 days ago).")


def test_a_question_about_a_talks_time_stays_a_search(core: Core) -> None:
    reply = core.ask("what time is the rust talk")
    assert reply.cards and "Rust" in reply.cards[0].session.title
