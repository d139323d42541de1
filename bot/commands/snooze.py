"""'snooze': remind me again a little later, about the reminder just received or a session named."""

from __future__ import annotations

from datetime import timedelta

from bot.commands.agenda import clock_time
from bot.commands.registry import command
from bot.commands.search import not_resolved
from bot.context import Context
from bot.dialogue import Question
from bot.lookup import position
from bot.messages import Reply
from bot.reminders.recent import JUST_RECEIVED, just_received, sent_reminders
from bot.search.engine import Hit
from catalog.model import Session

DEFAULT_SNOOZE = 5
MAX_SNOOZE = 120


@command("snooze", usage="snooze [<session>] [minutes]", aliases=("schlummern", "später erinnern"))
def snooze(ctx: Context, args: str) -> Reply:
    """Remind me again a little later (5 minutes by default).

    Right after a reminder, "snooze" or "snooze 10" (minutes) is about that reminder; after two at once, it
    asks which. Otherwise name the session: "snooze 2 15" reminds you again in 15 minutes about session 2 of
    your last list."""
    words = args.split()
    just = _just_reminded(ctx)
    if just and len(words) <= 2 and all(w.isdecimal() and len(w) <= 6 for w in words):
        numbers = [int(w) for w in words]
        if len(just) > 1 and (not numbers or (len(numbers) == 1 and numbers[0] > len(just))):
            return _which(ctx, just, numbers[0] if numbers else DEFAULT_SNOOZE)
        chosen = _reminder_and_minutes(just, numbers)
        if chosen is not None:
            conference, _, session_id = chosen[0].partition(":")
            session = ctx.session(conference, session_id)
            if session is not None:
                return _snoozed(ctx, conference, session, chosen[1])
    minutes = DEFAULT_SNOOZE
    if len(words) > 1 and words[-1].isdecimal():
        minutes = int(words.pop()) if len(words[-1]) <= 6 else MAX_SNOOZE
    named = " ".join(words)
    if named.isdecimal():
        # No reminder just came: a number is a place in the last list, never a schedule id nobody was shown.
        refs = ctx.last_list().refs
        if not refs:
            return Reply("Which session? Say 'agenda', then 'snooze <number>'.")
        found = position(ctx, int(named) if len(named) <= 6 else 0)
        if found.session is not None:
            ctx.memory.set_focus(ctx.person, f"{found.conference}:{found.session.id}", ctx.now())
    elif not named:  # no reminder just came, so there is nothing 'snooze' alone can be about
        begun = _reminded_and_begun(ctx)
        if begun:
            return Reply(f"{' and '.join(begun)} already started: there is no later reminder to give.")
        return Reply(
            "Which session? Right after a reminder, 'snooze' is about it; otherwise say 'agenda', "
            "then 'snooze <number>'."
        )
    else:
        found = ctx.resolve(named)
    if found.session is None:
        return not_resolved(ctx, found, "snooze")
    return _snoozed(ctx, found.conference, found.session, minutes)


def _just_reminded(ctx: Context) -> list[str]:
    """The sessions of reminders received since this person last said anything, still to start.

    Just received (see bot.reminders.recent), or longer ago when they have said nothing since: after ':wait'
    or an hour away from the chat, two reminders that came are still what 'snooze' answers, and asking
    'Which session?' without them would leave the person to find them again."""
    return [ref for ref, session in _received(ctx) if session.start is not None and session.start > ctx.now()]


def _reminded_and_begun(ctx: Context) -> list[str]:
    """The titles of sessions whose reminders came (as `_just_reminded` reads it) and that have begun since."""
    return [f"“{s.title}”" for _, s in _received(ctx) if s.start is not None and s.start <= ctx.now()]


def _received(ctx: Context) -> list[tuple[str, Session]]:
    now, turn = ctx.now(), ctx.memory.last_turn(ctx.person)
    if turn is not None and turn < now - JUST_RECEIVED:
        received = sent_reminders(ctx.agenda.db, ctx.person, turn, now)
    else:
        received = just_received(ctx.agenda.db, ctx.person, now, turn)
    found = []
    for sent in received:
        session = ctx.session(sent.conference, sent.session_id)
        if session is not None:
            found.append((sent.ref, session))
    return found


def _which(ctx: Context, just: list[str], minutes: int) -> Reply:
    """Several reminders came at once: snoozing one of them silently would be a guess, so ask, numbered."""
    hits = []
    for ref in just:
        conference, _, session_id = ref.partition(":")
        session = ctx.session(conference, session_id)
        if session is not None:
            hits.append(Hit(conference, session, 0.0, ()))
    later = f" {minutes}" if minutes != DEFAULT_SNOOZE else ""
    ctx.memory.ask(ctx.person, Question(verb="snooze", choices=len(hits), rest=later, no="OK, I left them."))
    return ctx.list_reply(
        f"You just had {len(hits)} reminders. Which one? Say its number, or 'snooze <number>{later}':",
        hits,
        total=len(hits),
        query="",
        kind="choice",
    )


def _reminder_and_minutes(just: list[str], numbers: list[int]) -> tuple[str, int] | None:
    """'snooze': the latest reminder, 5 minutes; 'snooze 1': the first reminder just shown; 'snooze 10': the
    latest, 10 minutes; 'snooze 1 10': the first, 10 minutes. None: 'snooze 7 10' names a list position."""
    if not numbers:
        return just[-1], DEFAULT_SNOOZE
    picked = numbers[0] if 1 <= numbers[0] <= len(just) else None
    if len(numbers) == 1:
        return (just[picked - 1], DEFAULT_SNOOZE) if picked else (just[-1], numbers[0])
    return (just[picked - 1], numbers[1]) if picked else None


def _snoozed(ctx: Context, conference: str, session: Session, minutes: int) -> Reply:
    until = ctx.now() + timedelta(minutes=max(1, min(MAX_SNOOZE, minutes)))
    if session.start is not None and session.start <= ctx.now():
        return Reply(f"“{session.title}” has already started; no later reminder.")
    if session.start is not None and until >= session.start:
        return Reply(f"“{session.title}” starts before then; no later reminder.")
    if not ctx.agenda.snooze(ctx.person, conference, session.id, until):
        return Reply(f"“{session.title}” is not in your agenda; say 'remind' to save it.")
    return Reply(f"OK, I'll remind you again about “{session.title}” at {clock_time(ctx, conference, until)}.")
