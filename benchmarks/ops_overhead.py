"""What operating the bot costs the people using it: counting metrics on every question, and a health poll.

Questions (searches, "next", "agenda", "remind") are answered by the real conversation over FOSDEM 2026 in a
SQLite store, once with nothing counted (the baseline, as before metrics existed) and once with Prometheus
counting, in alternating rounds so the machine's noise falls on both alike. A health poll's store probe (a
write rolled back) and a /metrics exposition are timed beside an empty call, all /livez does.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from adapters.health import store_writable
from benchmarks.common import CATALOGS, ZONES, print_table
from bot import metrics
from bot.clock import VirtualClock
from bot.conversation import Conversation
from bot.messages import Incoming, Person
from bot.metrics import NullMetrics, PrometheusMetrics
from bot.search.service import SearchService
from bot.store import AgendaStore, CatalogStore, open_database
from catalog.load import load

CATALOG = "fosdem-2026.xml"
QUESTIONS = ["rust", "talks on databases", "next", "agenda", "who is lennart", "kernel tomorrow", "remind 1", "now"]
ROUNDS = 6
PER_ROUND = 200


def _conversation(tmp: Path) -> Conversation:
    db = open_database(tmp / "ops.db")
    catalogs = CatalogStore(db)
    catalogs.save(load(str(CATALOGS / CATALOG), timezone=ZONES.get(CATALOG)))
    clock = VirtualClock(datetime.fromisoformat("2026-01-31T11:00:00+01:00"))  # the first day, mid-morning
    conversation = Conversation(catalogs, AgendaStore(db), SearchService(catalogs), clock)
    conversation.search.engine()  # built once, outside the timing
    return conversation


def _answer_all(conversation: Conversation, count: int) -> list[float]:
    times = []
    for i in range(count):
        incoming = Incoming(Person("slack", "T1", f"U{i % 50}"), QUESTIONS[i % len(QUESTIONS)])
        started = time.perf_counter()
        conversation.handle(incoming)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _timed(fn: object, count: int) -> list[float]:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append((time.perf_counter() - started) * 1000)
    return times


def run() -> dict[str, float]:
    if not (CATALOGS / CATALOG).is_file():
        raise SystemExit(f"benchmarks need {CATALOGS / CATALOG} (the shared folder beside the project)")
    with tempfile.TemporaryDirectory() as tmp:
        conversation = _conversation(Path(tmp))
        counting = PrometheusMetrics()
        plain: list[float] = []
        counted: list[float] = []
        previous = metrics.install(NullMetrics())
        try:
            _answer_all(conversation, 50)  # warm caches for both
            for _ in range(ROUNDS):
                metrics.install(NullMetrics())
                plain += _answer_all(conversation, PER_ROUND)
                metrics.install(counting)
                counted += _answer_all(conversation, PER_ROUND)
        finally:
            metrics.install(previous)
        path = str(Path(tmp) / "ops.db")
        probe = _timed(lambda: store_writable(path), 200)
        baseline_poll = _timed(lambda: None, 200)
        scrape = _timed(counting.exposition, 200)
    med_plain, med_counted = statistics.median(plain), statistics.median(counted)
    p95 = lambda xs: statistics.quantiles(xs, n=20)[-1]  # noqa: E731
    print_table(
        f"Metrics on every question ({len(plain)} questions each, {CATALOG}, alternating rounds), ms",
        ["", "median", "p95"],
        [
            ["baseline: nothing counted", f"{med_plain:.3f}", f"{p95(plain):.3f}"],
            ["Prometheus counting", f"{med_counted:.3f}", f"{p95(counted):.3f}"],
            ["difference", f"{med_counted - med_plain:+.3f}", f"{p95(counted) - p95(plain):+.3f}"],
        ],
    )
    print_table(
        "A health poll and a scrape, ms (200 each)",
        ["", "median", "p95"],
        [
            [
                "baseline: an empty call (all /livez does)",
                f"{statistics.median(baseline_poll):.4f}",
                f"{p95(baseline_poll):.4f}",
            ],
            ["store write probe (/healthz)", f"{statistics.median(probe):.3f}", f"{p95(probe):.3f}"],
            ["/metrics exposition", f"{statistics.median(scrape):.3f}", f"{p95(scrape):.3f}"],
        ],
    )
    return {"plain": med_plain, "counted": med_counted, "probe": statistics.median(probe)}


if __name__ == "__main__":
    run()
