"""'which of these are tomorrow?' after a list that is no question to ask again: the agenda, 'what's next',
'more like this', a speaker's talks.

Those lists hold what they showed (the agenda all of itself), so the filter is applied to those sessions. They
keep the numbers they were shown with, and the list stays what it was: 'forget 3' after 'which of these are on
Sunday?' drops what the agenda calls 3, as after 'agenda' and 'clashes'.
"""

from __future__ import annotations

import numpy as np

from bot.context import AGENDA, Context
from bot.messages import Reply
from bot.narrowed import said_back
from bot.search import filters
from bot.search.engine import Hit
from bot.search.query import parse
from bot.store.agenda import LastList
from bot.whereabouts import part_of


def narrow_shown(ctx: Context, shown: LastList, phrase: str) -> Reply | None:
    """The sessions of the list shown that the filter keeps; None when it names a room or track the schedule
    does not have (the line is then a question of its own)."""
    mask = _mask(ctx, phrase)
    if mask is None:
        return None
    index = ctx.whole().index
    listed: list[tuple[int, Hit]] = []
    for number, ref in enumerate(shown.refs, start=1):
        conference, _, session_id = ref.partition(":")
        session = ctx.session(conference, session_id)
        if session is not None:
            listed.append((number, Hit(conference, session, 0.0, ())))
    kept = [(n, h) for n, h in listed if _held(index.doc_of(h.conference, h.session.id), mask)]
    hits = [h for _, h in listed]
    said = said_back(ctx, phrase, [h for _, h in kept] or hits)
    called = "in your agenda" if shown.kind == AGENDA else "I just listed"
    text = part_of(ctx, len(kept), hits, called, said, phrase)
    if not kept:
        return Reply(ctx.about_scope(text))
    cards = tuple(ctx.card(h.conference, h.session, number=n) for n, h in kept)
    if len(cards) == 1:
        ctx.memory.set_focus(ctx.person, cards[0].ref, ctx.now())
    else:
        ctx.memory.set_focus(ctx.person, "", ctx.now(), listed=tuple(n for n, _ in kept))
    return Reply(ctx.about_scope(text), cards)


def _held(doc: int | None, mask: np.ndarray) -> bool:
    return doc is not None and bool(mask[doc])


def _mask(ctx: Context, phrase: str) -> np.ndarray | None:
    """Which sessions of the whole store the filter keeps (a list may span conferences, each read in its own
    zone); None when it names a room or track no schedule has."""
    index = ctx.whole().index
    parsed = parse(phrase)
    everything = filters.conference_mask(index, None)
    mask = everything.copy()
    if parsed.room:
        rooms = filters.room_mask(index, parsed.room, None)
        if rooms is None:
            return None
        mask &= rooms
    elif parsed.places:
        named = filters.room_named(index, " ".join(parsed.words), None)
        if not named:
            return None
        mask &= filters.rooms_mask(index, named)
    if parsed.track:
        track = filters.track_match(index, parsed.track, None)
        if track is None:
            return None
        mask &= track.mask
    if parsed.language:
        mask &= filters.language_mask(index, parsed.language)
    if parsed.time is not None:
        timed, problem = filters.time_mask(index, parsed, ctx.now(), everything)
        mask &= timed if not problem else np.zeros(index.n, dtype=bool)  # 'tomorrow' once it is over: none
    return mask
