"""Answers on a store of every shared catalog, as an attendee at FOSDEM 2025 asks them.

Baseline: the store-wide search every request used before scopes (relevance only, all conferences mixed).
Project: the conversation as it answers now (one conference in scope, upcoming sessions first).
Both run in the same process over the same store and the same questions.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from benchmarks.common import ZONES, print_table, shared_catalogs
from bot.clock import VirtualClock
from bot.commands.search import scoped_search
from bot.conversation import Conversation
from bot.messages import Incoming, Person
from bot.search.service import SearchService
from bot.store import AgendaStore, CatalogStore, open_database
from catalog.load import load

IN_SCOPE = "fosdem-2025"
MOMENTS = ("2025-02-01T10:00:00+01:00", "2025-02-02T14:50:00+01:00")
QUESTIONS = (
    "rust", "talks on kubernetes", "python", "security", "databases", "postgres", "nix", "firefox", "linux kernel",
    "risc-v", "webassembly", "matrix", "go", "java", "open source hardware", "ai", "accessibility", "email",
    "embedded", "containers",
)  # fmt: skip
TOP = 5


def _store(folder: Path) -> CatalogStore:
    catalogs = CatalogStore(open_database(folder / "bench.db"))
    for path in shared_catalogs():
        catalogs.save(load(str(path), timezone=ZONES.get(path.name)))
    return catalogs


def run() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        catalogs = _store(Path(tmp))
        search = SearchService(catalogs)
        whole = search.engine()
        rows = []
        for moment in MOMENTS:
            now = datetime.fromisoformat(moment)
            conversation = Conversation(catalogs, AgendaStore(catalogs.db), search, VirtualClock(now))
            conversation.handle(Incoming(Person("bench", "w", "warm-up"), "hello"))  # builds the scoped index once
            keys = ("b_in", "p_in", "b_over", "p_over", "b_ms", "s_ms", "p_ms")
            stats: dict[str, list[float]] = {k: [] for k in keys}
            for n, question in enumerate(QUESTIONS):
                started = time.perf_counter()
                base = whole.search(question, now=now, limit=TOP).hits
                stats["b_ms"].append((time.perf_counter() - started) * 1000)
                context = conversation.context(Incoming(Person("bench", "w", f"s{n}"), question))
                started = time.perf_counter()
                scoped_search(context, question)
                stats["s_ms"].append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                reply = conversation.handle(Incoming(Person("bench", "w", f"u{n}"), question))
                stats["p_ms"].append((time.perf_counter() - started) * 1000)
                base_pairs = [(h.conference, h.session) for h in base]
                project_pairs = [(c.conference, c.session) for c in reply.cards]
                for key, pairs in (("b", base_pairs), ("p", project_pairs)):
                    if not pairs:
                        continue
                    stats[f"{key}_in"].append(sum(c == IN_SCOPE for c, _ in pairs) / len(pairs))
                    over = [s for _, s in pairs if s.end is not None and s.end <= now]
                    stats[f"{key}_over"].append(len(over) / len(pairs))
            rows.append(
                [
                    moment,
                    f"{statistics.mean(stats['b_in']):.0%}",
                    f"{statistics.mean(stats['p_in']):.0%}",
                    f"{statistics.mean(stats['b_over']):.0%}",
                    f"{statistics.mean(stats['p_over']):.0%}",
                    f"{statistics.median(stats['b_ms']):.1f}",
                    f"{statistics.median(stats['s_ms']):.1f}",
                    f"{statistics.median(stats['p_ms']):.1f}",
                ]
            )
        print_table(
            f"Scope: top {TOP} of {len(QUESTIONS)} topic questions during FOSDEM 2025, every shared catalog loaded",
            [
                "moment",
                "in FOSDEM 2025 (baseline)",
                "(project)",
                "already over (baseline)",
                "(project)",
                "median ms: search (baseline)",
                "(project: scoped, clock order)",
                "(project: whole reply)",
            ],
            rows,
        )


if __name__ == "__main__":
    run()
