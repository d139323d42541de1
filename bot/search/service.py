"""Keeps one search engine per store, rebuilt only when a catalog in the store has changed.

A rebuild of a large store takes seconds (70,000 sessions), far longer than a chat platform waits for an
answer. So once an index exists, a change is picked up by building the new index in a background thread over
its own connection while every reader keeps getting the old one; the new one is swapped in when complete.
Only the very first build, when there is nothing to serve yet, makes the caller wait.

A 70,000-session index is millions of Python objects. Building it with the cyclic collector running means
full collections, each of which holds the interpreter lock for a second or more while every other thread (the
loop acknowledging requests, the store thread answering them) waits; so the collector pauses while an index
is built, and the finished index is frozen out of later collections.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable

from bot.search.engine import SearchEngine
from bot.search.persist import build_index, index_folder, open_index
from bot.store import CatalogStore
from bot.store.db import ReadOnlyConnection

log = logging.getLogger("confbot.search")
Builder = Callable[[CatalogStore], SearchEngine]


def engine_from_store(store: CatalogStore) -> SearchEngine:
    """The saved index when its stamp matches the store (milliseconds, whatever the size); for a store saved
    before indexes were, it is built and saved once; a store in memory gets an index in memory."""
    index = open_index(store)
    read_only = isinstance(store.db.conn, ReadOnlyConnection)  # nothing is written beside a store opened to read
    if index is None and not read_only and index_folder(store.db) is not None:
        try:
            build_index(store)
            index = open_index(store)
        except Exception as exc:  # noqa: BLE001 - a read-only or damaged folder, a writer holding the lock
            log.warning("search index not saved (%s); answering from one built in memory", exc)
    if index is not None:
        return SearchEngine(index=index)
    conn = store.db.conn
    began = not conn.in_transaction
    if began:
        conn.execute("BEGIN")  # one snapshot of every conference
    try:
        conferences = store.conferences()
        return SearchEngine(conferences, {c.slug: store.sessions(c.slug) for c in conferences})
    finally:
        if began:
            conn.execute("COMMIT")


class _Shared:
    """The index and what it was built from, shared by every view of one service (one per connection)."""

    def __init__(self, reader: Callable[[], CatalogStore] | None, build: Builder) -> None:
        self.reader = reader
        self.build = build
        self.lock = threading.Lock()
        self.engine: SearchEngine | None = None
        self.fingerprint: str | None = None
        self.building: threading.Thread | None = None


class SearchService:
    """`reader` opens a store on a new connection for background rebuilds; without it, rebuilds happen in place
    (the console, tests of the core, in-memory stores that a second connection could not see)."""

    def __init__(
        self,
        store: CatalogStore,
        *,
        reader: Callable[[], CatalogStore] | None = None,
        build: Builder = engine_from_store,
        shared: _Shared | None = None,
    ) -> None:
        self.store = store
        self._shared = shared or _Shared(reader, build)

    @property
    def build(self) -> Builder:
        return self._shared.build

    @build.setter
    def build(self, build: Builder) -> None:
        self._shared.build = build

    def on(self, store: CatalogStore) -> SearchService:
        """The same index, checked for freshness through another connection (one owned by another thread)."""
        return SearchService(store, shared=self._shared)

    @property
    def builds_apart(self) -> bool:
        """Whether indexes are built off the answering thread (a long-running bot) or where they are asked for."""
        return self._shared.reader is not None

    @property
    def rebuilding(self) -> bool:
        with self._shared.lock:
            return self._shared.building is not None

    def engine(self) -> SearchEngine:
        shared = self._shared
        fingerprint = self.store.fingerprint()
        with shared.lock:
            engine, current = shared.engine, shared.fingerprint
            if engine is not None and fingerprint == current:
                return engine
            if engine is not None and shared.reader is not None:
                if shared.building is None:
                    shared.building = threading.Thread(target=self._rebuild, name="confbot-index", daemon=True)
                    shared.building.start()
                return engine  # the old index answers until the new one is complete
        engine = shared.build(self.store)
        with shared.lock:
            shared.engine, shared.fingerprint = engine, fingerprint
        if shared.reader is not None:
            gc.freeze()  # a long-running bot's first index: out of every later collection, as rebuilt ones are
            _warm_apart(engine)
        return engine

    def _rebuild(self) -> None:
        shared = self._shared
        assert shared.reader is not None
        try:
            store = shared.reader()
            gc.disable()  # see quietly(): the collector would stop every thread to scan the half-built index
            try:
                fingerprint = store.fingerprint()
                engine = shared.build(store)
            finally:
                store.db.close()
                gc.enable()
            with shared.lock:
                old, shared.engine, shared.fingerprint = shared.engine, engine, fingerprint
            gc.freeze()  # the index lives until the next rebuild: later collections need not scan it again
            del old  # freed here, in this thread, not in the middle of someone's answer
            _warm(engine)
            log.info("search index rebuilt: %d sessions", engine.index.n)
        except Exception:  # noqa: BLE001 - the old index keeps answering; the next request tries again
            log.exception("search index rebuild failed; still answering from the previous index")
        finally:
            with shared.lock:
                shared.building = None


def _warm(engine: SearchEngine) -> None:
    try:
        engine.index.warm()
    except Exception:  # noqa: BLE001 - whatever was not read now is read by the question that needs it
        log.exception("reading the search index ahead failed; questions read it as they need it")


def _warm_apart(engine: SearchEngine) -> None:
    """A running bot reads its new index's tables ahead, off the threads that answer."""
    threading.Thread(target=_warm, args=(engine,), name="confbot-index-warm", daemon=True).start()
