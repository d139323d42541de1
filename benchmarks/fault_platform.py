"""The fake chat platform of the fault-injection harness, and one dispatcher process wired around it.

The platform records every message it accepts, with the delivery key, the process and the time, in its own
SQLite file: that commit is the acceptance. It can add latency, answer 429 or 500, time out before or after
accepting, hang for minutes, and enforce a per-workspace rate; when `confirm` is set it can also say
afterwards whether it has a message (as Discord's nonce or a Slack metadata lookup could).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import random
import sqlite3
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

PLATFORM = "bench"


@dataclass(frozen=True)
class Faults:
    latency: float = 0.005  # seconds per request
    p429: float = 0.0
    p500: float = 0.0
    p_timeout_before: float = 0.0  # no answer, and the message never arrived
    p_timeout_after: float = 0.0  # the message arrived, but the answer never came
    p_hang: float = 0.0  # no answer for `hang` seconds
    hang: float = 130.0
    rate: float = 0.0  # messages a second per workspace the platform allows (0: unlimited)
    confirm: bool = False  # the platform can say afterwards whether it has a message


def burst(rate: float) -> float:
    """How many messages a workspace's bucket holds, full, at the platform's `rate` a second."""
    return max(1.0, rate * 0.1)


class FakePlatform:
    """A `Notifier` (and `Confirming`, when `confirm`) that behaves like a busy chat platform."""

    def __init__(self, path: Path, faults: Faults, seed: int) -> None:
        self.conn = sqlite3.connect(str(path), timeout=60, isolation_level=None)
        self.conn.execute("PRAGMA busy_timeout = 60000")
        # Committed in WAL survives a killed process (what the harness does); no fsync per message, so the
        # fake platform's own bookkeeping does not slow the process it runs in.
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.faults = faults
        self.rng = random.Random(seed)
        self.pid = os.getpid()
        self.buckets: dict[str, tuple[float, float]] = {}  # workspace -> (tokens, updated)
        self.offered = False  # whether this process has offered the platform anything yet
        if not faults.confirm:
            self.delivered = None  # type: ignore[assignment]

    def _accept(self, key: str, workspace: str, answered: str) -> None:
        self.conn.execute(
            "INSERT INTO accepted (key, workspace, at, pid, answered) VALUES (?, ?, ?, ?, ?)",
            [key, workspace, time.time(), self.pid, answered],
        )

    def _over_rate(self, workspace: str) -> float:
        rate = self.faults.rate
        if not rate:
            return 0.0
        now = time.monotonic()
        tokens, updated = self.buckets.get(workspace, (burst(rate), now))
        tokens = min(burst(rate), tokens + (now - updated) * rate)
        if tokens < 1:
            self.buckets[workspace] = (tokens, now)
            return (1 - tokens) / rate
        self.buckets[workspace] = (tokens - 1, now)
        return 0.0

    def _roll(self) -> str:
        f = self.faults
        roll = self.rng.random()
        for chance, outcome in (
            (f.p429, "429"),
            (f.p500, "500"),
            (f.p_timeout_before, "timeout-before"),
            (f.p_timeout_after, "timeout-after"),
            (f.p_hang, "hang"),
        ):
            if roll < chance:
                return outcome
            roll -= chance
        return "ok"

    async def send(self, target: object, reply: object) -> None:
        from bot.notify import DeliveryError, Target

        assert isinstance(target, Target)
        f = self.faults
        if not self.offered:  # when the platform was first given work: the achieved rate is measured from here
            self.offered = True
            self.conn.execute("INSERT INTO offered (pid, at) VALUES (?, ?)", [self.pid, time.time()])
        await asyncio.sleep(f.latency)
        wait = self._over_rate(target.workspace)
        if wait:
            raise DeliveryError("ratelimited", retry_after=wait)
        outcome = self._roll()
        if outcome == "429":
            raise DeliveryError("ratelimited", retry_after=self.rng.uniform(0.2, 1.0))
        if outcome == "500":
            raise DeliveryError("500 internal_error")
        if outcome == "timeout-after":
            self._accept(target.key, target.workspace, "timeout")
        if outcome in ("timeout-before", "hang"):
            self.conn.execute("INSERT INTO troubled (key, kind) VALUES (?, ?)", [target.key, outcome])
        if outcome != "ok":
            await asyncio.sleep(f.hang if outcome == "hang" else 300.0)
            return
        self._accept(target.key, target.workspace, "ok")

    async def delivered(self, target: object) -> bool:
        from bot.notify import Target

        assert isinstance(target, Target)
        return self.conn.execute("SELECT 1 FROM accepted WHERE key = ?", [target.key]).fetchone() is not None


def create_platform(path: Path) -> None:
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE accepted (key TEXT, workspace TEXT, at REAL, pid INTEGER, answered TEXT)")
    conn.execute("CREATE TABLE troubled (key TEXT, kind TEXT)")  # sends that hung or timed out unaccepted
    conn.execute("CREATE TABLE offered (pid INTEGER, at REAL)")  # each process's first request
    conn.close()


# ------------------------------------------------------------------------------------------ a dispatcher process
def worker(db: str, platform: str, scenario_json: str, seed: int) -> None:
    """One long-running dispatcher process, wired from the runtime's own pieces."""
    from bot.clock import SystemClock
    from bot.outbox import Limits, Outbox
    from bot.reminders.scheduler import WakeScheduler
    from bot.reminders.service import make_dispatcher
    from bot.store import AgendaStore, CatalogStore, open_database

    logging.basicConfig(level=logging.ERROR)
    raw = json.loads(scenario_json)
    faults = Faults(**raw["faults"])
    store = open_database(db)
    fake = FakePlatform(Path(platform), faults, seed)
    limits = {PLATFORM: Limits(per_workspace=raw["outbox_rate"], per_channel=1.0, burst=3.0)}  # as Slack's
    outbox = Outbox(fake, limits, attempt_timeout=raw["attempt_timeout"])
    catalogs, agenda = CatalogStore(store), AgendaStore(store)
    dispatcher = make_dispatcher(
        catalogs, agenda, outbox, SystemClock(), f"w{seed}", lease=timedelta(seconds=raw["lease"])
    )

    async def serve() -> None:
        scheduler = WakeScheduler(dispatcher, tick=timedelta(seconds=raw["tick"]))
        scheduler.start()
        await asyncio.Event().wait()

    asyncio.run(serve())
