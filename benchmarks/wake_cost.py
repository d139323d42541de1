"""What a chat message costs the reminders: `scheduler.poke()` with 100 and with 100,000 saved reminders.

After every slash command, DM, mention and button the adapters call `runtime.scheduler.poke()`. It reads the
change log since its last look (O(changes)) and can only move the wake-up earlier. The baseline in the same
run is what poke did before: recompute every pending reminder (all saved sessions, the set of finished
deliveries, the minimum) on every message.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.common import print_table
from bot.clock import VirtualClock
from bot.messages import Person
from bot.reminders.due import pending_reminders
from bot.reminders.scheduler import WakeScheduler
from bot.reminders.service import make_dispatcher
from bot.store import AgendaStore, CatalogStore, open_database
from catalog.demo import DEMO_CATALOG
from catalog.load import load

SIZES = (100, 100_000)
MESSAGES = 200
SESSIONS = 200


def _old_poke(catalogs: CatalogStore, now: datetime) -> datetime | None:
    """The previous next_wake: every pending reminder as a Python object, minus every finished key."""
    finished = {r[0] for r in catalogs.db.execute("SELECT key FROM deliveries WHERE state IN ('sent', 'skipped')")}
    times = [d.due_at for d in pending_reminders(catalogs.db, now - timedelta(days=1)) if d.key not in finished]
    return min((max(t, now) for t in times), default=None)


def _store(folder: Path, saved: int) -> tuple[CatalogStore, AgendaStore, VirtualClock, list[str]]:
    db = open_database(folder / f"wake-{saved}.db")
    catalogs, agenda = CatalogStore(db), AgendaStore(db)
    catalog = load(str(DEMO_CATALOG))
    first = datetime(2030, 6, 1, 8, tzinfo=UTC)
    template = catalog.sessions[0]
    starts = [first + timedelta(minutes=30 * i) for i in range(SESSIONS)]
    sessions = tuple(
        replace(template, id=f"s{i}", start=start, end=start + timedelta(minutes=25)) for i, start in enumerate(starts)
    )
    catalogs.save(replace(catalog, sessions=sessions))
    slug = catalog.conference.slug
    saved_at = (first - timedelta(hours=2)).isoformat()  # before any reminder falls due, as a real save would be
    rows = [("slack", "T1", f"U{i // 10:06d}", slug, f"s{(i * 7) % SESSIONS}", saved_at) for i in range(saved)]
    db.execute("BEGIN")
    db.conn.executemany(
        "INSERT OR IGNORE INTO agenda (platform, workspace, user, conference, session_id, saved_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    db.execute("COMMIT")
    return catalogs, agenda, VirtualClock(first - timedelta(hours=1)), [s.id for s in sessions]


def _measure(saved: int, folder: Path) -> tuple[float, float, float]:
    """Median milliseconds per message: poke after a message that saved a session, after one that changed
    nothing, and the old full recompute."""
    catalogs, agenda, clock, ids = _store(folder, saved)
    dispatcher = make_dispatcher(catalogs, agenda, _Silent(), clock)
    scheduler = WakeScheduler(dispatcher)
    scheduler.place(dispatcher.next_wake())
    with_change, without, old = [], [], []
    for i in range(MESSAGES):
        agenda.save(Person("slack", "T2", f"V{i:04d}"), catalogs.conferences()[0].slug, ids[i % len(ids)])
        started = time.perf_counter()
        scheduler.poke()
        with_change.append(time.perf_counter() - started)
        started = time.perf_counter()
        scheduler.poke()
        without.append(time.perf_counter() - started)
    for _ in range(min(MESSAGES, 20)):
        started = time.perf_counter()
        _old_poke(catalogs, clock.now())
        old.append(time.perf_counter() - started)
    dispatcher.close()
    return (statistics.median(with_change) * 1000, statistics.median(without) * 1000, statistics.median(old) * 1000)


class _Silent:
    async def send(self, target: object, reply: object) -> None:
        return None


def run() -> dict[int, tuple[float, float, float]]:
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        for saved in SIZES:
            figures[saved] = _measure(saved, Path(tmp))
    print_table(
        "Cost of a chat message to the reminders: scheduler.poke(), median ms (target: the same at 100 and "
        "100,000 saved reminders)",
        ["saved reminders", "poke after a save", "poke, nothing changed", "baseline: full recompute per message"],
        [[f"{n:,}", f"{a:.3f}", f"{b:.3f}", f"{c:.1f}"] for n, (a, b, c) in figures.items()],
    )
    return figures


if __name__ == "__main__":
    run()
