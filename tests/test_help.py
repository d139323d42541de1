"""Help comes from the commands' own docstrings; a command without one fails here."""

from __future__ import annotations

from pathlib import Path

import pytest

import bot.conversation  # noqa: F401  (registers every command)
from adapters.cli import build_parser
from bot.commands.registry import COMMANDS, match
from tests.conftest import FIXTURES
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
    lines = listing.splitlines()
    assert max(len(line) for line in lines) <= 80  # fits a terminal
    for command in COMMANDS.values():
        line = next(line for line in lines if line.split(" ", 1)[0] == command.name)
        assert command.summary in line
        assert line.endswith("(admin)") == command.admin
        assert core.ask(f"help {command.name}").text.startswith(command.usage)
    named = [line.split(" ", 1)[0] for line in lines if line.split(" ", 1)[0] in COMMANDS]
    assert named[-2:] == ["sync", "announce"] or named[-2:] == ["announce", "sync"]  # admin commands last
    detail = core.ask("help remind").text
    assert detail.startswith("remind <session>") and "overlaps" in detail and "Also: remind me about" in detail
    assert core.ask("help frobnicate").text.startswith("There is no command 'frobnicate'")


def test_aliases_reach_their_command() -> None:
    assert match("my schedule")[0].name == "agenda"  # type: ignore[index]
    assert match("what's next please")[0].name == "next"  # type: ignore[index]
    assert match("remind me about 3") == (COMMANDS["remind"], "3")
    assert match("rust tomorrow") is None


def _commands(parser, prefix: str = "confbot"):  # type: ignore[no-untyped-def]
    for action in parser._actions:
        if action.__class__.__name__ == "_SubParsersAction":
            for name, sub in action.choices.items():
                yield f"{prefix} {name}", sub
                yield from _commands(sub, f"{prefix} {name}")


def test_every_cli_command_has_help_text() -> None:
    found = dict(_commands(build_parser()))
    assert {
        "confbot import",
        "confbot catalogs",
        "confbot search",
        "confbot chat",
        "confbot demo",
        "confbot sync",
        "confbot reminders status",
        "confbot doctor",
        "confbot backup",
        "confbot run slack",
        "confbot run discord",
    } <= set(found)
    for name, sub in found.items():
        assert sub.description, f"{name} has no description"
        missing = [a.dest for a in sub._actions if not a.help and a.dest not in ("help", "source", "query")]
        assert missing == [], f"{name}: options without help: {missing}"
        assert "--config" in sub._option_string_actions, f"{name}: the global --config is not accepted after it"


def test_every_cli_command_has_a_line_in_its_parents_list() -> None:
    """`confbot --help` (and `confbot run --help`) list each command with a one-line summary."""
    parsers = [("confbot", build_parser()), *_commands(build_parser())]
    for name, parser in parsers:
        for action in parser._actions:
            if action.__class__.__name__ == "_SubParsersAction":
                listed = {choice.dest: choice.help for choice in action._choices_actions}
                assert set(listed) == set(action.choices), f"{name}: commands missing from the list"
                assert all(listed.values()), f"{name}: commands without a summary: {listed}"


def test_reminders_help_names_its_subcommand_and_takes_its_options(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    helped = dict(_commands(build_parser()))["confbot reminders"].format_help()
    assert "confbot reminders status [--db FILE] [--now ISO8601] [--json]" in " ".join(helped.split())
    assert "--db FILE" in helped and "--now ISO8601" in helped
    db = tmp_path / "r.db"
    cli("import", FIXTURES / "searchcon.schedule.json", "--db", db)
    before = cli("reminders", "--db", db, "--now", "2026-03-28T09:00:00+01:00", "status")
    after = cli("reminders", "status", "--db", db, "--now", "2026-03-28T09:00:00+01:00")
    assert before.code == after.code == 0 and before.out == after.out
