"""`confbot search` asks what the chat is asked, through the same router, and prints its reply.

A newcomer found `confbot search "who is Kees Cook"` listing six random sessions while the chat said there is
no such speaker here and which conference has him: the command line had called the search engine directly, so
'who is', 'where is', 'what's next', pointers to other conferences and everything else the router knows were
missing. Now each line goes through `Conversation.handle`, as a typed chat line does, for a person of its own
(one line's list is never what the next line's '2' picks) and with an agenda in memory: a search saves nothing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from adapters.console.render import render_reply
from bot.clock import VirtualClock
from bot.context import more_note
from bot.conversation import Conversation
from bot.messages import Card, Incoming, Person, Reply
from bot.scope import Scope as Chosen
from bot.search.scoped import ScopedEngines
from bot.search.service import SearchService
from bot.store import AgendaStore, CatalogStore, open_database
from catalog.model import Session
from catalog.times import tz_from_name

# What the chat calls a reason for its conference, as `confbot search` has always said it.
_SOURCES = {"explicit": "given"}


@dataclass(frozen=True)
class Answer:
    """One line's reply, the conference that answered and why, and how long answering took."""

    reply: Reply
    scope: Chosen | None
    took_ms: float


class Asker:
    """One router for every line; a fresh person and clock per line, so lines never lean on each other."""

    def __init__(self, store: CatalogStore, pinned: str | None, default: str | None, page_size: int) -> None:
        self.store = store
        self.pinned = pinned
        self.default = default
        self.page_size = page_size
        self.service = SearchService(store)
        self.engines = ScopedEngines(background=False)  # a command line waits for its one answer
        self.agenda = AgendaStore(open_database(":memory:"))
        self.lines = 0

    def ask(self, line: str, now: datetime) -> Answer:
        self.lines += 1
        person = Person("cli", "search", str(self.lines))
        conversation = Conversation(
            self.store,
            self.agenda,
            self.service,
            VirtualClock(now),
            self.pinned,
            self.default,
            engines=self.engines,
            page_size=self.page_size,
        )
        incoming = Incoming(person, line)
        self.engines.engine(self.service.engine(), conversation.context(incoming).conference or "")  # not timed
        started = time.perf_counter()
        reply = conversation.handle(incoming)
        took = (time.perf_counter() - started) * 1000
        asked = conversation.memory.last_asked(person)
        scope = conversation.context(incoming, asked.conference if asked and asked.conference else None).scope()
        return Answer(reply, scope, took)


def why(scope: Chosen) -> str:
    return _SOURCES.get(scope.source, scope.source)


def _more(reply: Reply) -> int:
    return (reply.total or 0) - len(reply.cards)


def _notes(reply: Reply) -> list[str]:
    """The reply's notes, less the chat's "say 'more'", which a command line words as --limit."""
    remaining = _more(reply)
    return [n for n in reply.notes if not (remaining > 0 and n == more_note(remaining))]


def _start(card: Card) -> datetime | None:
    start = card.session.start
    return start.astimezone(tz_from_name(card.zone)) if start and card.zone else start


def _headings(reply: Reply) -> dict[int, str]:
    """'what's next' comes in slots ('Sat 11:05 (in 5 min)'): the heading each slot's first card follows."""
    first, found = 0, {}
    for heading, count in reply.groups:
        found[first] = heading
        first += count
    return found


def answer_text(line: str, reply: Reply) -> str:
    lines = [f"» {line}", reply.text] if reply.text else [f"» {line}"]
    headings = _headings(reply)
    for n, card in enumerate(reply.cards):
        if n in headings:
            lines.append(f"  ── {headings[n]} ──")
        s = card.session
        start = _start(card)
        when = start.strftime("%a %d %b %H:%M") if start else "time to be announced"
        details = " · ".join(x for x in (when, s.room, s.track, ", ".join(s.speaker_names)) if x)
        status = f"  [{card.status}]" if card.status else ""
        lines.append(f"{card.number or '':>3}. {s.title}  [{card.conference} {s.id}]")
        lines.append(f"     {details}{status}")
        if card.why:
            lines.append(f"     why: {'; '.join(card.why)}")
    if _more(reply) > 0:
        lines.append(f"     … {_more(reply)} more (use --limit)")
    lines.extend(_notes(reply))
    return "\n".join(lines)


def answer_json(line: str, answer: Answer) -> dict[str, Any]:
    """A plain search keeps the fields it always had; every reply adds `answer` (the whole text the console would
    print for it, its header, sessions and notes, without styling: a program reads what a person would), `notes`
    and, for 'what's next', its `groups`. Results of a reply that is not a ranked search carry no score."""
    reply = answer.reply
    found = reply.search
    scores = {(h.conference, h.session.id): h.score for h in found.hits} if found else {}
    ranked = found is not None and (not found.hits or any(h.score > 0 for h in found.hits))
    return {
        "query": line,
        "took_ms": round(answer.took_ms, 3),
        "total": found.total if found else (reply.total if reply.total is not None else len(reply.cards)),
        "order": "relevance" if ranked else "time",
        "message": found.message if found else "",
        "suggestions": list(found.suggestions) if found else [],
        "answer": render_reply(reply).plain,
        "notes": _notes(reply),
        **({"groups": [{"heading": h, "count": n} for h, n in reply.groups]} if reply.groups else {}),
        "results": [
            session_json(c.conference, c.session, scores.get((c.conference, c.session.id)) if ranked else None, c.why)
            for c in reply.cards
        ],
    }


def session_json(conference: str, session: Session, score: float | None, why: tuple[str, ...]) -> dict[str, Any]:
    """One session as every JSON answer of `confbot search` gives it."""
    return {
        "id": session.id,
        "conference": conference,
        "title": session.title,
        "start": session.start.isoformat() if session.start else None,
        "end": session.end.isoformat() if session.end else None,
        "room": session.room,
        "track": session.track,
        "speakers": list(session.speaker_names),
        "score": score,
        "why": list(why),
    }
