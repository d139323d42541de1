"""Help comes from the commands' own docstrings; a command without one fails here."""

from __future__ import annotations

from pathlib import Path

import pytest

import bot.conversation  # noqa: F401  (registers every command)
from adapters.cli import build_parser
from bot.commands.registry import COMMANDS, match
from tests.fakes import build_core


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_chat_command_has_help(name: str) -> None:
    command = COMMANDS[name]
    assert command.doc, f"command {name!r} has no docstring"
    assert command.summary.endswith((".", ")")), f"{name}: summary should be a sentence"
    assert command.usage.startswith(name) or name == "day"


def test_help_lists_every_command_and_explains_one(tmp_path: Path) -> None:
    core = build_core(tmp_path, "2026-03-28T09:00:00+01:00")
    listing = core.ask("help").text
    for command in COMMANDS.values():
        assert command.usage in listing and command.summary in listing
    detail = core.ask("help remind").text
    assert detail.startswith("remind <session>") and "overlaps" in detail and "Also: remind me about" in detail
    assert core.ask("help frobnicate").text.startswith("There is no command 'frobnicate'")


def test_aliases_reach_their_command() -> None:
    assert match("my schedule")[0].name == "agenda"  # type: ignore[index]
    assert match("what's next please")[0].name == "next"  # type: ignore[index]
    assert match("remind me about 3") == (COMMANDS["remind"], "3")
    assert match("rust tomorrow") is None


def test_every_cli_command_has_help_text() -> None:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, sub in subparsers.choices.items():  # type: ignore[attr-defined]
        assert sub.description, f"confbot {name} has no description"
        helps = {a.dest: a.help for a in sub._actions}
        assert all(text for dest, text in helps.items() if dest not in ("help", "source", "query")), name
    listed = {a.dest for a in subparsers._choices_actions}  # type: ignore[attr-defined]
    assert {"import", "catalogs", "search", "chat", "demo"} <= listed
