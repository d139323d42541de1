"""The last list each person was shown, written behind the reply instead of before it.

Every search remembers its list (so "remind 2" and "more" work next), which makes every search a write, and a
write waits for any other writer: another process importing a 70,000-session conference holds the write lock
for many seconds. A list is only a convenience, so it is kept in memory at once, answered from memory, and
written by a thread of its own whenever the lock is free. Saved sessions and settings are still written before
the reply: a reminder must never exist only in memory.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable

from sqlite_utils import Database

from bot.messages import Person
from bot.store import AgendaStore, write_transaction
from bot.store.agenda import LastList
from bot.store.faults import is_read_only

log = logging.getLogger("confbot.lastlists")
Key = tuple[str, str, str]
RETRY_SECONDS = 1.0
# Lists are written at most this often: one short transaction for a whole burst, not one per search, so the
# bot seldom stands in the way of another process's writer.
FLUSH_SECONDS = 0.5


class PendingLists:
    """Lists shown but not yet written, shared by every connection's view, and the one thread that writes them."""

    def __init__(self, open_writer: Callable[[], Database]) -> None:
        self._open_writer = open_writer
        self._pending: dict[Key, LastList] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._closed = False
        self._closing = threading.Event()
        self._thread: threading.Thread | None = None

    def get(self, key: Key) -> LastList | None:
        with self._lock:
            return self._pending.get(key)

    def put(self, key: Key, shown: LastList) -> None:
        with self._lock:
            self._pending[key] = shown
            if self._thread is None and not self._closed:
                self._thread = threading.Thread(target=self._run, name="confbot-lists", daemon=True)
                self._thread.start()
        self._wake.set()

    @property
    def unwritten(self) -> int:
        with self._lock:
            return len(self._pending)

    def close(self) -> None:
        """Stop the writer and write what is left (a restart keeps every list)."""
        with self._lock:
            self._closed = True
            thread = self._thread
        self._closing.set()
        self._wake.set()
        if thread is not None:
            thread.join(timeout=30)

    def _run(self) -> None:
        db = self._open_writer()
        try:
            while True:
                self._wake.wait(timeout=RETRY_SECONDS)
                self._wake.clear()
                with self._lock:
                    closed = self._closed
                written = self._write(db)
                if closed and written:
                    return
                self._closing.wait(FLUSH_SECONDS)
        finally:
            db.close()

    def _write(self, db: Database) -> bool:
        """All pending lists in one transaction; False (and kept for the next try) if the store refused."""
        with self._lock:
            batch = dict(self._pending)
        if not batch:
            return True
        try:
            with write_transaction(db):  # takes the write lock first, so the busy timeout applies
                db.conn.executemany(
                    "INSERT OR REPLACE INTO last_list "
                    "(platform, workspace, user, refs, query, offset, total, kind, shown_at, scope) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (*key, json.dumps(list(s.refs)), s.query, s.offset, s.total, s.kind, s.shown_at, s.scope)
                        for key, s in batch.items()
                    ],
                )
        except Exception as exc:  # noqa: BLE001 - kept in memory and tried again; answers are unaffected
            # A store turned read-only is one known line, not a traceback every second.
            log.warning(
                "could not write %d last lists yet (%s); trying again", len(batch), exc, exc_info=not is_read_only(exc)
            )
            return False
        with self._lock:
            for key, shown in batch.items():
                if self._pending.get(key) is shown:  # a newer list shown meanwhile stays pending
                    del self._pending[key]
        return True


class ListsBehind(AgendaStore):
    """An AgendaStore (over one thread's connection) whose last lists go through `pending`."""

    def __init__(self, db: Database, pending: PendingLists) -> None:
        super().__init__(db)
        self.pending = pending

    def last_list(self, person: Person) -> LastList:
        found = self.pending.get(_key(person))
        return found if found is not None else super().last_list(person)

    def remember_list(self, person: Person, shown: LastList) -> None:
        self.pending.put(_key(person), shown)


def _key(person: Person) -> Key:
    return (person.platform, person.workspace, person.user)
