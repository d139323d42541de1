"""What went wrong with the database file, in words an operator can act on.

SQLite reports a read-only file, a read-only folder and a file owned by someone else all as "attempt to write a
readonly database", and a page of garbage as "database disk image is malformed", usually from deep inside a
query. These helpers name the file and the next step, so every command can turn either into one line.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path


class StoreError(Exception):
    """The database cannot be used; the message says which file and what to do."""


CHECK_ADVICE = "'confbot doctor --db {path}' shows what is wrong"
RESTORE_ADVICE = "restore the last copy made with 'confbot backup FILE', or import the schedules into a new --db"


class ReadOnlyStore(StoreError):
    """A write was refused because this process may not change the file (or its folder)."""


class DamagedStore(StoreError):
    """SQLite found the file damaged: reading more of it would only fail again."""


def _name(exc: BaseException) -> str:
    return str(getattr(exc, "sqlite_errorname", "") or "")


def is_read_only(exc: BaseException) -> bool:
    if isinstance(exc, ReadOnlyStore):
        return True
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    return _name(exc).startswith(("SQLITE_READONLY", "SQLITE_PERM")) or "readonly database" in str(exc)


def is_damaged(exc: BaseException) -> bool:
    if isinstance(exc, DamagedStore):
        return True
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    return _name(exc).startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in str(exc)


def writable(path: Path) -> bool:
    """SQLite writes beside the file too (its -wal and -shm), so the folder must be writable as well.

    `os.access` answers for the real user and sees `chattr +i`, which even root cannot write through.
    """
    folder = path.parent if str(path.parent) else Path(".")
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK)


def _because(detail: str) -> str:
    """SQLite's own words, last and short (quick_check may list many pages): the advice before them must fit."""
    text = " ".join(detail.split())
    text = text if len(text) <= 120 else text[:119] + "…"
    return f" ({text})" if text else ""


def read_only_error(path: str | Path, detail: str = "") -> ReadOnlyStore:
    because = _because(detail)
    return ReadOnlyStore(
        f"{path}: the database cannot be written; give this user write access to the file and its "
        f"folder (check its owner, permissions, 'chattr +i' and read-only mounts), or choose another --db{because}"
    )


def damaged_error(path: str | Path, detail: str = "") -> DamagedStore:
    because = _because(detail)
    return DamagedStore(f"{path}: the database is damaged; {CHECK_ADVICE.format(path=path)}; {RESTORE_ADVICE}{because}")


def store_error(path: str | Path, exc: BaseException) -> StoreError:
    """The one-line error for a database fault met anywhere in a command; other errors keep their own words."""
    if isinstance(exc, StoreError):
        return exc
    if is_read_only(exc):
        return read_only_error(path, str(exc))
    if is_damaged(exc):
        return damaged_error(path, str(exc))
    return StoreError(f"{path}: the database could not be used; {CHECK_ADVICE.format(path=path)}{_because(str(exc))}")
