"""Wiring the dispatcher to the stores: how a due reminder becomes a message for its person."""

from __future__ import annotations

from datetime import datetime

from bot.clock import Clock
from bot.messages import Person, Reply
from bot.notify import Notifier
from bot.reminders.dispatcher import Dispatcher, Render
from bot.reminders.due import Due
from bot.reminders.text import reminder_reply
from bot.store import AgendaStore, CatalogStore


def reminder_renderer(catalogs: CatalogStore, agenda: AgendaStore) -> Render:
    def render(due: Due, now: datetime) -> Reply | None:
        session = catalogs.session(due.conference, due.session_id)
        conference = catalogs.conference(due.conference)
        if session is None or conference is None:
            return None
        chosen = agenda.settings(Person(due.platform, due.workspace, due.address)).timezone
        return reminder_reply(due, session, chosen or conference.timezone or "UTC", now)

    return render


def make_dispatcher(
    catalogs: CatalogStore, agenda: AgendaStore, notifier: Notifier, clock: Clock, worker: str = ""
) -> Dispatcher:
    return Dispatcher(catalogs.db, notifier, clock, reminder_renderer(catalogs, agenda), worker)
