"""From an `Incoming` to a `Reply`: the one entry point every adapter calls.

Button presses are the same commands as typed words ("remind fosdem-2026:8376"), so there is one path for both.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, tzinfo

import bot.commands.admin
import bot.commands.agenda
import bot.commands.announce
import bot.commands.browse
import bot.commands.clashes
import bot.commands.help
import bot.commands.hours
import bot.commands.meanwhile
import bot.commands.scope
import bot.commands.search
import bot.commands.settings
import bot.commands.snooze
import bot.commands.speakers
import bot.commands.where  # noqa: F401  (importing the command modules registers their commands)
from bot import metrics, notices, smalltalk, time_check, unasked
from bot.again import only_connector, retimed
from bot.clock import Clock
from bot.commands.registry import Command, match, near
from bot.commands.search import run_search
from bot.context import PAGE_SIZE, Context
from bot.dialogue import Asked, Memory, Question
from bot.lookup import list_span
from bot.markup import without_markup
from bot.messages import Incoming, Reply
from bot.narrowed import Narrowed, narrow, narrowable
from bot.narrowed_shown import narrow_shown
from bot.narrowing import narrowing
from bot.references import LAST, follow_up, is_no, is_pronoun, is_yes, list_position
from bot.references import said as heard
from bot.scope import missing_edition, named_within, split_named
from bot.search.query import german_as_english
from bot.search.scoped import ScopedEngines
from bot.search.service import SearchService
from bot.search.text import tokens
from bot.spoken import unpunctuated
from bot.store import AgendaStore, CatalogStore
from bot.store.faults import is_damaged, is_read_only
from catalog.model import Conference
from catalog.times import tz_from_name

log = logging.getLogger("confbot.conversation")
ACTIONS = {"remind", "forget", "details", "like", "more", "snooze"}
# Commands that ask about the schedule: a conference may be named in them, and 'and at 36c3?' asks them again.
SEARCHING = ("search", "next", "now", "speaker", "track", "tracks", "rooms")
# Besides those, the questions 'and tomorrow?' may ask again. Never a pick from a list ('3', 'about 1'),
# 'meanwhile', 'more', 'remind' or small talk: asked again at another time they mean nothing.
ASKING_AGAIN = ("today", "tomorrow", "day", "hours")
MAX_TEXT = 2000


_SURROGATE = re.compile("[\ud800-\udfff]")


def _printable(text: str) -> str:
    """A lone surrogate (valid in JSON and in Python, not in UTF-8) would fail the store's writes: replace it, with
    U+FFFD rather than '?', which would read as the person's own question mark and be dropped from a command."""
    return _SURROGATE.sub("\ufffd", text) if not text.isascii() else text


COULD_NOT_SAVE = (
    "I couldn't save that: the schedule store is read-only right now. Searching still works; please tell an organiser."
)
DAMAGED = "I couldn't answer that: the schedule store is damaged. Please tell an organiser ('confbot doctor')."


def _store_fault(exc: sqlite3.DatabaseError) -> Reply:
    """Said here, in the core, so every platform tells the person instead of going silent."""
    if is_read_only(exc):
        log.warning("a write was refused: %s", exc)
        return Reply(COULD_NOT_SAVE)
    if is_damaged(exc):
        log.error("the store is damaged: %s", exc)
        return Reply(DAMAGED)
    raise exc


# What a German question may reach through its English words: asking what is on, never changing anything.
GERMAN_BROWSING = frozenset({"next", "now", "today", "tomorrow", "day"})


def _command(text: str, known: Callable[[str], bool] = lambda _word: False) -> tuple[Command, str] | None:
    """The command a line asks for: its own words, a command word with one slip, or a German way of asking.

    `known`: whether a word is in the schedule. 'litke' is one slip from 'like', but at a conference with a
    speaker called Litke it is a search for her, so a word the schedule knows is never read as a slip."""
    found = match(text)
    if found is None:
        slip = near(text)  # rare: only then is the schedule asked whether the word is one of its own
        found = slip if slip is not None and not known(text.split()[0]) else None
    if found is None:
        english = german_as_english(text)
        found = match(english) if english else None
        if found is not None and (found[0].name not in GERMAN_BROWSING or bot.commands.hours.asks_hours(text)):
            return None  # 'wann fängt es morgen an?' reads as 'morgen': it asks the hours, not what is on
    return found


def _answered(ctx: Context, reply: Reply) -> Reply:
    """A question answered with no sessions ends the list before it, so a number said next is not taken from
    a list the person has stopped looking at."""
    if not reply.cards:
        ctx.withdraw_list(ctx.incoming.text)
    return reply


class Conversation:
    def __init__(
        self,
        catalogs: CatalogStore,
        agenda: AgendaStore,
        search: SearchService,
        clock: Clock,
        conference: str | None = None,
        default_conference: str | None = None,
        engines: ScopedEngines | None = None,
        memory: Memory | None = None,
        page_size: int | None = None,
    ) -> None:
        self.catalogs = catalogs
        self.agenda = agenda
        self.search = search
        self.clock = clock
        self.conference = conference
        self.default_conference = default_conference
        # A long-running bot builds a large conference's engine apart; a console session may just wait once.
        self.engines = engines or ScopedEngines(background=search.builds_apart)
        # What each person's conversation is about ('it', a question just asked): shared by every thread.
        self.memory = memory or Memory()
        self.page_size = page_size  # `confbot search --limit N`: N a page, in every kind of list

    def context(self, incoming: Incoming, asked: str | None = None) -> Context:
        return Context(
            incoming,
            self.catalogs,
            self.agenda,
            self.search,
            self.clock,
            pinned=self.conference,
            default=self.default_conference,
            asked=asked,
            engines=self.engines,
            memory=self.memory,
            page_size=self.page_size or PAGE_SIZE,
            limit=self.page_size,
        )

    def zone(self, incoming: Incoming) -> tzinfo:
        """The zone of the conference in scope for this person: naive times they type are read in it."""
        if not self.search.engine().index.conferences:
            return UTC
        conf = self.context(incoming).conference_info()
        return tz_from_name(conf.timezone) if conf and conf.timezone else UTC

    def handle(self, incoming: Incoming) -> Reply:
        if not (incoming.text.isascii() and incoming.value.isascii()):
            incoming = replace(incoming, text=_printable(incoming.text), value=_printable(incoming.value))
        if not self.search.engine().index.conferences:
            return Reply("No schedule is loaded yet. An organiser can add one with 'confbot import PATH_OR_URL'.")
        try:
            reply = self._action(incoming) if incoming.action else self._text(incoming)
        except sqlite3.DatabaseError as exc:
            reply = _store_fault(exc)
        waiting = notices.take(self.agenda.db, incoming.person, self.clock.now())
        if not waiting:
            return reply
        return replace(reply, notes=reply.notes + tuple(waiting))

    def _text(self, incoming: Incoming) -> Reply:
        question = self.memory.take_question(incoming.person)
        command, reply = self._answer(incoming, question) if question else ("", None)
        if reply is None:
            command, reply = self._route(incoming)
        self.memory.turned(incoming.person, self.clock.now())
        metrics.current().answered(command, incoming.person.platform)
        return reply

    def _answer(self, incoming: Incoming, question: Question) -> tuple[str, Reply | None]:
        """A reply when the message answers the question just asked: 'yes', 'no', or a number for a choice."""
        text = incoming.text[:MAX_TEXT]
        if is_no(text):
            return "answer", Reply(question.no)
        if (is_yes(text) or heard(text) in question.also) and question.yes:
            return self._route(replace(incoming, text=question.yes))
        asked = match(text)
        if is_yes(text) or (question.verb and is_pronoun(asked[1] if asked else text)):
            # A choice a yes cannot settle, nor 'forget it': 'it' was what came before the list. Ask again.
            self.memory.ask(incoming.person, question)
            return "answer", Reply(f"Which one? Say its number, 1 to {question.choices}, or 'no' to leave it.")
        said = text.strip().strip("#")
        position = int(said) if said.isdecimal() and len(said) <= 4 else list_position(text)
        if question.verb and position is not None:
            number = question.choices if position == LAST else position
            if 1 <= number <= question.choices and number in (question.numbers or (number,)):
                return self._route(replace(incoming, text=f"{question.verb} {number}{question.rest}"))
        return "", None

    def _route(self, incoming: Incoming) -> tuple[str, Reply]:
        """The reply and the command that made it, which is what an operator counts."""
        text = " ".join(without_markup(incoming.text[:MAX_TEXT]).split())
        text = follow_up(text) or text  # 'tell me more about it' is 'about it', 'what about 2?' is 'about 2'
        plain = replace(incoming, text=text, action="", value="")
        narrowed = self._narrowed(plain, text)  # 'only in room K.4.201': the last list, narrowed
        if narrowed is not None:
            return "narrow", narrowed
        last = self.memory.last_asked(incoming.person)
        again = retimed(last.text, text) if last else None  # 'and tomorrow?': the last question, then
        text, found = self._command(again or text)
        asked = last.conference if again and last and last.conference else None
        loaded = list(self.search.engine().index.conferences.values())
        named = bot.commands.hours.name_words(loaded)  # words naming a conference, which ask no topic
        hours_of = self._hours_named(loaded, named, text, found) if asked is None else None
        if hours_of is not None:  # 'when does fosdem 2025 start?': that conference's hours, the name kept in
            pinned = self._pinned(plain, hours_of.slug)
            if pinned is not None:
                return "scope", pinned
            asked = hours_of.slug
        elif found is None or found[0].name in SEARCHING:
            missing = missing_edition(loaded, text)  # 'rust at fosdem 2019' with 2019 not loaded
            if missing:
                return "scope", Reply(missing)
            conf, rest = split_named(loaded, text, self.clock.now())
            if conf is not None:
                pinned = self._pinned(plain, conf.slug)
                if pinned is not None:
                    return "scope", pinned
                if last and only_connector(rest):  # 'and at 36c3?': the last question, there
                    rest = last.text
                asked = conf.slug
                text, found = self._command(rest)
        if found is not None and found[0].name == "more" and asked is None:
            asked = self.context(plain).last_list().conference or None  # the next page of 'rust at fosdem 2025'
        ctx = self.context(replace(plain, text=text), asked)
        if found is None and text.strip("#").isdecimal():
            return "about", self._picked(ctx, text.strip("#"))
        if found is None and list_position(text) is not None:  # 'the second one', 'number 2', 'the 3rd'
            return "about", bot.commands.browse.about(ctx, text)  # with no list to pick from, it says so
        if found is None:
            friendly = smalltalk.answer(ctx, text) or time_check.answer(ctx, text)
            if friendly is not None:
                return "smalltalk", friendly
            unanswerable = unasked.answer(text)
            if unanswerable is not None:
                return "answer", unanswerable
            self.memory.set_asked(incoming.person, Asked(text, asked or ""))
            if bot.commands.hours.asks_hours(text, named):  # "when does it start tomorrow?": hours, not a search
                return "hours", bot.commands.hours.hours(ctx, text)
            return "search", _answered(ctx, run_search(ctx, text))  # anything that is not a command is a search
        cmd, args = found
        if cmd.name in SEARCHING or cmd.name in ASKING_AGAIN:
            self.memory.set_asked(incoming.person, Asked(text, asked or ""))
        reply = cmd.handler(ctx, args)
        return cmd.name, _answered(ctx, reply) if cmd.name in SEARCHING else reply

    def _narrowed(self, incoming: Incoming, text: str) -> Reply | None:
        """'only in German', 'welche davon sind morgen': the last list asked again with the filter added, in its
        conference (a list of no question, as the agenda, filtered); None when the line is not that, or there is
        no recent list to narrow."""
        phrase = narrowing(text)
        if phrase is None:
            return None
        shown = self.context(incoming).last_list()
        if not shown.refs:
            return None
        if not narrowable(shown.kind):  # the agenda, 'what's next': the sessions it showed, filtered
            return narrow_shown(self.context(replace(incoming, text=text)), shown, phrase)
        conference = shown.conference
        base = Narrowed.load(shown.query, shown.kind)
        reply = narrow(self.context(replace(incoming, text=text), conference), base, phrase)
        if reply is not None:
            self.memory.set_asked(
                incoming.person, Asked(Narrowed(base.question, (*base.filters, phrase)).asked, conference)
            )
        return reply

    def _command(self, text: str) -> tuple[str, tuple[Command, str] | None]:
        """The line as it is read from here on, and the command it asks for: 'what's next ?' is 'what's next'.
        A line that is no command keeps its punctuation, which a search reads in its own way."""
        bare = unpunctuated(text)
        found = _command(bare, self._known)
        return (bare, found) if found is not None else (text, None)

    def _pinned(self, incoming: Incoming, slug: str) -> Reply | None:
        """Why another conference can't be asked here, when this channel is pinned to one; else None."""
        ctx = self.context(incoming)
        if ctx.locked() and ctx.conference != slug:
            return Reply(bot.commands.scope.pinned_message(ctx, slug))
        return None

    def _hours_named(
        self, loaded: list[Conference], named: frozenset[str], text: str, found: tuple[Command, str] | None
    ) -> Conference | None:
        """The conference named in a question about the hours ('when does 38c3 end?', 'hours fosdem 2025'), if any:
        the name may stand anywhere in it, and stays in it, so the answer gives that conference's days."""
        if found is not None and found[0].name != "hours":
            return None
        if found is None and not bot.commands.hours.asks_hours(text, named):
            return None
        return named_within(loaded, text, self.clock.now())

    def _known(self, word: str) -> bool:
        index = self.search.engine().index
        return any(index.df(term) > 0 for term in tokens(word))

    def _picked(self, ctx: Context, number: str) -> Reply:
        """A bare number after a list picks from it, as 'about 3' does; it is never a search for the digit.

        Searching would replace the list, so a following 'remind 3' would save a talk the person never saw.
        A session id (as 'about 8376' takes) still works; any other number is explained and the list kept.
        """
        shown = ctx.last_list()
        position = int(number)
        found = ctx.resolve(number)
        if found.session is not None or found.candidates:
            return bot.commands.browse.about(ctx, number)
        if not shown.refs and ctx.list_withdrawn():
            return Reply(f"There is no number {position} to pick: {list_span(ctx)}.")
        if not shown.refs:
            return Reply(f"There is no recent list to pick {number} from: search first, e.g. 'talks on rust'.")
        if len(shown.refs) == 1 and shown.total <= 1:
            return Reply(f"There's no {position}: your last list has only one item. Say 'about 1', or search again.")
        text = f"There's no {position} in your last list of {len(shown.refs)}"
        if shown.total > len(shown.refs):
            return Reply(f"{text}; say 'more' for the next ones, or 'about <number>' for one of them.")
        return Reply(f"{text}; say 'about <number>' for one of them, or search again.")

    def _action(self, incoming: Incoming) -> Reply:
        kind = incoming.action if incoming.action in ACTIONS else ""
        if not kind:
            return Reply("That button is no longer understood; try the command instead ('help').")
        text = {"details": "about", "like": "like"}.get(kind, kind)
        return self._text(replace(incoming, text=f"{text} {incoming.value}".strip(), action="", value=""))
