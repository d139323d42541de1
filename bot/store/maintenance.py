"""Checking a store and copying it while the bot keeps using it: what an operator runs from cron or at 8 a.m.

The copy uses SQLite's backup API rather than a file copy: a `cp` of a database in WAL mode taken while the bot
writes can miss the commits still in the -wal file or catch a page half-written; the backup API reads one
consistent snapshot, and in WAL mode reading never blocks the bot's writers.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from bot.store.faults import RESTORE_ADVICE, StoreError, damaged_error, writable
from catalog.text import counted

MAX_PROBLEMS = 100


@dataclass(frozen=True)
class Health:
    path: str
    problems: tuple[str, ...]  # empty when SQLite's integrity_check answered "ok"
    pages: int
    page_size: int
    conferences: int | None  # None when the damage keeps them from being counted
    sessions: int | None
    read_only: bool

    @property
    def ok(self) -> bool:
        return not self.problems

    def verdict(self) -> str:
        size = f"{self.pages} pages of {self.page_size} bytes"
        held = (
            f"; {counted(self.conferences, 'conference')}, {counted(self.sessions, 'session')}"
            if self.conferences is not None and self.sessions is not None
            else ""
        )
        note = "; read-only for this user" if self.read_only else ""
        if self.ok:
            return f"ok: {self.path} passed SQLite's integrity check ({size}{held}{note})"
        many = counted(len(self.problems), "problem") + ("+" if len(self.problems) >= MAX_PROBLEMS else "")
        first = " ".join(self.problems[0].split())[:200]
        return f"damaged: {self.path} failed SQLite's integrity check ({many}, first: {first}); {RESTORE_ADVICE}"


def _count(db: Database, sql: str) -> int | None:
    try:
        return int(db.execute(sql).fetchone()[0])
    except sqlite3.DatabaseError:
        return None


def check(db: Database, path: str | Path) -> Health:
    """Every page, index and constraint (PRAGMA integrity_check), not only the structure quick_check reads."""
    try:
        rows = db.execute(f"PRAGMA integrity_check({MAX_PROBLEMS})").fetchall()
        problems = tuple(str(r[0]) for r in rows if str(r[0]) != "ok")
    except sqlite3.DatabaseError as exc:
        problems = (str(exc),)
    return Health(
        path=str(path),
        problems=problems,
        pages=_count(db, "PRAGMA page_count") or 0,
        page_size=_count(db, "PRAGMA page_size") or 0,
        conferences=_count(db, "SELECT count(*) FROM conferences"),
        sessions=_count(db, "SELECT count(*) FROM sessions"),
        read_only=not writable(Path(path)),
    )


def unopenable(path: str | Path, detail: str) -> Health:
    """A file SQLite cannot even open as a database: damaged, with nothing countable."""
    return Health(str(path), (f"the file cannot be opened ({detail})",), 0, 0, None, None, not writable(Path(path)))


@dataclass(frozen=True)
class Copy:
    source: str
    target: str
    pages: int
    bytes: int


def backup(db: Database, source: str | Path, target: str | Path) -> Copy:
    """Copy `db` into `target` as one self-contained file, replacing it only once the copy is whole and checked.

    Written beside the target under another name and renamed: a backup stopped half-way (a full disk, Ctrl-C)
    never leaves a broken file where last night's good copy was.
    """
    goal = Path(target)
    if goal.exists() and goal.resolve() == Path(source).resolve():
        raise StoreError(f"{target}: that is the database itself; choose another FILE for the copy")
    if goal.is_dir():
        raise StoreError(f"{target}: is a folder; name the copy's file, e.g. {goal / 'confbot-backup.db'}")
    if not goal.parent.is_dir():
        raise StoreError(f"{target}: folder {goal.parent} does not exist; create it or choose another FILE")
    partial = goal.with_name(f".{goal.name}.partial-{os.getpid()}")
    try:
        out = sqlite3.connect(partial, isolation_level=None)
        try:
            db.conn.backup(out)
            # The source is in WAL mode; the copy should not need a -wal file beside it to be complete.
            out.execute("PRAGMA journal_mode = DELETE")
            verdict = out.execute("PRAGMA quick_check(1)").fetchone()
            pages = int(out.execute("PRAGMA page_count").fetchone()[0])
        finally:
            out.close()
        if verdict is None or str(verdict[0]) != "ok":
            raise damaged_error(source, f"the copy failed its check: {verdict[0] if verdict else 'no verdict'}")
        os.replace(partial, goal)
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"{target}: could not write the copy ({' '.join(str(exc).split())}); choose a FILE in a folder "
            "this user can write, on a disk with room"
        ) from exc
    except OSError as exc:
        raise StoreError(
            f"{target}: could not write the copy ({exc.strerror or exc}); choose a FILE in a folder this user "
            "can write, on a disk with room"
        ) from exc
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()
    return Copy(str(source), str(goal), pages, goal.stat().st_size)
