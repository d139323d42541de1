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

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from bot.clock import Clock
from bot.messages import Reply
from bot.notify import DeliveryError, Notifier, Target
from bot.reminders.due import Due, pending_reminders

log = logging.getLogger("confbot.reminders")
CLAIM_TIMEOUT = timedelta(minutes=2)
MAX_BACKOFF = timedelta(minutes=5)
LOOKBACK = timedelta(days=1)  # how far back a restart looks for reminders it missed while down

Render = Callable[[Due, datetime], Reply | None]


@dataclass(frozen=True)
class Outcome:
    key: str
    state: str  # sent, skipped, failed, busy (another dispatcher has it)
    detail: str = ""


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


class Dispatcher:
    def __init__(self, db: Database, notifier: Notifier, clock: Clock, render: Render, worker: str = "") -> None:
        self.db = db
        self.notifier = notifier
        self.clock = clock
        self.render = render
        self.worker = worker or uuid.uuid4().hex[:12]

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
        return [d for d in pending_reminders(self.db, now - LOOKBACK) if d.key not in finished]

    def next_wake(self) -> datetime | None:
        """When something next needs doing: a due time, a retry time, or now if anything is overdue."""
        now = self.clock.now()
        retries = dict(self.db.execute("SELECT key, next_attempt_at FROM deliveries WHERE state = 'failed'").fetchall())
        times = []
        for due in self.candidates(now):
            if due.session_start <= now:
                continue
            at = datetime.fromisoformat(retries[due.key]) if due.key in retries else due.due_at
            times.append(max(at, now))
        return min(times) if times else None

    # -------------------------------------------------------------------------------------------- delivering
    async def run_due(self) -> list[Outcome]:
        now = self.clock.now()
        outcomes = []
        for due in sorted(self.candidates(now), key=lambda d: d.due_at):
            if due.due_at > now:
                continue
            if due.session_start <= now:
                outcomes.append(self._skip(due, now))
                continue
            if not self._claim(due, now):
                outcomes.append(Outcome(due.key, "busy"))
                continue
            outcomes.append(await self._send(due, now))
        return outcomes

    def _skip(self, due: Due, now: datetime) -> Outcome:
        log.info("skipped %s: the session started at %s, before the reminder could go", due.key, due.session_start)
        self.db.execute(
            "INSERT INTO deliveries (key, kind, platform, workspace, address, conference, session_id, "
            "session_start, due_at, state, claimed_by, claimed_at, sent_at, attempts, next_attempt_at, error) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'skipped', ?, ?, '', 0, '', 'session already started') "
            "ON CONFLICT(key) DO UPDATE SET state = 'skipped', error = 'session already started'",
            [
                due.key,
                due.kind,
                due.platform,
                due.workspace,
                due.address,
                due.conference,
                due.session_id,
                _iso(due.session_start),
                _iso(due.due_at),
                self.worker,
                _iso(now),
            ],
        )
        return Outcome(due.key, "skipped", "session already started")

    def _claim(self, due: Due, now: datetime) -> bool:
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            row = conn.execute(
                "SELECT state, claimed_by, claimed_at, next_attempt_at FROM deliveries WHERE key = ?", [due.key]
            ).fetchone()
            if row is not None:
                state, claimed_by, claimed_at, next_attempt = row
                if state in ("sent", "skipped"):
                    conn.execute("ROLLBACK")
                    return False
                fresh = claimed_at and datetime.fromisoformat(claimed_at) > now - CLAIM_TIMEOUT
                if state == "claimed" and fresh and claimed_by != self.worker:
                    conn.execute("ROLLBACK")
                    return False
                if state == "failed" and (not next_attempt or datetime.fromisoformat(next_attempt) > now):
                    conn.execute("ROLLBACK")
                    return False
                conn.execute(
                    "UPDATE deliveries SET state = 'claimed', claimed_by = ?, claimed_at = ? WHERE key = ?",
                    [self.worker, _iso(now), due.key],
                )
            else:
                conn.execute(
                    "INSERT INTO deliveries (key, kind, platform, workspace, address, conference, session_id, "
                    "session_start, due_at, state, claimed_by, claimed_at, sent_at, attempts, next_attempt_at, "
                    "error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'claimed', ?, ?, '', 0, '', '')",
                    [
                        due.key,
                        due.kind,
                        due.platform,
                        due.workspace,
                        due.address,
                        due.conference,
                        due.session_id,
                        _iso(due.session_start),
                        _iso(due.due_at),
                        self.worker,
                        _iso(now),
                    ],
                )
            conn.execute("COMMIT")
            return True
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    async def _send(self, due: Due, now: datetime) -> Outcome:
        reply = self.render(due, now)
        if reply is None:  # the session vanished between query and send: nothing to remind of
            self._record(due.key, "skipped", now, error="session no longer in the catalog")
            return Outcome(due.key, "skipped", "session no longer in the catalog")
        target = Target(due.platform, due.workspace, due.address, is_channel=due.kind != "reminder")
        try:
            await self.notifier.send(target, reply)
        except DeliveryError as exc:
            return self._failed(due, now, str(exc), exc.retry_after, exc.permanent)
        except Exception as exc:  # noqa: BLE001 - any other failure is treated as transient and retried
            return self._failed(due, now, f"{type(exc).__name__}: {exc}", None, False)
        self._record(due.key, "sent", now)
        return Outcome(due.key, "sent")

    def _failed(self, due: Due, now: datetime, error: str, retry_after: float | None, permanent: bool) -> Outcome:
        attempts = int(self.db.execute("SELECT attempts FROM deliveries WHERE key = ?", [due.key]).fetchone()[0]) + 1
        if permanent:
            next_attempt = ""
        else:
            wait = timedelta(seconds=retry_after) if retry_after else timedelta(seconds=5 * 2 ** (attempts - 1))
            next_attempt = _iso(now + min(wait, MAX_BACKOFF))
        self.db.execute(
            "UPDATE deliveries SET state = 'failed', attempts = ?, next_attempt_at = ?, error = ? WHERE key = ?",
            [attempts, next_attempt, error[:500], due.key],
        )
        log.warning("delivery %s failed (attempt %d): %s", due.key, attempts, error)
        return Outcome(due.key, "failed", error)

    def _record(self, key: str, state: str, now: datetime, error: str = "") -> None:
        self.db.execute(
            "UPDATE deliveries SET state = ?, sent_at = ?, error = ? WHERE key = ?",
            [state, _iso(now) if state == "sent" else "", error, key],
        )
