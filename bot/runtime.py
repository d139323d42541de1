"""Everything a long-running adapter needs, wired once: stores, search, conversation, outbox, dispatcher,
and the scheduler that wakes the dispatcher and re-syncs catalogs that came from a URL."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from sqlite_utils import Database

from bot.clock import Clock
from bot.config import Config
from bot.conversation import Conversation
from bot.notify import Notifier
from bot.outbox import Outbox
from bot.reminders.dispatcher import Dispatcher
from bot.reminders.scheduler import WakeScheduler
from bot.reminders.service import make_dispatcher
from bot.search.service import SearchService
from bot.store import AgendaStore, CatalogStore
from bot.sync import sync_conference
from catalog.load import load

log = logging.getLogger("confbot.runtime")
DEFAULT_SYNC_MINUTES = 30


@dataclass
class Runtime:
    catalogs: CatalogStore
    agenda: AgendaStore
    search: SearchService
    conversation: Conversation
    dispatcher: Dispatcher
    scheduler: WakeScheduler
    clock: Clock
    after_sync: list[Callable[[], Awaitable[object]]] = field(default_factory=list)

    async def synced(self) -> None:
        """After any sync: wake-ups move, and adapters update what they mirror (e.g. Discord events)."""
        self.scheduler.poke()
        for hook in self.after_sync:
            try:
                await hook()
            except Exception:  # noqa: BLE001 - one adapter's mirror failing must not stop the others
                log.exception("after-sync hook failed")


def sync_interval(config: Config) -> timedelta:
    minutes = config.section("sync").get("interval_minutes", DEFAULT_SYNC_MINUTES)
    return timedelta(minutes=max(1, int(minutes)))


def build_runtime(
    db: Database, notifier: Notifier, clock: Clock, config: Config, conference: str | None = None
) -> Runtime:
    catalogs, agenda = CatalogStore(db), AgendaStore(db)
    search = SearchService(catalogs)
    default = str(config.section("bot").get("conference") or "") or None
    conversation = Conversation(catalogs, agenda, search, clock, conference, default)
    dispatcher = make_dispatcher(catalogs, agenda, Outbox(notifier), clock)
    runtime_holder: list[Runtime] = []

    async def sync_from_urls() -> None:
        """Re-read every conference imported from a URL; a failure keeps the last good copy.

        Each conference is on its own: one source that cannot be read, or that trips an unexpected error,
        is logged and reported, and the others still sync.
        """
        for conf in catalogs.conferences():
            if not conf.source.startswith(("http://", "https://")):
                continue
            try:
                loader = partial(load, allow_private=catalogs.allows_private(conf.slug))
                report = await asyncio.to_thread(sync_conference, catalogs, conf.slug, clock.now(), loader=loader)
            except Exception as exc:  # noqa: BLE001 - one conference's failure must not stop the others' sync
                reason = " ".join(str(exc).split())[:300] or type(exc).__name__
                log.error("periodic sync of %s failed (%s); kept the last good copy", conf.slug, reason)
                log.debug("periodic sync of %s failed", conf.slug, exc_info=True)
                continue
            if report.ok:
                log.info("periodic sync: %s", report.message)
            else:
                log.warning("periodic sync of %s: %s", conf.slug, report.message)
        if runtime_holder:
            await runtime_holder[0].synced()

    scheduler = WakeScheduler(dispatcher, periodic=[("sync", sync_from_urls, sync_interval(config))])
    runtime = Runtime(catalogs, agenda, search, conversation, dispatcher, scheduler, clock)
    runtime_holder.append(runtime)
    return runtime
