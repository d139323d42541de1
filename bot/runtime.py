"""Everything a long-running adapter needs, wired once: stores, search, conversation, outbox, dispatcher,
and the scheduler that wakes the dispatcher and re-syncs catalogs that came from a URL.

Adapters ask through `ask`, never `conversation.handle` directly: the conversation runs in its own thread over
its own connection (bot/worker.py), so a slow query, a write waiting for another process's import, or an
index rebuild never holds up the event loop that acknowledges every other request.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import TypeVar

from sqlite_utils import Database

from bot.clock import Clock
from bot.config import Config
from bot.conversation import Conversation
from bot.lastlists import ListsBehind, PendingLists
from bot.messages import Incoming, Reply
from bot.notify import Notifier
from bot.outbox import Outbox
from bot.reminders.dispatcher import Dispatcher
from bot.reminders.scheduler import WakeScheduler
from bot.reminders.service import make_dispatcher
from bot.search.service import SearchService
from bot.store import AgendaStore, CatalogStore
from bot.sync import sync_conference
from bot.worker import Connections, StoreThread, is_locked
from catalog.load import load

log = logging.getLogger("confbot.runtime")
DEFAULT_SYNC_MINUTES = 30
# Wake-up times are recomputed once for a burst of commands, this long after the first: reminders are
# minutes apart, and recomputing after every command of a burst would hold the loop once per command.
POKE_DELAY_SECONDS = 0.25
# How long the store thread waits for another process's write lock before it hands the command to a thread of
# its own: the commands queued behind it are kept waiting no longer than this.
STORE_BUSY_MS = 100
T = TypeVar("T")


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
    connections: Connections | None = None  # for threads other than the loop's and the store thread's
    lists: PendingLists | None = None
    store_thread: StoreThread = field(default_factory=StoreThread)
    on_loop: bool = False  # the old way, kept as the baseline the load benchmark measures against
    _poke_pending: bool = field(default=False, repr=False)

    async def ask(self, incoming: Incoming) -> Reply:
        """The one way an adapter asks the core; anything said may have saved or moved a reminder."""
        return (await self.ask_all([incoming]))[0]

    async def ask_all(self, incomings: list[Incoming]) -> list[Reply]:
        """Several questions in one trip to the store thread (e.g. the Slack App Home's three sections).

        A command that has to write while another process holds the write lock (an import) is not left
        waiting at the head of the store thread's queue: it is answered apart, where it may wait."""
        if self.on_loop:
            replies = [self.conversation.handle(i) for i in incomings]
            self.scheduler.poke()
            return replies
        try:
            replies = await self.store_thread.run(lambda: [self.conversation.handle(i) for i in incomings])
        except sqlite3.OperationalError as exc:
            if self.connections is None or not is_locked(exc):
                raise
            log.info("the store is busy with another writer; answering apart")
            replies = await asyncio.to_thread(lambda: [self._apart(i) for i in incomings])
        self.changed()
        return replies

    async def ask_slow(self, incoming: Incoming) -> Reply:
        """Exports and syncs take seconds (a download, a large import): they get a thread and connection of
        their own, so the quick questions queued behind them in the store thread are not kept waiting."""
        if self.on_loop or self.connections is None:
            return await asyncio.to_thread(self.conversation.handle, incoming)
        reply = await asyncio.to_thread(self._apart, incoming)
        self.changed()
        return reply

    def _apart(self, incoming: Incoming) -> Reply:
        """The conversation over a connection of its own, for a worker thread; it shares the index and the
        lists not yet written with the store thread's."""
        assert self.connections is not None
        with self.connections.apart() as db:
            catalogs = CatalogStore(db)
            agenda = AgendaStore(db) if self.lists is None else ListsBehind(db, self.lists)
            talk = self.conversation
            search = self.search.on(catalogs)
            apart = Conversation(
                catalogs,
                agenda,
                search,
                self.clock,
                talk.conference,
                talk.default_conference,
                talk.engines,
                talk.memory,
            )
            return apart.handle(incoming)

    async def in_store(self, fn: Callable[[], T]) -> T:
        """Run a read of the conversation's stores or index (e.g. autocomplete) in the thread that owns them."""
        return fn() if self.on_loop else await self.store_thread.run(fn)

    def changed(self) -> None:
        """Something may have changed what is due: move the wake-up once for a burst, not once per command."""
        if self._poke_pending:
            return
        self._poke_pending = True
        asyncio.get_running_loop().call_later(POKE_DELAY_SECONDS, self._poke)

    def _poke(self) -> None:
        self._poke_pending = False
        try:
            self.scheduler.poke()
        except Exception:  # noqa: BLE001 - the periodic tick still finds what is due
            log.exception("could not move the next wake-up")

    def close(self) -> None:
        self.scheduler.shutdown()
        self.store_thread.shutdown()
        if self.lists is not None:
            self.lists.close()

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
    db: Database,
    notifier: Notifier,
    clock: Clock,
    config: Config,
    conference: str | None = None,
    *,
    on_loop: bool = False,
) -> Runtime:
    """`db` stays with the loop side (dispatcher, sync, adapters' own tables); the conversation gets a second
    connection to the same file, used only by the store thread, and the index rebuilds on a third."""
    catalogs, agenda = CatalogStore(db), AgendaStore(db)
    connections = Connections.to(db)
    default = str(config.section("bot").get("conference") or "") or None
    if on_loop or not connections.path:  # the old way, or an in-memory store no other connection can see
        lists, search = None, SearchService(catalogs)
        conversation = Conversation(catalogs, agenda, search, clock, conference, default)
    else:
        talk = connections.open(busy_ms=STORE_BUSY_MS)
        lists = PendingLists(connections.open)
        search = SearchService(CatalogStore(talk), reader=lambda: CatalogStore(connections.open()))
        conversation = Conversation(search.store, ListsBehind(talk, lists), search, clock, conference, default)
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
    runtime = Runtime(
        catalogs,
        agenda,
        search,
        conversation,
        dispatcher,
        scheduler,
        clock,
        connections=connections,
        lists=lists,
        on_loop=on_loop,
    )
    runtime_holder.append(runtime)
    return runtime
