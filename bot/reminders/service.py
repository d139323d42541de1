"""Wiring the dispatcher to the stores: how a due reminder becomes a message for its person."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlite_utils import Database

from bot.clock import Clock
from bot.messages import Person, Reply
from bot.notify import Notifier
from bot.outbox import Outbox
from bot.reminders.dispatcher import CLAIM_TIMEOUT, SEND_TIMEOUT, Dispatcher, Render
from bot.reminders.due import Due
from bot.reminders.text import announcement_reply, digest_reply, notice_reply, reminder_reply
from bot.store import AgendaStore, CatalogStore
from catalog.model import Session


def delivery_renderer(catalogs: CatalogStore, agenda: AgendaStore) -> Render:
    """How each kind of due delivery becomes a message; None when there is nothing left to say."""

    def zone_of(slug: str) -> str:
        conference = catalogs.conference(slug)
        return conference.timezone if conference and conference.timezone else "UTC"

    def sessions_of(payload: str) -> list[tuple[str, Session]]:
        found = []
        for ref in json.loads(payload or "[]"):
            slug, _, session_id = str(ref).partition(":")
            session = catalogs.session(slug, session_id)
            if session is not None:
                found.append((slug, session))
        return found

    def render(due: Due, now: datetime) -> Reply | None:
        if due.kind == "reminder":
            session = catalogs.session(due.conference, due.session_id)
            if session is None:
                return None
            chosen = agenda.settings(Person(due.platform, due.workspace, due.address)).timezone
            return reminder_reply(due, session, chosen or zone_of(due.conference), now)
        if due.kind == "announcement":
            items = sessions_of(due.payload)
            return announcement_reply(due, items, zone_of(due.conference), now) if items else None
        if due.kind == "digest":
            items = sessions_of(due.payload)
            return digest_reply(due, items, zone_of(due.conference)) if items else None
        return notice_reply(due)

    return render


def make_dispatcher(
    catalogs: CatalogStore,
    agenda: AgendaStore,
    notifier: Notifier,
    clock: Clock,
    worker: str = "",
    lease: timedelta = CLAIM_TIMEOUT,
    send_timeout: float = SEND_TIMEOUT,
) -> Dispatcher:
    """The dispatcher reads through its own connection: the stores here only say which database."""

    def render(db: Database) -> Render:
        return delivery_renderer(CatalogStore(db), AgendaStore(db))

    def zones(db: Database) -> dict[str, str]:
        return {c.slug: c.timezone for c in CatalogStore(db).conferences()}

    # The outbox puts its own deadline on each attempt; a bare notifier gets the dispatcher's.
    timeout = None if isinstance(notifier, Outbox) else send_timeout
    return Dispatcher(catalogs.db, notifier, clock, render, worker, zones, lease=lease, send_timeout=timeout)
