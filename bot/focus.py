"""What 'it' means: the session the conversation last showed or acted on, unless a reminder arrived since.

A reminder stands in for 'it' only when it was just received: delivered shortly before the person's current
time (a store shared with a run on a later clock holds deliveries from their future, and one from hours ago is
not what they are answering) and after the session they last looked at.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.reminders.recent import just_received

if TYPE_CHECKING:
    from bot.context import Context, Resolved


def focused(ctx: Context, said: str) -> Resolved:
    from bot.context import Resolved

    ref, since = ctx.memory.focus(ctx.person)
    reminded = just_received(ctx.agenda.db, ctx.person, ctx.now(), since)
    if reminded:
        ref = reminded[-1].ref
    conference, _, session_id = ref.partition(":")
    session = ctx.session(conference, session_id) if ref else None
    if session is None:
        words = " ".join(said.split())
        return Resolved(
            message=f"I'm not sure which session '{words}' is: give its number from a list, or part of its title."
        )
    return Resolved(conference, session)
