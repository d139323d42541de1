"""Query latency with every shared catalog in one store, beside FTS5 and naive rapidfuzz timed in the same run.

Several hundred distinct queries are generated from the catalogs themselves (title words, speaker names,
tracks, two-word topics, time phrases), a third of them with a typo, plus the dev queries of v1 and v2 (sentences,
German, paraphrases). Opening the saved index (what every process start pays) and the in-memory build beside
it are timed as the best of three, as is usual on a shared, noisy machine.
"""

from __future__ import annotations

import json
import random
import statistics
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from benchmarks.baselines import Fts5Baseline, RapidfuzzBaseline
from benchmarks.common import EVAL, ZONES, percentile, print_table, shared_catalogs, time_queries
from bot.search.engine import SearchEngine
from bot.search.language import prepare
from bot.search.service import engine_from_store
from bot.search.text import words
from bot.store import CatalogStore, open_database
from catalog.load import load
from catalog.model import Session

NOW = datetime.fromisoformat("2026-01-31T11:00:00+01:00")


def typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("drop", "swap", "replace"))
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice("aeiourstln") + word[i + 1 :]


def make_queries(engine: SearchEngine, count: int = 600, seed: int = 7) -> list[str]:
    return queries_from([d.session for d in engine.index.docs], engine.index.speaker_names, count, seed)


def queries_from(sessions: Sequence[Session], speakers: Sequence[str], count: int, seed: int = 7) -> list[str]:
    """Realistic questions about `sessions`; needs no index, so the scaling table asks every engine the same."""
    rng = random.Random(seed)
    tracks = sorted({s.track for s in sessions if s.track})
    queries: set[str] = set()
    for _ in range(count * 50):  # a handful of sessions cannot give `count` distinct questions: stop trying
        if len(queries) >= count:
            break
        kind = rng.random()
        doc = rng.choice(sessions)
        title_words = [w for w in words(doc.title) if len(w) >= 4]
        if kind < 0.3 and title_words:
            q = rng.choice(title_words)
        elif kind < 0.45 and len(title_words) >= 2:
            q = " ".join(rng.sample(title_words, 2))
        elif kind < 0.6 and speakers:
            name = rng.choice(speakers)
            q = name if rng.random() < 0.6 else name.split()[-1]
        elif kind < 0.7 and tracks:
            q = rng.choice(tracks) + rng.choice(("", " track", " devroom"))
        elif kind < 0.8 and title_words:
            q = f"{rng.choice(title_words)} {rng.choice(('today', 'tomorrow afternoon', 'this morning', 'next'))}"
        else:
            q = f"talks about {rng.choice(title_words) if title_words else doc.track}"
        parts = q.split()
        if rng.random() < 0.33:
            long_words = [i for i, w in enumerate(parts) if len(w) >= 5]
            if long_words:
                i = rng.choice(long_words)
                parts[i] = typo(parts[i], rng)
        queries.add(" ".join(parts))
    return sorted(queries)


def dev_queries() -> list[str]:
    return [
        json.loads(line)["query"]
        for name in ("relevance-dev.jsonl", "relevance-dev-v2.jsonl")
        for line in (EVAL / name).read_text().splitlines()
        if line
    ]


def run() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        return _run(Path(tmp) / "latency.db")


def _run(db: Path) -> dict[str, float]:
    store = CatalogStore(open_database(db))
    for path in shared_catalogs():
        store.save(load(str(path), timezone=ZONES.get(path.name)))  # saves the index too, as an import does
    conferences = store.conferences()
    sessions = {c.slug: store.sessions(c.slug) for c in conferences}
    opens = []
    saved = None
    for _ in range(3):  # what every process start pays: open the saved index (the store was just written)
        started = time.perf_counter()
        saved = engine_from_store(CatalogStore(open_database(db)))
        opens.append(time.perf_counter() - started)
    assert saved is not None and saved.index.merged.folder is not None
    started = time.perf_counter()
    prepare()  # language data (stop words, stemmers, frequencies, detector): once per process, not per build
    language_load = time.perf_counter() - started
    builds = []
    engine = None
    for _ in range(3):
        started = time.perf_counter()
        engine = SearchEngine(conferences, sessions)
        builds.append(time.perf_counter() - started)
    assert engine is not None
    started = time.perf_counter()
    fts = Fts5Baseline(engine.index)
    fts_build = time.perf_counter() - started
    fuzzy = RapidfuzzBaseline(engine.index)
    queries = make_queries(engine)
    queries = sorted(set(queries) | set(dev_queries()))
    for q in queries[:50]:  # warm caches the way a running bot would be
        engine.search(q, now=NOW)
    ours = time_queries(lambda q: engine.search(q, now=NOW), queries)
    for q in queries[:50]:
        saved.search(q, now=NOW)
    mapped = time_queries(lambda q: saved.search(q, now=NOW), queries)
    base = time_queries(lambda q: fts.search(q, None, 10), queries)
    sample = queries[:: max(1, len(queries) // 100)]
    naive = time_queries(lambda q: fuzzy.search(q, None, 10), sample)
    n_docs = engine.index.n
    rows = [
        [
            "confbot (saved index, memory-mapped; open s)",
            str(len(mapped)),
            f"{percentile(mapped, 50):.2f}",
            f"{percentile(mapped, 99):.2f}",
            f"{statistics.mean(mapped):.2f}",
            f"{min(opens):.3f}",
        ],
        [
            "confbot (built in memory; build s)",
            str(len(ours)),
            f"{percentile(ours, 50):.2f}",
            f"{percentile(ours, 99):.2f}",
            f"{statistics.mean(ours):.2f}",
            f"{min(builds):.2f}",
        ],
        [
            "FTS5 BM25 (SQLite, in memory)",
            str(len(base)),
            f"{percentile(base, 50):.2f}",
            f"{percentile(base, 99):.2f}",
            f"{statistics.mean(base):.2f}",
            f"{fts_build:.2f}",
        ],
        [
            "naive rapidfuzz WRatio",
            str(len(naive)),
            f"{percentile(naive, 50):.2f}",
            f"{percentile(naive, 99):.2f}",
            f"{statistics.mean(naive):.2f}",
            "-",
        ],
    ]
    rows.append(["language data, loaded once per process", "-", "-", "-", "-", f"{language_load:.2f}"])
    print_table(
        f"Latency: {n_docs} sessions, {len(queries)} distinct queries (targets: p50 <= 1 ms, p99 <= 5 ms, "
        "open <= 0.1 s)",
        ["engine", "queries", "p50 ms", "p99 ms", "mean ms", "open or build s"],
        rows,
    )
    return {
        "p50": percentile(mapped, 50),
        "p99": percentile(mapped, 99),
        "open": min(opens),
        "build": min(builds),
        "p50_in_memory": percentile(ours, 50),
    }


if __name__ == "__main__":
    run()
