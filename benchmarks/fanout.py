"""10,000 people saved the same session: every reminder delivered, none twice, at the platform's allowed rate.

The fake platform enforces a configured rate (a token bucket like Slack's workspace limit, tolerating a tenth
of a second's burst, answering 429 with the wait it needs) and also answers 429 at random (1 in 50, asking
for up to 10 ms), as a busy platform does. confbot's dispatcher
sends through its outbox; the baseline in the same run fires every message at once with no pacing and no
retries, as a naive bot would.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import tempfile
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.common import print_table
from bot.clock import SystemClock
from bot.messages import Reply
from bot.notify import DeliveryError, Target
from bot.outbox import Limits, Outbox, TokenBucket
from bot.reminders.service import make_dispatcher
from bot.store import AgendaStore, CatalogStore, open_database
from catalog.demo import DEMO_CATALOG
from catalog.load import load

PEOPLE = 10_000
RATE = 500.0  # messages a second the fake platform allows in the workspace
RANDOM_429 = 0.02


@dataclass
class RateLimitedPlatform:
    rate: float
    random_429: float
    seed: int = 1
    delivered: list[str] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    rejected_rate: int = 0
    rejected_random: int = 0

    def __post_init__(self) -> None:
        # Like Slack, the platform tolerates short bursts (a tenth of a second's worth) within its rate.
        self.bucket = TokenBucket(self.rate, capacity=max(2.0, self.rate * 0.1))
        self.rng = random.Random(self.seed)

    async def send(self, target: Target, reply: Reply) -> None:
        await asyncio.sleep(0)  # a network call yields
        wait = self.bucket.reserve()
        if wait > 0:
            self.bucket.refund()
            self.rejected_rate += 1
            raise DeliveryError("rate_limited", retry_after=wait)
        if self.rng.random() < self.random_429:
            self.bucket.refund()
            self.rejected_random += 1
            raise DeliveryError("ratelimited (busy)", retry_after=self.rng.uniform(0.0, 0.01))
        self.delivered.append(target.address)
        self.times.append(time.monotonic())


def _store(tmp: Path) -> tuple[CatalogStore, AgendaStore, str]:
    db = open_database(tmp / "fanout.db")
    catalogs, agenda = CatalogStore(db), AgendaStore(db)
    catalog = load(str(DEMO_CATALOG))
    start = datetime.now(UTC) + timedelta(minutes=5)  # a 10-minute lead: every reminder is due at once
    target = catalog.sessions[2]
    moved = replace(target, start=start, end=start + timedelta(minutes=30))
    catalogs.save(replace(catalog, sessions=tuple(moved if s.id == target.id else s for s in catalog.sessions)))
    saved = (start - timedelta(hours=1)).isoformat()
    db.execute("BEGIN")
    db.conn.executemany(
        "INSERT INTO agenda (platform, workspace, user, conference, session_id, saved_at) VALUES (?, ?, ?, ?, ?, ?)",
        # Saved an hour ago, before the reminders fell due (one saved after its due time gets none).
        [("bench", "W1", f"U{i:05d}", catalog.conference.slug, target.id, saved) for i in range(PEOPLE)],
    )
    db.execute("COMMIT")
    return catalogs, agenda, target.id


async def _confbot(tmp: Path) -> tuple[RateLimitedPlatform, float]:
    catalogs, agenda, _ = _store(tmp)
    platform = RateLimitedPlatform(RATE, RANDOM_429)
    # Each person's DM is its own channel (Slack allows about 1 a second there); the workspace limit binds.
    outbox = Outbox(platform, {"bench": Limits(per_workspace=RATE, per_channel=1.0, burst=1.0)})
    dispatcher = make_dispatcher(catalogs, agenda, outbox, SystemClock())
    started = time.monotonic()
    while len(set(platform.delivered)) < PEOPLE and time.monotonic() - started < 240:
        outcomes = await dispatcher.run_due()
        if not any(o.state == "sent" for o in outcomes):
            await asyncio.sleep(0.05)
    return platform, time.monotonic() - started


async def _naive() -> RateLimitedPlatform:
    platform = RateLimitedPlatform(RATE, RANDOM_429, seed=2)

    async def one(i: int) -> None:
        with contextlib.suppress(DeliveryError):  # a naive bot logs it and moves on: the reminder is lost
            await platform.send(Target("bench", "W1", f"U{i:05d}"), Reply("reminder"))

    await asyncio.gather(*(one(i) for i in range(PEOPLE)))
    return platform


def run() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        ours, elapsed = asyncio.run(_confbot(Path(tmp)))
    naive = asyncio.run(_naive())
    unique = len(set(ours.delivered))
    duplicates = len(ours.delivered) - unique
    span = (ours.times[-1] - ours.times[0]) if len(ours.times) > 1 else float("nan")
    achieved = (len(ours.delivered) - 1) / span if span else float("nan")
    naive_unique = len(set(naive.delivered))
    print_table(
        f"Fan-out: {PEOPLE:,} people saved one session; platform allows {RATE:.0f}/s and answers 429 at random "
        f"({RANDOM_429:.0%}) (targets: all delivered, none twice, rate within 10% of allowed)",
        ["sender", "delivered", "twice", "lost", "429s (rate / random)", "achieved rate /s", "of allowed", "seconds"],
        [
            [
                "confbot dispatcher + outbox",
                f"{unique:,}",
                str(duplicates),
                str(PEOPLE - unique),
                f"{ours.rejected_rate} / {ours.rejected_random}",
                f"{achieved:,.0f}",
                f"{achieved / RATE:.1%}",
                f"{elapsed:.1f}",
            ],
            [
                "baseline: all at once, no retry",
                f"{naive_unique:,}",
                str(len(naive.delivered) - naive_unique),
                str(PEOPLE - naive_unique),
                f"{naive.rejected_rate} / {naive.rejected_random}",
                "-",
                "-",
                "-",
            ],
        ],
    )
    return {"delivered": unique, "duplicates": duplicates, "rate_ratio": achieved / RATE}


if __name__ == "__main__":
    run()
