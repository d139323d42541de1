"""Punctuation does not change which command a line is: 'what's next?' is 'what's next', 'my agenda!' the agenda."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes import Core, build_core


@pytest.fixture
def core(tmp_path: Path) -> Core:
    return build_core(tmp_path, "2026-03-28T10:50:00+01:00")


def ids(reply) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.session.id for c in reply.cards]


@pytest.mark.parametrize(
    "line",
    [
        "what's next?",
        "next?",
        "what is next?",
        "whats up next?",
        "what's next ?",
        "what's… next!",
        "what's next?!",
        "hey @confbot <!here> what's next?",
        "what’s next…",
    ],
)
def test_next_with_punctuation_is_the_next_slot(core: Core, line: str) -> None:
    plain = core.ask("what's next")
    asked = core.ask(line)
    assert asked.text == plain.text and ids(asked) == ids(plain) == ["2", "15"]


def test_next_the_evening_before_names_the_first_session(core: Core) -> None:
    core.clock.set(core.clock.now().replace(day=27, hour=20, minute=0))
    reply = core.ask("what's next?")
    assert "Starting next" in reply.text or "starting next" in reply.text
    assert ids(reply) == ids(core.ask("whats next")) and ids(reply)


@pytest.mark.parametrize(
    ("line", "plain"),
    [
        ("agenda?", "agenda"),
        ("my agenda!", "my agenda"),
        ("help?", "help"),
        ("what's on now?", "what's on now"),
        ("tracks?", "tracks"),
        ("rooms!", "rooms"),
    ],
)
def test_other_commands_ignore_closing_marks(core: Core, line: str, plain: str) -> None:
    core.clock.set(core.clock.now().replace(minute=15))
    assert core.ask(line).text == core.ask(plain).text


def test_arguments_lose_the_marks_but_words_keep_theirs(core: Core) -> None:
    core.ask("talks on databases")
    saved = core.ask("remind 1!")
    assert saved.text.startswith("Saved")
    assert core.ask("about 1?").cards[0].detailed
    assert core.ask("?").text == core.ask("help").text  # a lone '?' still asks for help
