"""Everything a command needs for one request: who asks, the stores, the search engine, the clock, the scope.

Collaborators are passed in, so tests build the real thing with a virtual clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from bot import clock_rank
from bot.clock import Clock
from bot.dialogue import Memory
from bot.messages import Action, Card, Incoming, Person, Reply
from bot.references import is_pronoun, list_position
from bot.scope import Scope, by_calendar, label
from bot.search.engine import Hit, SearchEngine
from bot.search.scoped import ScopedEngines
from bot.search.service import SearchService
from bot.store import AgendaStore, CatalogStore
from bot.store.agenda import LastList, Settings
from catalog.model import Conference, Session

PAGE_SIZE = 5
NEXT_PAGE_SIZE = 10
OVERLAPPING_SHOWN = 6
TITLE_HINT_WORDS = (3, 5, 8)  # how many of a title's first words a hint tries, shortest first
LIST_KEPT = timedelta(hours=3)  # how long a list shown stays what '2', 'the second one' and 'more' pick from
WITHDRAWN = "none"  # the kind of list an answer showing none leaves: no list, said as such
AGENDA = "agenda"  # the kind of list 'agenda' and 'clashes' leave: numbers are places in the agenda


def more_note(remaining: int) -> str:
    """The line under a page of a longer list; a command line, which has no 'more', words it its own way."""
    return f"{remaining} more: say 'more'."


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
    pinned: str | None = None  # --conference: nothing a person says overrides it
    default: str | None = None  # [bot] conference in the config
    asked: str | None = None  # a conference named in this very message ("fosdem 2025 talks on rust")
    engines: ScopedEngines = field(default_factory=ScopedEngines, repr=False)
    memory: Memory = field(default_factory=Memory, repr=False)
    page_size: int = PAGE_SIZE
    limit: int | None = None  # `confbot search --limit N`: no list of any kind shows more than N at once
    _settings: Settings | None = field(default=None, repr=False)
    _whole: SearchEngine | None = field(default=None, repr=False)
    _scope: Scope | None = field(default=None, repr=False)

    @property
    def person(self) -> Person:
        return self.incoming.person

    def now(self) -> datetime:
        return self.clock.now()

    def whole(self) -> SearchEngine:
        """The store-wide index, for looking sessions up by reference (an agenda may span conferences)."""
        if self._whole is None:
            self._whole = self.search.engine()
        return self._whole

    def engine(self) -> SearchEngine:
        """The index of the conference in scope, one for the whole request even if a sync lands meanwhile."""
        scope = self.scope()
        return self.engines.engine(self.whole(), scope.slug) if scope else self.whole()

    def engine_for(self, conference: str) -> SearchEngine:
        """The index of one conference: "more like this" stays in the conference of the session it starts from."""
        return self.engines.engine(self.whole(), conference)

    # -- scope
    def chosen(self) -> list[tuple[str, str]]:
        """Every standing choice that applies here, most deliberate first: (source, slug)."""
        person, incoming = self.person, self.incoming
        found = [("explicit", self.pinned or "")]
        if incoming.channel and not incoming.is_direct:
            channel = self.agenda.channel_conference(person.platform, person.workspace, incoming.channel)
            found.append(("channel", channel))
        found.append(("personal", self.settings().conference))
        found.append(("workspace", self.agenda.channel_conference(person.platform, person.workspace, "")))
        found.append(("config", self.default or ""))
        return [(source, slug) for source, slug in found if slug]

    def scope(self) -> Scope | None:
        """The conference this request is about; None only when the store is empty."""
        if self._scope is None:
            self._scope = self._pick(asked=True)
        return self._scope

    def standing(self) -> str:
        """The conference in scope apart from one named in this very message: what a list is kept for, so
        'searchcon 2025 talks on horovod' then 'remind 1' still picks from that list."""
        if not self.asked:
            return self.conference or ""
        scope = self._pick(asked=False)
        return scope.slug if scope else ""

    def _pick(self, asked: bool) -> Scope | None:
        conferences = self.whole().index.conferences
        several = len(conferences) > 1
        choices = self.chosen()
        if asked and self.asked and not self._locked(choices):
            choices.insert(0, ("asked", self.asked))
        for source, slug in choices:
            if slug in conferences:
                return Scope(slug, source, label(conferences[slug]), several)
        picked = by_calendar(list(conferences.values()), self.now(), self.catalogs.activity)
        if picked is None:
            return None
        conf, source = picked
        return Scope(conf.slug, source if several else "only", label(conf), several)

    def _locked(self, choices: list[tuple[str, str]]) -> bool:
        known = [source for source, slug in choices if slug in self.whole().index.conferences]
        return bool(known) and (known[0] == "explicit" or (known[0] == "channel" and not self.incoming.is_admin))

    def locked(self) -> bool:
        """Whether this person can name another conference here: not past --conference or an admin's channel."""
        return self._locked(self.chosen())

    @property
    def conference(self) -> str | None:
        scope = self.scope()
        return scope.slug if scope else None

    def conference_info(self, slug: str | None = None) -> Conference | None:
        return self.whole().index.conferences.get(slug or self.conference or "")

    def about_scope(self, text: str) -> str:
        """'FOSDEM 2025 · 12 sessions for …': which conference a reply is about, when the store has several."""
        scope = self.scope()
        if not scope or not scope.several or not text or text.startswith(scope.label):
            return text  # 'FOSDEM 2025 ended on …' already says which
        return f"{scope.label} · {text}"

    def has_times(self) -> bool:
        index = self.engine().index
        return bool(index.n) and not bool(np.all(np.isnan(index.starts)))

    def no_times(self) -> Reply:
        scope = self.scope()
        name = scope.label if scope else "This conference"
        return Reply(f"{name}: this schedule has no times yet, so I can't answer by time. Search by topic instead.")

    def by_clock(self, hits: list[Hit] | tuple[Hit, ...]) -> list[Hit]:
        """During the conference, sessions still to come before those already over (see bot.clock_rank)."""
        if not clock_rank.in_progress(self.conference_info(), self.now()):
            return list(hits)
        return clock_rank.upcoming_first(hits, lambda h: h.session, self.now())

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
        conf = self.whole().index.conferences.get(conference)
        return conf.timezone if conf and conf.timezone else "UTC"

    def session(self, conference: str, session_id: str) -> Session | None:
        return self.whole().index.session(conference, session_id)

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

    def upcoming_reminder(self, session: Session) -> datetime | None:
        """When a saved session's reminder will come; None once that time has passed (none comes late)."""
        at = self.reminder_at(session)
        return at if at is not None and at > self.now() else None

    def clashes(self, conference: str, session: Session) -> tuple[str, ...]:
        return tuple(
            other.title
            for conf, other in self.saved_sessions()
            if not (conf == conference and other.id == session.id) and other.overlaps(session)
        )

    def last_list(self) -> LastList:
        """The list a number ('2', 'the second one', 'snooze 2', 'more') picks from; empty when there is none.

        A list counts only while a person can still mean it: shown within LIST_KEPT before now by the bot's
        clock, and while the same conference is in scope (see `standing`). So a list survives a restart of the
        bot (Slack, Discord, a second console run on the same clock), but one from hours ago, from a run on
        another clock (a 2024 talk picked in a 2026 chat), or shown while another conference was in scope is
        never picked from: the person is told there is no list and how to get one, instead of being handed a
        session they never saw.
        """
        shown = self._recent_list()
        return shown if shown.refs else LastList(())

    def list_withdrawn(self) -> bool:
        """Whether the latest answer to a question showed no list (see `withdraw_list`): a number then has
        nothing to pick from, and is told so rather than given the list from before."""
        return self._recent_list().kind == WITHDRAWN

    def withdraw_list(self, query: str) -> None:
        """An answer to a question that showed no sessions ('Nothing found …') ends the list before it: a number
        said next would pick from a list the person is no longer looking at."""
        self.remember_list((), query, 0, WITHDRAWN)

    def _recent_list(self) -> LastList:
        shown = self.agenda.last_list(self.person)
        if not shown.shown_at or shown.scope != self.standing():
            return LastList(())
        try:
            at = datetime.fromisoformat(shown.shown_at)
        except ValueError:
            return LastList(())
        return shown if self.now() - LIST_KEPT <= at <= self.now() else LastList(())

    def remember_list(self, refs: tuple[str, ...], query: str, total: int, kind: str) -> None:
        """Stamped with the clock and the scope, which is what `last_list` asks of it later."""
        stamp = self.now().isoformat()
        self.agenda.remember_list(self.person, LastList(refs, query, len(refs), total, kind, stamp, self.standing()))

    def card(
        self,
        conference: str,
        session: Session,
        number: int | None = None,
        why: tuple[str, ...] = (),
        detailed: bool = False,
        labelled: bool = False,
    ) -> Card:
        saved = self.agenda.is_saved(self.person, conference, session.id)
        ref = f"{conference}:{session.id}"
        actions = [
            Action("forget", "Forget", ref) if saved else Action("remind", "Remind me", ref),
            Action("details", "Details", ref),
            Action("like", "More like this", ref),
        ]
        overlapping: tuple[str, ...] = ()
        more_at_same_time = 0
        if detailed:
            index = self.whole().index
            everything = index.overlapping(conference, session, limit=index.n)
            shown = everything[:OVERLAPPING_SHOWN]
            more_at_same_time = len(everything) - len(shown)
            overlapping = tuple(f"{other.title} ({other.room})" if other.room else other.title for other in shown)
        conf = self.conference_info(conference)
        zone = self.zone_for(conference)
        return Card(
            conference=conference,
            session=session,
            zone=zone,
            number=number,
            why=why,
            saved=saved,
            reminder_at=self.upcoming_reminder(session) if saved else None,
            clashes=self.clashes(conference, session) if saved else (),
            detailed=detailed,
            overlapping=overlapping,
            actions=tuple(actions),
            status=clock_rank.status(session, self.now(), zone, conf),
            label=label(conf) if labelled and conf else "",
            more_at_same_time=more_at_same_time,
            hint=self.hint(conference, session, number),
        )

    def hint(self, conference: str, session: Session, number: int | None = None) -> str:
        """The words that name a session again, as a person would type them: its number in the list they were
        last shown, else the first words of its title that find it and nothing else; '' if none do, and only
        its id is left. A schedule's id ('8808') means nothing to anyone reading."""
        if number is not None:
            return str(number)
        refs = self.last_list().refs
        ref = f"{conference}:{session.id}"
        if ref in refs:
            return str(refs.index(ref) + 1)
        words = session.title.split()
        for count in sorted({min(len(words), n) for n in TITLE_HINT_WORDS}):
            name = " ".join(words[:count])
            if list_position(name) is not None or name.isdecimal() or is_pronoun(name):
                continue
            from bot.lookup import lookup

            found = lookup(self, name)
            if found.session is not None and (found.conference, found.session.id) == (conference, session.id):
                return name
        return ""

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
        page_size: int | None = None,
    ) -> Reply:
        """A numbered, paged list; remembered so that "remind 2" and "more" work next."""
        previous = self.last_list().refs if offset else ()
        mixed = len({h.conference for h in hits}) > 1
        cards = tuple(
            self.card(h.conference, h.session, number=offset + i + 1, why=h.why, labelled=mixed)
            for i, h in enumerate(hits)
        )
        refs = tuple(previous[:offset]) + tuple(c.ref for c in cards)
        self.remember_list(refs, query, total, kind)
        if total == 1 and len(cards) == 1:
            # The only one found is what 'remind me about it' means next, as it would to anyone reading along.
            self.memory.set_focus(self.person, cards[0].ref, self.now())
        else:  # 'it' is now one of these, not what came before
            self.memory.set_focus(self.person, "", self.now(), listed=tuple(c.number or 0 for c in cards))
        remaining = total - len(refs)
        actions: tuple[Action, ...] = ()
        if remaining > 0:
            actions = (Action("more", f"{min(remaining, page_size or self.page_size)} more of {remaining}", kind),)
            notes = notes + (more_note(remaining),)
        return Reply(text, cards, actions, notes, groups=groups, total=total)

    def resolve(self, text: str) -> Resolved:
        """A number from the last list, an exact id, a conference:id reference, or part of a title; also 'the
        second one' or 'it' (see bot.lookup), which becomes what 'it' means next."""
        from bot.lookup import resolve

        return resolve(self, text)
