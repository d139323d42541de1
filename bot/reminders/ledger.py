"""The deliveries table as a ledger of compare-and-set moves: due -> claimed -> sent | failed | skipped.

Every move names the state (and the claim holder) it expects, `UPDATE ... WHERE key = ? AND state = ? AND
claimed_by = ?`, and reports whether it happened. A worker whose lease was taken over therefore cannot
overwrite what the new holder records, nothing ever overwrites 'sent', and a skip never upserts over a row
another worker is handling.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.reminders.due import Due

FINISHED = ("sent", "skipped")
MAX_BACKOFF = timedelta(minutes=5)
CHUNK = 500  # keys per IN (...) lookup


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


@dataclass(frozen=True)
class Row:
    state: str
    claimed_by: str
    claimed_at: str
    next_attempt_at: str
    attempts: int
    error: str = ""

    @property
    def finished(self) -> bool:
        return self.state in FINISHED or (self.state == "failed" and not self.next_attempt_at)

    def ready_at(self, lease: timedelta) -> datetime | None:
        """When this row may next be claimed by someone other than its holder (None: never again)."""
        if self.finished:
            return None
        if self.state == "failed":
            return datetime.fromisoformat(self.next_attempt_at)
        if self.state == "claimed" and self.claimed_at:
            return datetime.fromisoformat(self.claimed_at) + lease
        return datetime.min.replace(tzinfo=UTC)  # pending, or a claim without a time: now


@contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[None]:
    """A write transaction that takes the lock first, so busy_timeout applies instead of an instant BUSY."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def lookup(conn: sqlite3.Connection, keys: Sequence[str]) -> dict[str, Row]:
    found: dict[str, Row] = {}
    for start in range(0, len(keys), CHUNK):
        chunk = list(keys[start : start + CHUNK])
        marks = ",".join("?" * len(chunk))
        for key, *rest in conn.execute(
            "SELECT key, state, claimed_by, claimed_at, next_attempt_at, attempts, error FROM deliveries "
            f"WHERE key IN ({marks})",
            chunk,
        ):
            found[key] = Row(rest[0], rest[1] or "", rest[2] or "", rest[3] or "", int(rest[4] or 0), rest[5] or "")
    return found


def _insert(conn: sqlite3.Connection, due: Due, state: str, holder: str, now: datetime, error: str = "") -> bool:
    cursor = conn.execute(
        "INSERT INTO deliveries (key, kind, platform, workspace, address, conference, session_id, session_start, "
        "due_at, state, claimed_by, claimed_at, sent_at, attempts, next_attempt_at, error, payload) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', 0, '', ?, ?) ON CONFLICT(key) DO NOTHING",
        [
            due.key,
            due.kind,
            due.platform,
            due.workspace,
            due.address,
            due.conference,
            due.session_id,
            iso(due.starts_at),
            iso(due.due_at),
            state,
            holder,
            iso(now),
            error,
            due.payload,
        ],
    )
    return cursor.rowcount == 1


def _move(conn: sqlite3.Connection, key: str, seen: Row | None, sets: str, values: list[object]) -> bool:
    """Apply `sets` only if the row is still exactly as it was read (state, holder, claim time, retry time)."""
    cursor = conn.execute(
        f"UPDATE deliveries SET {sets} WHERE key = ? AND state = ? AND claimed_by = ? AND claimed_at = ? "
        "AND next_attempt_at = ?",
        [*values, key, *(_expected(seen))],
    )
    return cursor.rowcount == 1


def _expected(seen: Row | None) -> list[str]:
    assert seen is not None
    return [seen.state, seen.claimed_by, seen.claimed_at, seen.next_attempt_at]


def claim(
    conn: sqlite3.Connection, dues: Sequence[Due], holder: str, now: datetime, lease: timedelta, mine: set[str]
) -> list[tuple[Due, Row | None]]:
    """Move what is claimable to 'claimed' by `holder` in one IMMEDIATE transaction; returns what it got, with
    the row as it was (its last error says whether the last attempt timed out). Keys in `mine` (this worker's
    sends in flight) are never taken again, however old their claim."""
    got: list[tuple[Due, Row | None]] = []
    with immediate(conn):
        rows = lookup(conn, [d.key for d in dues])
        for due in dues:
            if due.key in mine:
                continue
            row = rows.get(due.key)
            if row is None:
                if _insert(conn, due, "claimed", holder, now):
                    got.append((due, None))
                continue
            ready = row.ready_at(lease)
            if ready is None or ready > now:
                continue
            if _move(conn, due.key, row, "state = 'claimed', claimed_by = ?, claimed_at = ?", [holder, iso(now)]):
                got.append((due, row))
    return got


def skip(conn: sqlite3.Connection, due: Due, now: datetime, reason: str, lease: timedelta) -> bool:
    """Record that it is too late to send: only over no row at all, or a row nobody holds or can still send."""
    with immediate(conn):
        if _insert(conn, due, "skipped", "", now, reason):
            return True
        row = lookup(conn, [due.key]).get(due.key)
        if row is None or row.finished:
            return False
        ready = row.ready_at(lease)
        if row.state == "claimed" and ready is not None and ready > now:
            return False  # another worker holds it and may be sending right now
        return _move(conn, due.key, row, "state = 'skipped', error = ?", [reason])


def renew(conn: sqlite3.Connection, holder: str, now: datetime) -> int:
    """Keep this worker's claims fresh while it is alive, so no one else takes a send that is still running."""
    cursor = conn.execute(
        "UPDATE deliveries SET claimed_at = ? WHERE state = 'claimed' AND claimed_by = ?", [iso(now), holder]
    )
    return cursor.rowcount


def record_sent(conn: sqlite3.Connection, key: str, holder: str, at: datetime) -> bool:
    cursor = conn.execute(
        "UPDATE deliveries SET state = 'sent', sent_at = ?, error = '' WHERE key = ? AND state = 'claimed' "
        "AND claimed_by = ?",
        [iso(at), key, holder],
    )
    return cursor.rowcount == 1


def record_skipped(conn: sqlite3.Connection, key: str, holder: str, reason: str) -> bool:
    cursor = conn.execute(
        "UPDATE deliveries SET state = 'skipped', error = ? WHERE key = ? AND state = 'claimed' AND claimed_by = ?",
        [reason, key, holder],
    )
    return cursor.rowcount == 1


def record_failure(
    conn: sqlite3.Connection,
    key: str,
    holder: str,
    at: datetime,
    detail: str,
    retry_after: float | None,
    permanent: bool,
) -> int | None:
    """Count the attempt and set when to try again (never, if permanent); returns the attempts, or None when the
    claim was no longer this worker's."""
    row = conn.execute(
        "SELECT attempts FROM deliveries WHERE key = ? AND state = 'claimed' AND claimed_by = ?", [key, holder]
    ).fetchone()
    if row is None:
        return None
    attempts = int(row[0] or 0) + 1
    if permanent:
        next_attempt = ""
    else:
        wait = timedelta(seconds=retry_after) if retry_after else timedelta(seconds=5 * 2 ** min(attempts - 1, 10))
        next_attempt = iso(at + min(wait, MAX_BACKOFF))
    cursor = conn.execute(
        "UPDATE deliveries SET state = 'failed', attempts = ?, next_attempt_at = ?, error = ?, claimed_by = '' "
        "WHERE key = ? AND state = 'claimed' AND claimed_by = ?",
        [attempts, next_attempt, detail[:500], key, holder],
    )
    return attempts if cursor.rowcount == 1 else None
