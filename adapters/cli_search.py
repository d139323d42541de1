"""`confbot search`: the engine from the command line, one answer per query, or JSON lines for programs."""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from adapters.wiring import add_db_option, add_json_option, database_for, wants_json
from bot.clock import SystemClock, parse_moment
from bot.search.engine import SearchEngine, SearchResult
from bot.search.service import engine_from_store
from bot.store import CatalogStore
from catalog.errors import CatalogError


def register(commands: Any) -> None:
    search = commands.add_parser(
        "search",
        help="find talks by topic, speaker, track or time (typos welcome)",
        description="Search the imported schedules. Without QUERY, reads one query per line from standard input.",
    )
    add_db_option(search)
    search.add_argument("--conference", metavar="SLUG", help="search only this conference (default: all)")
    search.add_argument("--now", metavar="ISO8601", help="the moment 'today', 'now' and 'next' are read against")
    search.add_argument("--limit", type=int, default=10, metavar="N", help="results per query (default 10)")
    add_json_option(search, "one line of JSON per query")
    search.add_argument("query", nargs="*", metavar="QUERY")
    search.set_defaults(handler=run_search)


def result_json(result: SearchResult, took_ms: float) -> dict[str, Any]:
    return {
        "query": result.query.text,
        "took_ms": round(took_ms, 3),
        "total": result.total,
        "message": result.message,
        "suggestions": list(result.suggestions),
        "results": [
            {
                "id": h.session.id,
                "conference": h.conference,
                "title": h.session.title,
                "start": h.session.start.isoformat() if h.session.start else None,
                "end": h.session.end.isoformat() if h.session.end else None,
                "room": h.session.room,
                "track": h.session.track,
                "speakers": list(h.session.speaker_names),
                "score": h.score,
                "why": list(h.why),
            }
            for h in result.hits
        ],
    }


def result_text(result: SearchResult) -> str:
    lines = [f"» {result.query.text}"]
    for n, h in enumerate(result.hits, start=1):
        s = h.session
        when = s.start.strftime("%a %d %b %H:%M") if s.start else "time to be announced"
        people = ", ".join(s.speaker_names)
        lines.append(f"{n:>3}. {s.title}  [{h.conference} {s.id}]")
        details = " · ".join(x for x in (when, s.room, s.track, people) if x)
        lines.append(f"     {details}")
        lines.append(f"     why: {'; '.join(h.why)}")
    if result.total > len(result.hits):
        lines.append(f"     … {result.total - len(result.hits)} more (use --limit)")
    if result.message:
        lines.append(result.message)
    if result.suggestions:
        lines.append("Did you mean: " + ", ".join(result.suggestions) + "?")
    return "\n".join(lines)


def run_search(args: argparse.Namespace) -> int:
    try:
        now = parse_moment(args.now) if args.now else SystemClock().now()
    except ValueError as exc:
        raise CatalogError(f"--now {exc}") from exc
    if args.limit < 1:
        raise CatalogError("--limit must be at least 1")
    store = CatalogStore(database_for(args, reads_only=True))
    if not store.conferences():
        raise CatalogError("no conferences in the store yet; import one with: confbot import PATH_OR_URL")
    if args.conference and store.conference(args.conference) is None:
        known = ", ".join(c.slug for c in store.conferences())
        raise CatalogError(f"no conference {args.conference!r} in the store (known: {known})")
    engine: SearchEngine = engine_from_store(store)
    queries = [" ".join(args.query)] if args.query else (line.rstrip("\r\n") for line in sys.stdin)
    for query in queries:
        started = time.perf_counter()
        result = engine.search(query, now=now, conference=args.conference, limit=args.limit)
        took = (time.perf_counter() - started) * 1000
        if wants_json(args):
            print(json.dumps(result_json(result, took), ensure_ascii=False), flush=True)
        else:
            print(result_text(result) + "\n", flush=True)
    return 0
