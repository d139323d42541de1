"""Formatting pasted from Slack or Discord is dropped before a question is read; words that hold the same signs
('snake_case', 'C++', '*nix') stay what they are."""

from __future__ import annotations

import pytest

from bot.markup import without_markup
from bot.messages import Person, Reply
from tests.fakes import Core, build_core

ANN = Person("discord", "G1", "42")
NOW = "2026-03-28T09:00:00+01:00"  # SearchCon 2026, its first morning


@pytest.fixture(scope="module")
def core(tmp_path_factory: pytest.TempPathFactory) -> Core:
    return build_core(tmp_path_factory.mktemp("markup"), NOW)


def answer(reply: Reply) -> tuple[str, list[str], tuple[str, ...]]:
    return reply.text, [c.session.id for c in reply.cards], reply.notes


def test_a_bold_number_picks_from_the_list(core: Core) -> None:
    """'**about 1**' searched for '1' and listed every session with a 1 in it."""
    listed = core.ask("databases", ANN)
    first = listed.cards[0].session.title
    for pasted in ("**about 1**", "*about 1*", "`about 1`", "__about__ 1", "||about 1||"):
        core.ask("databases", ANN)
        picked = core.ask(pasted, ANN)
        assert picked.cards and picked.cards[0].session.title == first, pasted
        assert "sessions for" not in picked.text


@pytest.mark.parametrize(
    ("pasted", "plain"),
    [
        ("**who is ruth**", "who is ruth"),
        ("`what's next`", "what's next"),
        ("__what's next__", "what's next"),
        ("||where is janson||", "where is janson"),
        ("_where is H.1302_", "where is H.1302"),
        ("```\nwhat's next\n```", "what's next"),
        ("> who is ruth", "who is ruth"),
        ("&gt; what's next", "what's next"),  # as Slack sends a quote
        (">>> who is ruth", "who is ruth"),
        ("`help`", "help"),
        ("**wer ist Ruth?**", "wer ist Ruth?"),
        ("> wo ist Janson", "wo ist Janson"),
    ],
)
def test_formatting_around_or_inside_a_question_is_dropped(core: Core, pasted: str, plain: str) -> None:
    assert answer(core.ask(pasted, ANN)) == answer(core.ask(plain, ANN))


@pytest.mark.parametrize("word", ["snake_case", "C++", "c#", "*nix", "node.js", "2*3*4", "rust > go", "__init__.py"])
def test_words_that_hold_the_signs_are_kept(word: str) -> None:
    assert without_markup(word) == word
    assert without_markup(f"talks on {word}") == f"talks on {word}"
