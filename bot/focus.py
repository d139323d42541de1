"""What 'it' means: the session the conversation last showed or acted on, unless a reminder arrived since.

A reminder stands in for 'it' only when it was just received: delivered shortly before the person's current
time (a store shared with a run on a later clock holds deliveries from their future, and one from hours ago is
not what they are answering) and after the session they last looked at.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.dialogue import Question
from bot.reminders.recent import just_received

# What a person may do to 'it' that a number then does to one of a list ('forget it' -> 'forget 2').
VERBS = frozenset({"about", "remind", "forget", "like", "snooze", "meanwhile"})

if TYPE_CHECKING:
    from bot.context import Context, Resolved


def focused(ctx: Context, said: str) -> Resolved:
    from bot.context import Resolved

    focus = ctx.memory.focus(ctx.person)
    ref = focus.ref
    reminded = just_received(ctx.agenda.db, ctx.person, ctx.now(), focus.at)
    if reminded:
        ref = reminded[-1].ref
    conference, _, session_id = ref.partition(":")
    session = ctx.session(conference, session_id) if ref else None
    words = " ".join(said.split())
    if session is None and len(focus.listed) > 1 and not reminded:
        # The latest reply listed several: 'it' is one of them, and the number alone answers which.
        verb = _verb(ctx.incoming.text)
        offered = Question(verb=verb, choices=max(focus.listed), numbers=focus.listed, no="OK, I left it.")
        ctx.memory.ask(ctx.person, offered)
        return Resolved(message=f"Which one? {_choose(verb, focus.listed)}")
    if session is None:
        return Resolved(
            message=f"I'm not sure which session '{words}' is: give its number from a list, or part of its title."
        )
    return Resolved(conference, session)


def _verb(text: str) -> str:
    """The command 'it' was said with, by its name ('vergiss es' is 'forget'); 'about' for a sentence ('tell me
    more about it' is 'about it' by then) or anything else."""
    from bot.commands.registry import match

    found = match(text)
    return found[0].name if found and found[0].name in VERBS else "about"


def _choose(verb: str, numbers: tuple[int, ...]) -> str:
    """How to say which, in the numbers that were shown: a list from 1, two of an agenda, or a page of a list."""
    if len(numbers) == 2:
        return f"Say '{verb} {numbers[0]}' or '{verb} {numbers[1]}'."
    if numbers == tuple(range(1, len(numbers) + 1)):
        return f"Say '{verb} 2' for the second of the {len(numbers)} I just listed, or just its number."
    return f"Say '{verb} <number>', {min(numbers)} to {max(numbers)}."
