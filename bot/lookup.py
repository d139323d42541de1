"""Which session a person means: a place in their last list, an id, a conference:id reference, part of a
title, or 'it'. Every command that takes a <session> comes through here (via Context.resolve).

A number is never typo-corrected into another one: it is a list position or an exact id, or it is explained
as neither.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.context import AGENDA
from bot.elsewhere import elsewhere
from bot.focus import focused
from bot.references import LAST, is_pronoun, list_position
from bot.search.engine import Hit
from catalog.text import start_of

POSITION_DIGITS = 2  # a number this short said after an answer with no list meant a place in a list, not an id

if TYPE_CHECKING:
    from bot.context import Context, Resolved


def resolve(ctx: Context, text: str) -> Resolved:
    """The session meant; one found becomes what 'it' means next (see bot.focus)."""
    found = focused(ctx, text) if is_pronoun(text) else lookup(ctx, text)
    if found.session is not None:
        ctx.memory.set_focus(ctx.person, f"{found.conference}:{found.session.id}", ctx.now())
    return found


def list_span(ctx: Context) -> str:
    """What a person's last list offers, as the end of a sentence that turns a number down."""
    shown = ctx.last_list()
    count = len(shown.refs)
    if count == 0 and ctx.list_withdrawn():  # the latest answer showed none (see Context.withdraw_list)
        return "your last answer showed no list; search again, or say 'agenda'"
    if count == 0:  # none shown, or none recent enough or about this conference (see Context.last_list)
        return "there is no recent list to pick from; search first, e.g. 'talks on rust', or say 'agenda'"
    mine = "your agenda" if shown.kind == AGENDA else "your last list"
    if count == 1:
        return f"{mine} has only one {'session' if shown.kind == AGENDA else 'item'}"
    return f"{mine} has 1 to {count}"


def nothing_more(ctx: Context) -> str:
    """'more' with nothing left to show: whether the list was all shown, or there is none, and what to do."""
    shown = ctx.last_list()
    count = len(shown.refs)
    if not count:
        why = "my last answer didn't show one" if ctx.list_withdrawn() else "I haven't shown you one lately"
        return f"There's no list to go on with: {why}. Ask about a topic (e.g. 'talks on rust'), or say 'agenda'."
    if shown.kind == AGENDA:
        return "That's all of your agenda; say 'agenda' to see it again."
    if count == 1:
        return "That's all: that list had only one."
    return f"That's all: you've seen all {count} of that list. Ask something else, or say 'agenda'."


def position(ctx: Context, place: int) -> Resolved:
    """'the third one': a place in the last list, never an id (no schedule numbers its talks 'third')."""
    from bot.context import Resolved

    refs = ctx.last_list().refs
    number = len(refs) if place == LAST else place
    if 1 <= number <= len(refs):
        conference, _, session_id = refs[number - 1].partition(":")
        session = ctx.session(conference, session_id)
        if session is not None:
            return Resolved(conference, session)
    return Resolved(message=f"There is no number {max(number, 0)} to pick: {list_span(ctx)}.")


def lookup(ctx: Context, text: str) -> Resolved:
    from bot.context import Resolved

    text = " ".join(text.strip().strip("\"'“”#").split())
    if not text:
        return Resolved(message="Which session? Give its number from a list, its id, or part of its title.")
    place = list_position(text)
    if place is not None:
        return position(ctx, place)
    index = ctx.whole().index
    if ":" in text:
        conference, _, session_id = text.partition(":")
        session = index.session(conference, session_id)
        if session is not None:
            return Resolved(conference, session)
    refs = ctx.last_list().refs
    if text.isdecimal() and len(text) <= POSITION_DIGITS and not refs and ctx.list_withdrawn():
        # A place in a list the latest answer did not show, not an id: '1' then saved a talk never seen.
        return Resolved(message=f"There is no number {text} to pick: {list_span(ctx)}.")
    if text.isdecimal() and len(text) <= 6:  # "²" is a digit to isdigit() but not a number to int()
        number = int(text)
        if 1 <= number <= len(refs):
            conference, _, session_id = refs[number - 1].partition(":")
            session = index.session(conference, session_id)
            if session is not None:
                return Resolved(conference, session)
    by_id = sorted(index.by_source_id(text), key=lambda cs: cs[0] != ctx.conference)
    if text.isdecimal() and ctx.conference and all(conf != ctx.conference for conf, _ in by_id):
        # A bare number past the end of the list is a list position gone wrong far more often than an id
        # that only some other conference in the store uses: that one is not offered.
        by_id = []
    if len(by_id) == 1:
        return Resolved(*by_id[0])
    if len(by_id) > 1:
        return Resolved(candidates=tuple(Hit(conf, s, 0.0, (f"id {text}",)) for conf, s in by_id))
    if text.isdigit():
        return Resolved(message=f"There is no session number {text}: {list_span(ctx)}.")
    result = ctx.engine().search(text, now=ctx.now(), conference=ctx.conference, limit=5)
    hits = list(result.hits)
    folded = text.casefold()
    exact = [h for h in hits if folded in h.session.title.casefold()]
    # A title naming the thing beats an abstract that only mentions it: 'the wayland talk' is the one
    # with Wayland in its title, not one listing Wayland among thirty other words.
    kept = [w.casefold() for w in result.query.words]
    named = [h for h in hits if "title" in h.why or (kept and all(w in h.session.title.casefold() for w in kept))]
    if text.split()[0].isdigit() and len(text.split()) > 1 and not (exact or named):
        return Resolved(message="")  # a number followed by something that is no title: the caller shows usage
    if not hits:
        there = (
            ""
            if ctx.locked()
            else elsewhere(ctx.whole(), ctx.conference, text, ctx.now(), searching=False, timed=True, on=ctx.standing())
        )
        hint = f" {there}" if there else _suggest(result.suggestions)
        return Resolved(message=f"I couldn't find a session matching '{start_of(text)}'.{hint}")
    for group in (exact, named):
        if len(group) == 1:
            return Resolved(group[0].conference, group[0].session)
    if len(hits) == 1 or hits[0].score >= 2 * hits[1].score:
        return Resolved(hits[0].conference, hits[0].session)
    return Resolved(candidates=tuple(named or hits))


def _suggest(suggestions: tuple[str, ...]) -> str:
    return f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
