"""Store work off the event loop: one thread owns the conversation's SQLite connection.

A chat adapter's loop must stay free to acknowledge every request within the platform's 3 seconds, so the
conversation (search, agenda, settings: all SQLite) runs elsewhere. sqlite3 connections must not be used by
two threads in the middle of a transaction, so the conversation gets a connection of its own, and a single
thread, the only one that ever touches it, serves every call in order.
"""

from __future__ import annotations

import asyncio
import functools
import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

from sqlite_utils import Database

P = ParamSpec("P")
T = TypeVar("T")


class StoreThread:
    def __init__(self, name: str = "confbot-store") -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


def database_file(db: Database) -> str:
    """The file behind a connection; '' for an in-memory database, which no second connection can see."""
    for _, name, path in db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return str(path or "")
    return ""


@dataclass(frozen=True)
class Connections:
    """More connections to the loop's database file, one per thread that needs one. The file's name is read
    once, here, so no other thread ever touches the loop's own connection."""

    db: Database
    path: str

    @classmethod
    def to(cls, db: Database) -> Connections:
        return cls(db, database_file(db))

    def open(self, busy_ms: int = 30_000) -> Database:
        """A new connection; an in-memory database, which no second connection can see, is shared instead.
        `busy_ms`: how long a write waits for another writer before SQLite says the database is locked."""
        if not self.path:
            return self.db
        conn = sqlite3.connect(self.path, timeout=busy_ms / 1000, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")  # as open_database: safe from a crashed process in WAL mode
        conn.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
        return Database(conn)

    @contextmanager
    def apart(self) -> Iterator[Database]:
        """A connection for one piece of work in a worker thread, closed afterwards."""
        own = self.open()
        try:
            yield own
        finally:
            if own is not self.db:
                own.close()


def is_locked(exc: BaseException) -> bool:
    """SQLite's answer when another connection holds the write lock longer than this one would wait."""
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))
