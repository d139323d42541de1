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


# A typo is forgiven only in a command word this long: 'nxt' or 'abot' are too short to tell from other words.
NEAR_MIN_LETTERS = 4


def _takes_session(cmd: Command) -> bool:
    return "<session>" in cmd.usage


def near(text: str) -> tuple[Command, str] | None:
    """'agnda', 'remnd 2', 'hlep': a first word one slip away from exactly one command's name, read as it.

    Names only, not aliases ('salve' is not 'save'), and never an admin's command ('async' is not 'sync').
    Only when the rest of the line fits that command (nothing, numbers for one that takes a session, or the
    rest of one of its longer phrases: 'remnd me about 2', 'forgt all'), and the word is not an everyday word
    of its own ('core', 'live', 'text'): anything else stays a search, which is typo-tolerant in its own way.
    """
    from rapidfuzz.distance import OSA

    from bot.search.language import is_everyday_word

    words = text.lower().split()
    if not words or len(words[0]) < NEAR_MIN_LETTERS or not words[0].isalpha():
        return None
    first, rest = words[0], words[1:]
    if is_everyday_word(first, "en") or is_everyday_word(first, "de"):
        return None
    found = {
        cmd.name: cmd
        for cmd in COMMANDS.values()
        if not cmd.admin and len(cmd.name) >= NEAR_MIN_LETTERS and OSA.distance(first, cmd.name, score_cutoff=1) <= 1
    }
    if len(found) != 1:
        return None
    cmd = next(iter(found.values()))
    if rest and not (_takes_session(cmd) and all(w.isdecimal() for w in rest)):
        # 'remnd me about 2', 'forgt all': the slip followed by the rest of a longer phrase is that phrase.
        mended = _matched(" ".join([cmd.name, *text.split()[1:]]))
        if mended is None or len(mended[0].split()) < 2 or mended[1].admin:
            return None
        return mended[1], mended[2]
    return cmd, " ".join(text.split()[1:])


def match(text: str) -> tuple[Command, str] | None:
    """The command a line starts with, and the rest of the line as its argument."""
    found = _matched(text)
    return (found[1], found[2]) if found else None


def _matched(text: str) -> tuple[str, Command, str] | None:
    """The longest phrase a line starts with, its command, and the rest of the line."""
    lowered = " ".join(text.lower().replace("’", "'").split())
    for phrase, cmd in _phrases():
        if lowered == phrase or lowered.startswith(phrase + " "):
            rest = " ".join(text.split()[len(phrase.split()) :])
            return phrase, cmd, rest
    return None
