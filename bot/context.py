"""Everything a command needs for one request: who asks, the stores, the search engine, the clock.

Collaborators are passed in, so tests build the real thing with a virtual clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.messages import Action, Card, Incoming, Person, Reply
from bot.search.engine import Hit, SearchEngine
from bot.search.service import SearchService
from bot.store import AgendaStore, CatalogStore
from bot.store.agenda import LastList, Settings
from catalog.model import Session

PAGE_SIZE = 5


@dataclass(frozen=True)
class Resolved:
    """A session reference resolved to one session, to several candidates, or to nothing (with a message)."""

    conference: str = ""
    session: Session | None = None
    candidates: tuple[Hit, ...] = ()
    message: str = ""


@dataclass
class Context:
    incoming: Incoming
    catalogs: CatalogStore
    agenda: AgendaStore
    search: SearchService
    clock: Clock
    conference: str | None = None
    page_size: int = PAGE_SIZE
    _settings: Settings | None = field(default=None, repr=False)
    _engine: SearchEngine | None = field(default=None, repr=False)

    @property
    def person(self) -> Person:
        return self.incoming.person

    def now(self) -> datetime:
        return self.clock.now()

    def engine(self) -> SearchEngine:
        """One index for the whole request, even if a sync lands meanwhile."""
        if self._engine is None:
            self._engine = self.search.engine()
        return self._engine

    def settings(self) -> Settings:
        """Read once per request: every card asks for the lead time and the display zone."""
        if self._settings is None:
            self._settings = self.agenda.settings(self.person)
        return self._settings

    def update_settings(self, settings: Settings) -> None:
        self.agenda.update_settings(self.person, settings)
        self._settings = settings

    def zone_for(self, conference: str) -> str:
        """Where a platform cannot show each reader's own time: their chosen zone, else the conference's."""
        chosen = self.settings().timezone
        if chosen:
            return chosen
        conf = self.engine().index.conferences.get(conference)
        return conf.timezone if conf and conf.timezone else "UTC"

    def session(self, conference: str, session_id: str) -> Session | None:
        return self.engine().index.session(conference, session_id)

    def saved_sessions(self) -> list[tuple[str, Session]]:
        found = []
        for conference, session_id in self.agenda.saved(self.person):
            session = self.session(conference, session_id)
            if session is not None:
                found.append((conference, session))
        return sorted(found, key=lambda cs: (cs[1].start is None, cs[1].start or datetime.max, cs[1].title))

    def reminder_at(self, session: Session) -> datetime | None:
        if session.start is None:
            return None
        return session.start - timedelta(minutes=self.settings().lead_minutes)

    def clashes(self, conference: str, session: Session) -> tuple[str, ...]:
        return tuple(
            other.title
            for conf, other in self.saved_sessions()
            if not (conf == conference and other.id == session.id) and other.overlaps(session)
        )

    def card(
        self,
        conference: str,
        session: Session,
        number: int | None = None,
        why: tuple[str, ...] = (),
        detailed: bool = False,
    ) -> Card:
        saved = self.agenda.is_saved(self.person, conference, session.id)
        ref = f"{conference}:{session.id}"
        actions = [
            Action("forget", "Forget", ref) if saved else Action("remind", "Remind me", ref),
            Action("details", "Details", ref),
            Action("like", "More like this", ref),
        ]
        overlapping: tuple[str, ...] = ()
        if detailed:
            overlapping = tuple(
                f"{other.title} ({other.room})" if other.room else other.title
                for other in self.engine().index.overlapping(conference, session)
            )
        return Card(
            conference=conference,
            session=session,
            zone=self.zone_for(conference),
            number=number,
            why=why,
            saved=saved,
            reminder_at=self.reminder_at(session) if saved and session.start and session.start > self.now() else None,
            clashes=self.clashes(conference, session) if saved else (),
            detailed=detailed,
            overlapping=overlapping,
            actions=tuple(actions),
        )

    def list_reply(
        self,
        text: str,
        hits: list[Hit] | tuple[Hit, ...],
        *,
        total: int,
        query: str,
        kind: str,
        offset: int = 0,
        notes: tuple[str, ...] = (),
        groups: tuple[tuple[str, int], ...] = (),
    ) -> Reply:
        """A numbered, paged list; remembered so that "remind 2" and "more" work next."""
        previous = self.agenda.last_list(self.person).refs if offset else ()
        cards = tuple(self.card(h.conference, h.session, number=offset + i + 1, why=h.why) for i, h in enumerate(hits))
        refs = tuple(previous[:offset]) + tuple(c.ref for c in cards)
        self.agenda.remember_list(self.person, LastList(refs, query, len(refs), total, kind))
        remaining = total - len(refs)
        actions: tuple[Action, ...] = ()
        if remaining > 0:
            actions = (Action("more", f"{min(remaining, self.page_size)} more of {remaining}", kind),)
            notes = notes + (f"{remaining} more: say 'more'.",)
        return Reply(text, cards, actions, notes, groups=groups)

    def resolve(self, text: str) -> Resolved:
        """A number from the last list, a source id, a conference:id reference, or part of a title."""
        text = text.strip().strip("\"'“”#")
        if not text:
            return Resolved(message="Which session? Give its number from a list, its id, or part of its title.")
        index = self.engine().index
        if ":" in text:
            conference, _, session_id = text.partition(":")
            session = index.session(conference, session_id)
            if session is not None:
                return Resolved(conference, session)
        if text.isdecimal() and len(text) <= 6:  # "²" is a digit to isdigit() but not a number to int()
            refs = self.agenda.last_list(self.person).refs
            number = int(text)
            if 1 <= number <= len(refs):
                conference, _, session_id = refs[number - 1].partition(":")
                session = index.session(conference, session_id)
                if session is not None:
                    return Resolved(conference, session)
        by_id = [(conf, s) for conf, s in index.by_source_id(text) if self.conference in (None, conf)]
        if len(by_id) == 1:
            return Resolved(*by_id[0])
        result = self.engine().search(text, now=self.now(), conference=self.conference, limit=5)
        hits = list(result.hits)
        if not hits:
            return Resolved(message=f"I couldn't find a session matching '{text}'." + _suggest(result.suggestions))
        folded = text.casefold()
        in_title = [h for h in hits if folded in h.session.title.casefold()]
        if len(in_title) == 1 or (len(hits) == 1) or (len(hits) > 1 and hits[0].score >= 2 * hits[1].score):
            best = in_title[0] if len(in_title) == 1 else hits[0]
            return Resolved(best.conference, best.session)
        return Resolved(candidates=tuple(hits))


def _suggest(suggestions: tuple[str, ...]) -> str:
    return f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
