"""One process of the scaling table: open an index, answer one question, optionally time many more.

Run as `python -m benchmarks.scaling_probe ENGINE PATH --now ISO --first TEXT [--conference SLUG] [--queries FILE]`,
with ENGINE one of confbot (PATH is a store), fts5 (an FTS5 file) or tantivy (an index folder). It prints one JSON
line as soon as the first answer is known (the parent times spawn to that line, so Python's start-up and imports
count, as they do for every `confbot search` and every bot restart), with the peak RSS up to that moment; then, if
asked, one line with each query's milliseconds. Each engine imports only what it needs: an FTS5 process must not
pay for numpy or the bot's language data.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from benchmarks.common import time_queries

Ask = Callable[[str], str]
WARM = 50  # questions asked before timing, as a running bot would have answered some already
# What a running bot reads ahead in a thread of its own once it has opened an index (bot/search/service.py), done
# before the timed questions, which stand for a running bot's; the start-up figure stays a cold one-shot process.
ahead: dict[Ask, Callable[[], None]] = {}
BOOSTS = {"title": 10.0, "speakers": 8.0, "track": 5.0, "tags": 3.0, "abstract": 1.0}


def peak_rss_mb() -> float:
    """VmHWM: the most this process has held in memory so far, not just at exit."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def open_confbot(path: str, conference: str | None, now: datetime) -> Ask:
    from bot.search.service import SearchService
    from bot.store import CatalogStore, open_database

    engine = SearchService(CatalogStore(open_database(path))).engine()

    def ask(text: str) -> str:
        hits = engine.search(text, now=now, conference=conference).hits
        return hits[0].session.title if hits else ""

    ahead[ask] = engine.index.warm
    return ask


def open_fts5(path: str, conference: str | None, now: datetime) -> Ask:
    import sqlite3

    from benchmarks.fts5 import fts5_search

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)

    def ask(text: str) -> str:
        docs = fts5_search(conn, text, conference, 10)
        return str(docs[0]) if docs else ""

    return ask


def open_tantivy(path: str, conference: str | None, now: datetime, *, fuzzy: bool = False) -> Ask:
    import tantivy

    from benchmarks.fts5 import baseline_words

    index = tantivy.Index.open(path)
    searcher = index.searcher()
    fields = list(BOOSTS)
    fuzzy_fields = {f: (False, 1, True) for f in fields} if fuzzy else None
    scope = tantivy.Query.term_query(index.schema, "conference", conference) if conference else None

    def ask(text: str) -> str:
        words = baseline_words(text)
        if not words:
            return ""
        query = index.parse_query(" ".join(words), fields, field_boosts=BOOSTS, fuzzy_fields=fuzzy_fields)
        if scope is not None:
            query = tantivy.Query.boolean_query([(tantivy.Occur.Must, query), (tantivy.Occur.Must, scope)])
        docs = [searcher.doc(address)["doc"][0] for _, address in searcher.search(query, 10).hits]
        return str(docs[0]) if docs else ""

    return ask


def timed(ask: Ask, queries: list[str]) -> list[float]:
    for text in queries[:WARM]:
        ask(text)
    return time_queries(ask, queries)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scaling_probe")
    parser.add_argument("engine", choices=("confbot", "fts5", "tantivy"))
    parser.add_argument("path")
    parser.add_argument("--now", required=True)
    parser.add_argument("--first", required=True, help="the question answered first, the one start-up is timed to")
    parser.add_argument("--conference")
    parser.add_argument("--queries", help="a file of questions, one a line, to time after the first")
    args = parser.parse_args(argv)
    now = datetime.fromisoformat(args.now)
    opener = {"confbot": open_confbot, "fts5": open_fts5, "tantivy": open_tantivy}[args.engine]
    started = time.perf_counter()
    ask = opener(args.path, args.conference, now)
    opened = time.perf_counter()
    top = ask(args.first)
    print(json.dumps({"top": top, "open_ms": (opened - started) * 1000, "hwm_mb": peak_rss_mb()}), flush=True)
    if args.queries:
        ahead.get(ask, lambda: None)()
        queries = Path(args.queries).read_text().splitlines()
        figures: dict[str, object] = {"ms": timed(ask, queries)}
        if args.engine == "tantivy":
            figures["fuzzy_ms"] = timed(open_tantivy(args.path, args.conference, now, fuzzy=True), queries)
        figures["hwm_mb"] = peak_rss_mb()
        print(json.dumps(figures), flush=True)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
