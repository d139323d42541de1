"""Delivering what is due exactly once: claim, send, record, each delivery on its own, under a unique key.

One `run_due` at a time per dispatcher (a second call while one runs only asks the first to look again).
It plans what is due from an indexed window of the store, claims it in small IMMEDIATE transactions, and
hands each claimed delivery to its own task: a slow, hung or rate-limited recipient delays only itself.
Each send has a deadline; "sent" is recorded for that message alone, in its own small transaction, as soon
as the platform accepts it. While sends are in flight their claims' lease (claimed_at) is renewed, so
another dispatcher never takes a claim whose send is still running, and this worker never re-takes its
own claims while they are in flight. Every state change is a compare-and-set on what the worker read.

What happens to a delivery in flight when the process is killed:
- killed before the claim commits: nothing was recorded; the next run finds it due and sends it.
- killed after the claim, before the platform accepted the message: the lease is no longer renewed; when it
  runs out (CLAIM_TIMEOUT) another dispatcher, or this one restarted, sends it. Not lost.
- killed after the platform accepted it, before "sent" was recorded: the same path sends it once more. This
  window is the one network round trip of that message (only the sends in flight at the kill); we accept a
  rare duplicate there rather than ever losing a reminder, because a missed talk costs the person more.

All SQLite work runs on the dispatcher's own connection in its own thread, never on the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import uuid
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlite_utils import Database

from bot import metrics
from bot.clock import Clock
from bot.messages import Reply
from bot.notify import DeliveryError, Notifier, Target
from bot.reminders import changes, ledger
from bot.reminders.due import (
    REMINDER_GRACE,
    Due,
    due_reminders,
    pending_announcements,
    pending_digests,
    queued_notices,
)
from bot.reminders.wake import future_wake
from bot.store.channels import ChannelStore
from bot.store.db import connect_like

log = logging.getLogger("confbot.reminders")
CLAIM_TIMEOUT = timedelta(minutes=2)  # the lease: a claim not renewed for this long is someone else's to take
LOOKBACK = timedelta(days=1)  # how far back a restart looks for what it missed while down
CLAIM_CHUNK = 200  # deliveries claimed in one transaction
OUTSTANDING = 1000  # claimed deliveries waiting or in flight at once; the outbox paces them per platform
SEND_TIMEOUT = 20.0  # seconds a send may take before it is abandoned and retried later
QUICK_RETRIES = 5  # retries within a pass, each after the short wait a 429 asked for
QUICK_WAIT = 5.0  # seconds: a longer Retry-After goes back to the queue for a later pass
TIMED_OUT = "timeout:"  # how a failure that may have reached the platform starts

Render = Callable[[Due, datetime], Reply | None]
T = TypeVar("T")


@dataclass(frozen=True)
class Outcome:
    key: str
    state: str  # sent, skipped, failed, busy (another dispatcher has it, or its retry is not due yet)
    detail: str = ""
    retry_after: float | None = None  # seconds, when the platform said so
    permanent: bool = False  # trying again cannot help


def _own_connection(db: Database) -> sqlite3.Connection:
    """A second connection to the same file: the dispatcher's transactions never mix with the chat's."""
    row = db.execute("PRAGMA database_list").fetchone()
    path = row[2] if row else ""
    if not path:  # an in-memory store has no second connection
        return db.conn
    conn = connect_like(db.conn, path)  # a read-only store is opened read-only again
    conn.execute("PRAGMA busy_timeout = 30000")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def _soon(outcome: Outcome) -> bool:
    """Failed with a short wait the platform named (a 429): worth retrying within the same pass."""
    return outcome.state == "failed" and not outcome.permanent and 0 < (outcome.retry_after or 0) <= QUICK_WAIT


def _maybe_arrived(row: ledger.Row | None) -> bool:
    return row is not None and (row.state == "claimed" or row.error.startswith(TIMED_OUT))


def spread(dues: list[Due]) -> list[Due]:
    """Everyone's first delivery before anyone's second, and workspaces taken in turn: one person's channel
    limit, or one workspace's, then never holds a queue of others behind it."""
    person: dict[tuple[str, str, str], int] = {}
    turn: dict[tuple[int, str, str], int] = {}
    ranked = []
    for due in sorted(dues, key=lambda d: (d.due_at, d.key)):
        who = (due.platform, due.workspace, due.address)
        person[who] = person.get(who, -1) + 1
        where = (person[who], due.platform, due.workspace)
        turn[where] = turn.get(where, -1) + 1
        ranked.append((person[who], turn[where], due))
    return [due for _, _, due in sorted(ranked, key=lambda r: (r[0], r[1], r[2].due_at, r[2].key))]


class Dispatcher:
    def __init__(
        self,
        db: Database,
        notifier: Notifier,
        clock: Clock,
        render: Callable[[Database], Render],
        worker: str = "",
        zones: Callable[[Database], dict[str, str]] | None = None,
        *,
        lease: timedelta = CLAIM_TIMEOUT,
        send_timeout: float | None = SEND_TIMEOUT,
        outstanding: int = OUTSTANDING,
    ) -> None:
        self.notifier = notifier
        self.clock = clock
        self.worker = worker or uuid.uuid4().hex[:12]
        self.holder = f"{self.worker}.{uuid.uuid4().hex[:8]}"  # unique per process: claims are this one's
        self.lease = lease
        self.send_timeout = send_timeout
        self.outstanding = outstanding
        self._io = ThreadPoolExecutor(1, thread_name_prefix=f"dispatcher-{self.worker}")
        self.conn = _own_connection(db)
        self.db = Database(self.conn)
        self.render = render(self.db)
        self._zones = zones
        self.channels = ChannelStore(self.db)
        self._inflight: set[str] = set()
        self._active = False
        self._again = False
        self._swept: datetime | None = None  # sessions starting up to here are finished with (sent or skipped)
        self._seen_change = self._call(self._prepare)

    # ------------------------------------------------------------------------------------ the database thread
    def _call(self, fn: Callable[..., T], *args: Any) -> T:
        return self._io.submit(fn, *args).result()

    async def _db(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.wrap_future(self._io.submit(fn, *args))

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        return self._io.submit(fn, *args)

    def _prepare(self) -> int:
        changes.ensure_schema(self.conn)
        return changes.latest_change(self.conn)

    def zones(self) -> dict[str, str]:
        return self._zones(self.db) if self._zones else {}

    def close(self) -> None:
        self._io.shutdown(wait=True)

    # -------------------------------------------------------------------------------------------- what is due
    def _due(self, since: datetime, now: datetime) -> list[Due]:
        routes = self.channels.routes()
        found = due_reminders(self.db, since, now) + queued_notices(self.db)
        if routes:
            found += pending_announcements(self.db, routes, since)
            found += pending_digests(self.db, routes, self.zones(), since)
        return [d for d in found if d.due_at <= now]

    def _open(self, since: datetime, now: datetime) -> tuple[list[Due], dict[str, ledger.Row]]:
        found = self._due(since, now)
        rows = ledger.lookup(self.conn, [d.key for d in found])
        return [d for d in found if not (d.key in rows and rows[d.key].finished)], rows

    def candidates(self, now: datetime) -> list[Due]:
        """What is due by `now` and not finished (sent, skipped, or given up)."""
        return self._call(self._open, now - LOOKBACK, now)[0]

    def _next_wake(self, now: datetime) -> datetime | None:
        times: list[datetime] = []
        opened, rows = self._open(now - REMINDER_GRACE, now)
        for due in opened:
            if due.expires_at <= now or due.key in self._inflight:
                continue
            row = rows.get(due.key)
            ready = row.ready_at(self.lease) if row else now
            if ready is not None:
                times.append(max(ready, now))
        later = future_wake(self.db, now)
        if later is not None:
            times.append(later)
        routes = self.channels.routes()
        if routes:
            channel_dues = pending_announcements(self.db, routes, now) + pending_digests(
                self.db, routes, self.zones(), now
            )
            times += [d.due_at for d in channel_dues if d.due_at > now]
        changes.prune(self.conn)
        return min(times) if times else None

    def next_wake(self) -> datetime | None:
        """When something next needs doing: a due time, a retry time, a lease running out, or now if overdue."""
        return self._call(self._next_wake, self.clock.now())

    async def next_wake_async(self) -> datetime | None:
        return await self._db(self._next_wake, self.clock.now())

    def _changed(self, now: datetime) -> datetime | None:
        """The earliest due time among what changed since the last look (O(changes)); a full recompute only
        when a re-import or a flood of changes makes that cheaper."""
        found = changes.read_changes(self.conn, self._seen_change, now)
        self._seen_change = found.last_id
        return self._next_wake(now) if found.needs_full else found.earliest

    def changed_future(self) -> Future[datetime | None]:
        return self._io.submit(self._changed, self.clock.now())

    def changed(self) -> datetime | None:
        return self._call(self._changed, self.clock.now())

    # -------------------------------------------------------------------------------------------- delivering
    @property
    def running(self) -> bool:
        """A delivery pass is under way (another call now only asks it to look again)."""
        return self._active

    async def run_due(self) -> list[Outcome]:
        if self._active:  # the one loop already running picks this up when it finishes its pass
            self._again = True
            return []
        self._active = True
        try:
            outcomes: list[Outcome] = []
            while True:
                self._again = False
                outcomes += await self._drain()
                if not self._again:
                    return outcomes
        finally:
            self._active = False

    def _plan(self, now: datetime) -> tuple[list[Outcome], list[Due]]:
        since = self._swept or now - LOOKBACK
        opened, _ = self._open(since, now)
        outcomes = []
        for due in opened:
            if due.expires_at <= now and due.key not in self._inflight:
                log.info(
                    "skipped %s %s: the session started at %s, before it could go", due.kind, due.key, due.starts_at
                )
                if ledger.skip(self.conn, due, now, "session already started", self.lease):
                    metrics.current().reminder("skipped")
                    outcomes.append(Outcome(due.key, "skipped", "session already started"))
        self._swept = max(self._swept or since, now - REMINDER_GRACE)
        return outcomes, spread([d for d in opened if d.expires_at > now and d.key not in self._inflight])

    def _claim(self, dues: list[Due], now: datetime) -> list[tuple[Due, Reply | None, bool]]:
        """Claim, and render what was claimed; the flag says the last attempt may have arrived (it timed out, or
        its worker stopped renewing the claim mid-send)."""
        got = ledger.claim(self.conn, dues, self.holder, now, self.lease, self._inflight)
        self._inflight.update(d.key for d, _ in got)
        return [(due, self.render(due, now), _maybe_arrived(row)) for due, row in got]

    def _reclaim(self, due: Due, now: datetime) -> bool:
        """Claim again a delivery this task holds in flight (so it is in `_inflight`) after a short wait."""
        return bool(ledger.claim(self.conn, [due], self.holder, now, self.lease, set()))

    def _claim_batch(self, batch: list[Due], now: datetime) -> set[str]:
        """Claim without sending (what a process that dies right after claiming leaves behind)."""
        return {d.key for d, _, _ in self._call(self._claim, batch, now)}

    async def _drain(self) -> list[Outcome]:
        outcomes, queue = await self._db(self._plan, self.clock.now())
        pending = deque(queue)
        running: set[asyncio.Task[Outcome]] = set()
        # Finished sends report themselves here. `asyncio.wait(running)` would instead hang a callback on every
        # outstanding task (a thousand) and take them all off again for each send that finishes: with a
        # thousand sends a second that bookkeeping, not the platform's limit, would set the pace.
        finished: deque[asyncio.Task[Outcome]] = deque()
        woken = asyncio.Event()

        def _finished(task: asyncio.Task[Outcome]) -> None:
            finished.append(task)
            woken.set()

        keeper = asyncio.create_task(self._keep_leases())
        try:
            while pending or running:
                room = self.outstanding - len(running)
                # Claim in chunks, not one delivery per finished send: a transaction per claim would cost
                # the database thread as much as the records themselves.
                if pending and room >= min(CLAIM_CHUNK // 4, len(pending), self.outstanding):
                    chunk = [pending.popleft() for _ in range(min(room, CLAIM_CHUNK, len(pending)))]
                    got = await self._db(self._claim, chunk, self.clock.now())
                    taken = {d.key for d, _, _ in got}
                    outcomes += [Outcome(d.key, "busy") for d in chunk if d.key not in taken]
                    for claimed in got:
                        task = asyncio.create_task(self._deliver(*claimed))
                        task.add_done_callback(_finished)
                        running.add(task)
                    if pending and self.outstanding - len(running) >= CLAIM_CHUNK // 4:
                        continue
                if running:
                    if not finished:
                        woken.clear()
                        await woken.wait()
                    while finished:
                        task = finished.popleft()
                        running.discard(task)
                        outcomes.append(task.result())
        finally:
            keeper.cancel()
            for task in running:
                task.cancel()
        return outcomes

    async def _keep_leases(self) -> None:
        every = max(0.05, self.lease.total_seconds() / 4)
        while True:
            await asyncio.sleep(every)
            keys = list(self._inflight)
            if keys:
                await self._db(self._renew, keys)

    def _renew(self, keys: list[str]) -> None:
        now = ledger.iso(self.clock.now())
        for start in range(0, len(keys), ledger.CHUNK):
            chunk = keys[start : start + ledger.CHUNK]
            self.conn.execute(
                f"UPDATE deliveries SET claimed_at = ? WHERE state = 'claimed' AND claimed_by = ? "
                f"AND key IN ({','.join('?' * len(chunk))})",
                [now, self.holder, *chunk],
            )

    async def _deliver(self, due: Due, reply: Reply | None, timed_out: bool) -> Outcome:
        try:
            if reply is None:  # the session vanished between query and send: nothing to say
                outcome = Outcome(due.key, "skipped", "session no longer in the catalog")
            elif timed_out and await self._confirmed(due):
                outcome = Outcome(due.key, "sent", "the platform had it: it arrived despite the timeout")
            else:
                outcome = await self._send(due, reply)
            await self._db(self._record, due, outcome, self.clock.now())
            for _ in range(QUICK_RETRIES):
                if reply is None or not _soon(outcome):
                    break
                # The platform asked for a short wait: this task waits and tries again itself, rather than
                # leaving the delivery for the next pass behind everything else queued in this one.
                await asyncio.sleep(outcome.retry_after or 0.0)
                if not await self._db(self._reclaim, due, self.clock.now()):
                    break  # another dispatcher has it now, or its retry is not due on this clock
                outcome = await self._send(due, reply)
                await self._db(self._record, due, outcome, self.clock.now())
            return outcome
        except Exception as exc:  # noqa: BLE001 - the claim stays until its lease ends; someone retries it
            log.exception("recording %s failed", due.key)
            return Outcome(due.key, "failed", f"{type(exc).__name__}: {exc}")
        finally:
            self._inflight.discard(due.key)

    async def _confirmed(self, due: Due) -> bool:
        """After a timeout the message may have arrived; ask the platform, when it can tell, before resending."""
        check = getattr(self.notifier, "delivered", None)
        if check is None:
            return False
        try:
            async with asyncio.timeout(self.send_timeout or SEND_TIMEOUT):
                return bool(await check(self._target(due)))
        except Exception:  # noqa: BLE001 - cannot tell: sending again risks a duplicate, never a loss
            return False

    def _target(self, due: Due) -> Target:
        return Target(
            due.platform, due.workspace, due.address, is_channel=due.to_channel, key=due.key, due_at=due.due_at
        )

    async def _send(self, due: Due, reply: Reply) -> Outcome:
        target = self._target(due)
        deadline = asyncio.timeout(self.send_timeout) if self.send_timeout else contextlib.nullcontext()
        try:
            async with deadline:
                await self.notifier.send(target, reply)
        except DeliveryError as exc:
            return Outcome(due.key, "failed", str(exc) or "delivery failed", exc.retry_after, exc.permanent)
        except TimeoutError:
            return Outcome(due.key, "failed", f"{TIMED_OUT} no answer within {self.send_timeout:g} s")
        except Exception as exc:  # noqa: BLE001 - any other failure is treated as transient and retried
            return Outcome(due.key, "failed", f"{type(exc).__name__}: {exc}")
        return Outcome(due.key, "sent")

    def _record(self, due: Due, outcome: Outcome, at: datetime) -> None:
        metrics.current().reminder(metrics.reminder_outcome(outcome.state, (at - due.due_at).total_seconds()))
        if outcome.state == "sent":
            done = ledger.record_sent(self.conn, due.key, self.holder, at)
        elif outcome.state == "skipped":
            done = ledger.record_skipped(self.conn, due.key, self.holder, outcome.detail)
        else:
            attempts = ledger.record_failure(
                self.conn, due.key, self.holder, at, outcome.detail, outcome.retry_after, outcome.permanent
            )
            done = attempts is not None
            log.warning("delivery %s failed (attempt %s): %s", due.key, attempts, outcome.detail)
        if not done:
            log.warning("%s: the claim on %s was lost before %s was recorded", self.holder, due.key, outcome.state)
