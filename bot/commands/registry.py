"""Registering commands with their usage and aliases, and finding the one a line of text asks for.

Anything that is not a command is a search, so commands are matched only on their own words at the start.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.context import Context
    from bot.messages import Reply

Handler = Callable[["Context", str], "Reply"]


@dataclass(frozen=True)
class Command:
    name: str
    usage: str
    aliases: tuple[str, ...]
    handler: Handler
    admin: bool = False  # changes things for everyone: listed last in help, and marked

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.handler.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.doc.split("\n", 1)[0]


COMMANDS: dict[str, Command] = {}


def command(
    name: str, usage: str = "", aliases: tuple[str, ...] = (), admin: bool = False
) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        COMMANDS[name] = Command(name, usage or name, aliases, handler, admin)
        return handler

    return register


def _phrases() -> list[tuple[str, Command]]:
    pairs = [(c.name, c) for c in COMMANDS.values()] + [(a, c) for c in COMMANDS.values() for a in c.aliases]
    return sorted(pairs, key=lambda p: -len(p[0]))


def match(text: str) -> tuple[Command, str] | None:
    """The command a line starts with, and the rest of the line as its argument."""
    lowered = " ".join(text.lower().replace("’", "'").split())
    for phrase, cmd in _phrases():
        if lowered == phrase or lowered.startswith(phrase + " "):
            rest = " ".join(text.split()[len(phrase.split()) :])
            return cmd, rest
    return None
