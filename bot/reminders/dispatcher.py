"""Delivering what is due exactly once: claim, send, record, all under a unique key in SQLite.

What happens to a delivery in flight when the process is killed:
- killed before the claim commits: nothing was recorded; the next run finds it due and sends it.
- killed after the claim, before the platform accepted the message: the claim is stale after
  CLAIM_TIMEOUT and the next run (this process after a restart, or another dispatcher) sends it. Not lost.
- killed after the platform accepted it, before "sent" was recorded: the same path re-sends it once more.
  This window is a single network round trip; we accept a rare duplicate here rather than ever losing a
  reminder, because a missed talk costs the person more than a second ping does.
A second dispatcher on the same store never sends what the first has freshly claimed: claims are taken in
an IMMEDIATE transaction, so only one process can move a key from due to claimed.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from bot.clock import Clock
from bot.messages import Reply
from bot.notify import DeliveryError, Notifier, Target
from bot.reminders.due import Due, pending_announcements, pending_digests, pending_reminders, queued_notices
from bot.store.channels import ChannelStore

log = logging.getLogger("confbot.reminders")
CLAIM_TIMEOUT = timedelta(minutes=2)
MAX_BACKOFF = timedelta(minutes=5)
LOOKBACK = timedelta(days=1)  # how far back a restart looks for what it missed while down
BATCH = 200  # deliveries claimed, sent and recorded together
CONCURRENCY = 64  # sends in flight at once; the outbox paces them to each platform's limits

Render = Callable[[Due, datetime], Reply | None]


@dataclass(frozen=True)
class Outcome:
    key: str
    state: str  # sent, skipped, failed, busy (another dispatcher has it, or its retry is not due yet)
    detail: str = ""
    retry_after: float | None = None  # seconds, when the platform said so
    permanent: bool = False  # trying again cannot help


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


class Dispatcher:
    def __init__(
        self,
        db: Database,
        notifier: Notifier,
        clock: Clock,
        render: Render,
        worker: str = "",
        zones: Callable[[], dict[str, str]] | None = None,
    ) -> None:
        self.db = db
        self.notifier = notifier
        self.clock = clock
        self.render = render
        self.worker = worker or uuid.uuid4().hex[:12]
        self.zones = zones or (lambda: {})
        self.channels = ChannelStore(db)

    # -------------------------------------------------------------------------------------------- what is due
    def _finished(self) -> set[str]:
        """Sent, skipped, or failed for good (recorded where `confbot reminders status` shows it)."""
        rows = self.db.execute(
            "SELECT key FROM deliveries "
            "WHERE state IN ('sent', 'skipped') OR (state = 'failed' AND next_attempt_at = '')"
        ).fetchall()
        return {r[0] for r in rows}

    def candidates(self, now: datetime) -> list[Due]:
        finished = self._finished()
        since = now - LOOKBACK
        routes = self.channels.routes()
        found = pending_reminders(self.db, since) + pending_announcements(self.db, routes, since)
        found += pending_digests(self.db, routes, self.zones(), since) + queued_notices(self.db)
        return [d for d in found if d.key not in finished]

    def next_wake(self) -> datetime | None:
        """When something next needs doing: a due time, a retry time, or now if anything is overdue."""
        now = self.clock.now()
        retries = dict(self.db.execute("SELECT key, next_attempt_at FROM deliveries WHERE state = 'failed'").fetchall())
        times = []
        for due in self.candidates(now):
            if due.expires_at <= now:
                continue
            at = datetime.fromisoformat(retries[due.key]) if due.key in retries else due.due_at
            times.append(max(at, now))
        return min(times) if times else None

    # -------------------------------------------------------------------------------------------- delivering
    async def run_due(self) -> list[Outcome]:
        now = self.clock.now()
        outcomes: list[Outcome] = []
        due_now = sorted((d for d in self.candidates(now) if d.due_at <= now), key=lambda d: (d.due_at, d.key))
        for due in due_now:
            if due.expires_at <= now:
                outcomes.append(self._skip(due, now))
        ready = [d for d in due_now if d.expires_at > now]
        for start in range(0, len(ready), BATCH):
            batch = ready[start : start + BATCH]
            claimed = self._claim_batch(batch, now)
            outcomes += [Outcome(d.key, "busy") for d in batch if d.key not in claimed]
            outcomes += await self._send_batch([d for d in batch if d.key in claimed])
        return outcomes

    def _skip(self, due: Due, now: datetime) -> Outcome:
        log.info("skipped %s %s: the session started at %s, before it could go", due.kind, due.key, due.starts_at)
        self._insert(self.db.conn, due, "skipped", now, "session already started", on_conflict=True)
        return Outcome(due.key, "skipped", "session already started")

    def _claim_batch(self, batch: list[Due], now: datetime) -> set[str]:
        """Move due keys to 'claimed' by this worker in one IMMEDIATE transaction; returns the keys it got."""
        if not batch:
            return set()
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            placeholders = ",".join("?" * len(batch))
            existing = {
                row[0]: row[1:]
                for row in conn.execute(
                    "SELECT key, state, claimed_by, claimed_at, next_attempt_at FROM deliveries "
                    f"WHERE key IN ({placeholders})",
                    [d.key for d in batch],
                )
            }
            claimed = set()
            for due in batch:
                row = existing.get(due.key)
                if row is not None and not self._claimable(row, now):
                    continue
                if row is not None:
                    conn.execute(
                        "UPDATE deliveries SET state = 'claimed', claimed_by = ?, claimed_at = ? WHERE key = ?",
                        [self.worker, _iso(now), due.key],
                    )
                else:
                    self._insert(conn, due, "claimed", now)
                claimed.add(due.key)
            conn.execute("COMMIT")
            return claimed
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _insert(
        self, conn: sqlite3.Connection, due: Due, state: str, now: datetime, error: str = "", on_conflict: bool = False
    ) -> None:
        conflict = (
            " ON CONFLICT(key) DO UPDATE SET state = excluded.state, error = excluded.error" if on_conflict else ""
        )
        conn.execute(
            "INSERT INTO deliveries (key, kind, platform, workspace, address, conference, session_id, session_start, "
            "due_at, state, claimed_by, claimed_at, sent_at, attempts, next_attempt_at, error, payload) "
            f"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', 0, '', ?, ?){conflict}",
            [
                due.key,
                due.kind,
                due.platform,
                due.workspace,
                due.address,
                due.conference,
                due.session_id,
                _iso(due.starts_at),
                _iso(due.due_at),
                state,
                self.worker,
                _iso(now),
                error,
                due.payload,
            ],
        )

    def _claimable(self, row: tuple[str, str, str, str], now: datetime) -> bool:
        state, claimed_by, claimed_at, next_attempt = row
        if state in ("sent", "skipped"):
            return False
        if state == "claimed":
            fresh = bool(claimed_at) and datetime.fromisoformat(claimed_at) > now - CLAIM_TIMEOUT
            return claimed_by == self.worker or not fresh
        if state == "failed":
            return bool(next_attempt) and datetime.fromisoformat(next_attempt) <= now
        return True  # pending

    async def _send_batch(self, batch: list[Due]) -> list[Outcome]:
        limit = asyncio.Semaphore(CONCURRENCY)

        async def one(due: Due) -> tuple[Due, Outcome, datetime]:
            async with limit:
                outcome = await self._send(due, self.clock.now())
                return due, outcome, self.clock.now()

        results = await asyncio.gather(*(one(d) for d in batch))
        self._record_batch(results)
        return [outcome for _, outcome, _ in results]

    async def _send(self, due: Due, now: datetime) -> Outcome:
        reply = self.render(due, now)
        if reply is None:  # the session vanished between query and send: nothing to say
            return Outcome(due.key, "skipped", "session no longer in the catalog")
        target = Target(due.platform, due.workspace, due.address, is_channel=due.to_channel)
        try:
            await self.notifier.send(target, reply)
        except DeliveryError as exc:
            return Outcome(due.key, "failed", str(exc) or "delivery failed", exc.retry_after, exc.permanent)
        except Exception as exc:  # noqa: BLE001 - any other failure is treated as transient and retried
            return Outcome(due.key, "failed", f"{type(exc).__name__}: {exc}")
        return Outcome(due.key, "sent")

    def _record_batch(self, results: list[tuple[Due, Outcome, datetime]]) -> None:
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            for due, outcome, at in results:
                if outcome.state == "sent":
                    conn.execute(
                        "UPDATE deliveries SET state = 'sent', sent_at = ?, error = '' WHERE key = ?",
                        [_iso(at), due.key],
                    )
                elif outcome.state == "skipped":
                    conn.execute(
                        "UPDATE deliveries SET state = 'skipped', error = ? WHERE key = ?", [outcome.detail, due.key]
                    )
                else:
                    self._record_failure(conn, due, outcome, at)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _record_failure(self, conn: sqlite3.Connection, due: Due, outcome: Outcome, at: datetime) -> None:
        attempts = int(conn.execute("SELECT attempts FROM deliveries WHERE key = ?", [due.key]).fetchone()[0]) + 1
        if outcome.permanent:
            next_attempt = ""
        else:
            wait = (
                timedelta(seconds=outcome.retry_after)
                if outcome.retry_after
                else timedelta(seconds=5 * 2 ** (attempts - 1))
            )
            next_attempt = _iso(at + min(wait, MAX_BACKOFF))
        conn.execute(
            "UPDATE deliveries SET state = 'failed', attempts = ?, next_attempt_at = ?, error = ? WHERE key = ?",
            [attempts, next_attempt, outcome.detail[:500], due.key],
        )
        log.warning("delivery %s failed (attempt %d): %s", due.key, attempts, outcome.detail)
