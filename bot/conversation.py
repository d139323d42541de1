"""From an `Incoming` to a `Reply`: the one entry point every adapter calls.

Button presses are the same commands as typed words ("remind fosdem-2026:8376"), so there is one path for both.
"""

from __future__ import annotations

from dataclasses import replace

import bot.commands.admin
import bot.commands.agenda
import bot.commands.announce
import bot.commands.browse
import bot.commands.help
import bot.commands.search
import bot.commands.settings  # noqa: F401  (importing the command modules registers their commands)
from bot.clock import Clock
from bot.commands.registry import match
from bot.commands.search import run_search
from bot.context import Context
from bot.messages import Incoming, Reply
from bot.search.service import SearchService
from bot.store import AgendaStore, CatalogStore

ACTIONS = {"remind", "forget", "details", "like", "more", "snooze"}
MAX_TEXT = 2000


def _printable(text: str) -> str:
    """A lone surrogate (valid in JSON and in Python, not in UTF-8) would fail the store's writes: replace it."""
    return text.encode("utf-8", "replace").decode("utf-8") if not text.isascii() else text


class Conversation:
    def __init__(
        self,
        catalogs: CatalogStore,
        agenda: AgendaStore,
        search: SearchService,
        clock: Clock,
        conference: str | None = None,
    ) -> None:
        self.catalogs = catalogs
        self.agenda = agenda
        self.search = search
        self.clock = clock
        self.conference = conference

    def context(self, incoming: Incoming) -> Context:
        return Context(incoming, self.catalogs, self.agenda, self.search, self.clock, self.conference)

    def handle(self, incoming: Incoming) -> Reply:
        if not (incoming.text.isascii() and incoming.value.isascii()):
            incoming = replace(incoming, text=_printable(incoming.text), value=_printable(incoming.value))
        if not self.search.engine().index.conferences:
            return Reply("No schedule is loaded yet. An organiser can add one with 'confbot import PATH_OR_URL'.")
        if incoming.action:
            return self._action(incoming)
        text = " ".join(incoming.text[:MAX_TEXT].split())
        ctx = self.context(
            Incoming(incoming.person, text, incoming.channel, incoming.is_direct, "", "", incoming.is_admin)
        )
        found = match(text)
        if found is None:
            return run_search(ctx, text)  # anything that is not a command is a search
        cmd, args = found
        return cmd.handler(ctx, args)

    def _action(self, incoming: Incoming) -> Reply:
        kind = incoming.action if incoming.action in ACTIONS else ""
        if not kind:
            return Reply("That button is no longer understood; try the command instead ('help').")
        text = {"details": "about", "like": "like"}.get(kind, kind)
        return self.handle(
            Incoming(
                incoming.person,
                f"{text} {incoming.value}".strip(),
                incoming.channel,
                incoming.is_direct,
                is_admin=incoming.is_admin,
            )
        )
