"""The answer to 'only in room K.4.201' after a list: the sessions of that list the filter keeps, counted against it.

The list is asked again with the filter added, and only sessions the list itself held are kept, so the count
can be said as a part of the whole ('3 of the 66 sessions for 'rust' are in K.4.201'). When none is kept, saying
where and when the list's sessions are instead answers what the person wanted to know: whether to go there.
A narrowed list keeps its question and filters (see `Narrowed`), so 'more' pages it and it narrows again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.commands.search import PAGERS, WHOLE_LIST, scoped_search, time_phrase
from bot.context import Context
from bot.messages import Reply
from bot.search import filters
from bot.search.engine import ECHOED, Hit
from bot.search.language import SPOKEN
from bot.search.query import parse
from bot.search.timephrases import WEEKDAYS
from bot.whereabouts import part_of
from catalog.text import shown

KIND = "narrowed"


@dataclass(frozen=True)
class Narrowed:
    """A question and the filters added to it since, one by one: what a narrowed list is, kept as its query."""

    question: str
    filters: tuple[str, ...] = ()

    @property
    def asked(self) -> str:
        """The whole question as one line, what 'and tomorrow?' asks again."""
        return " ".join((self.question, *self.filters))

    def dump(self) -> str:
        return json.dumps([self.question, *self.filters])

    @classmethod
    def load(cls, query: str, kind: str) -> Narrowed:
        if kind != KIND:
            return cls(query)
        try:
            parts = json.loads(query)
        except ValueError:
            return cls(query)
        if not isinstance(parts, list) or not parts or not all(isinstance(p, str) for p in parts):
            return cls(query)
        return cls(parts[0], tuple(parts[1:]))


def narrowable(kind: str) -> bool:
    """Lists whose question can be asked again: searches and narrowed searches."""
    return kind in ("search", KIND)


def narrow(ctx: Context, base: Narrowed, phrase: str) -> Reply | None:
    """The list of `base` narrowed by `phrase`; None when the phrase names a place the schedule has no room for
    (then the line is a question of its own)."""
    if not _places_known(ctx, phrase):
        return None
    wider, wider_hits = _found(ctx, base)
    narrowed = Narrowed(base.question, (*base.filters, phrase))
    _, hits = _found(ctx, narrowed)
    text = part_of(ctx, len(hits), wider_hits, wider, said_back(ctx, phrase, hits), phrase)
    return _page(ctx, narrowed, hits, text, 0) if hits else Reply(ctx.about_scope(text))


def _page(ctx: Context, narrowed: Narrowed, hits: list[Hit], text: str, offset: int) -> Reply:
    page = hits[offset : offset + ctx.page_size]
    return ctx.list_reply(ctx.about_scope(text), page, total=len(hits), query=narrowed.dump(), kind=KIND, offset=offset)


def _more(ctx: Context, query: str, offset: int) -> Reply:
    narrowed = Narrowed.load(query, KIND)
    called, hits = _found(ctx, narrowed)
    return _page(ctx, narrowed, hits, f"More {called}:", offset)


PAGERS[KIND] = _more


def _found(ctx: Context, narrowed: Narrowed) -> tuple[str, list[Hit]]:
    """What the list is called ('for 'rust' in K.4.201') and all its sessions, best first.

    The question is asked with each filter on its own and only sessions every answer holds are kept: so a
    filter never adds a session the list did not hold, and two of a kind ('in English', then 'in German') each
    count, where one line would read only one of them."""
    hits = list(scoped_search(ctx, narrowed.question, limit=WHOLE_LIST).hits)
    for phrase in narrowed.filters:
        kept = scoped_search(ctx, f"{narrowed.question} {phrase}", limit=WHOLE_LIST).hits
        held = {(h.conference, h.session.id) for h in kept}
        hits = [h for h in hits if (h.conference, h.session.id) in held]
    return _called(ctx, narrowed, hits), hits


def _called(ctx: Context, narrowed: Narrowed, hits: list[Hit]) -> str:
    """As a count of a search says it ('for 'rust' tomorrow'), then each filter added since ('in K.4.201')."""
    question = parse(narrowed.question)
    words = question.as_typed(list(dict.fromkeys(question.words)))
    label = shown(words or question.speaker or question.track, ECHOED)
    called = f"for '{label}'" if label else ""
    if question.room:
        called += f" in {_room(ctx, question.room, hits)}"
    called += question.qualifiers + (f" {_when(question.time.label)}" if question.time else "")
    for phrase in narrowed.filters:
        called += f" {said_back(ctx, phrase, hits)}"
    return called.strip()


def said_back(ctx: Context, phrase: str, hits: list[Hit]) -> str:
    """A filter as a person reads it: the room as the schedule names it, 'on Sunday', 'in German'."""
    parsed = parse(phrase)
    out = []
    place = parsed.room or (" ".join(parsed.words) if parsed.places else "")
    if place:
        out.append(f"in {_room(ctx, place, hits)}")
    if parsed.track:
        tracks = {h.session.track for h in hits if h.session.track}
        out.append(f"in {next(iter(tracks))}" if len(tracks) == 1 else f"in the {parsed.track} track")
    if parsed.language:
        out.append(f"in {SPOKEN.get(parsed.language, parsed.language)}")
    if parsed.time is not None:
        out.append(_when(parsed.time.label))
    return " ".join(out)


def _when(label: str) -> str:
    """'on sunday' -> 'on Sunday': days are names."""
    return " ".join(w.capitalize() if w in WEEKDAYS else w for w in time_phrase(label).split())


def _room(ctx: Context, typed: str, hits: list[Hit]) -> str:
    """The room as the schedule names it: the one the words name, else the one all the sessions found are in."""
    named = filters.room_named(ctx.engine().index, typed, ctx.conference)
    if len(named) == 1:
        return next(iter(named))
    rooms = {h.session.room for h in hits if h.session.room}
    return next(iter(rooms)) if len(rooms) == 1 else typed


def _places_known(ctx: Context, phrase: str) -> bool:
    """Whether the room or track a filter names is one of the schedule's: else its words would be searched as
    topics, and 'only in K.4.401' would keep every session that mentions a 4."""
    parsed, index, conference = parse(phrase), ctx.engine().index, ctx.conference
    if parsed.room and filters.room_mask(index, parsed.room, conference) is None:
        return False
    if parsed.track and filters.track_match(index, parsed.track, conference) is None:
        return False
    return bool(parsed.room or not parsed.places or filters.room_named(index, " ".join(parsed.words), conference))
