"""`confbot search`: the chat's answers from the command line, one per query, or JSON lines for programs.

A question gets the answer the chat gives it ('who is …', 'where is …', 'what's next', pointers to another
conference), through the same router (adapters/cli_answer.py).

Like chat, it answers about one conference at a time: answers mixing five conferences, with dates that do not
say which year, are wrong answers. The conference is --conference if given, else one the question names
("rust at 38c3"), else `[bot] conference` in the config, else the one the calendar picks at --now; a header
line on standard error (and a `scope` field in JSON) says which. `--conference all` ranks the whole store's sessions
together, which no chat does, so only the search engine answers it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from adapters.cli_answer import Asker, answer_json, answer_text, session_json, why
from adapters.wiring import (
    NOW_WITHOUT_OFFSET,
    add_db_option,
    add_json_option,
    config_for,
    database_for,
    say,
    wants_json,
)
from bot.clock import SystemClock, parse_moment
from bot.language_note import noted
from bot.room_hint import room_noted
from bot.scope import by_calendar, label, split_named
from bot.search.engine import SearchEngine, SearchResult
from bot.search.service import engine_from_store
from bot.store import CatalogStore
from catalog.errors import CatalogError
from catalog.model import Conference
from catalog.times import tz_from_name

ALL = "all"
_WHY = {
    "config": "the one [bot] conference in the config names",
    "asked": "the one the question names",
    "running": "the conference running now",
    "next": "the next conference to start",
    "recent": "the most recent conference",
}


def register(commands: Any) -> None:
    search = commands.add_parser(
        "search",
        help="find talks by topic, speaker, track or time (typos welcome)",
        description="Search the imported schedules, one conference at a time unless --conference all; a line on "
        "standard error says which. Without QUERY, reads one query per line from standard input.",
    )
    add_db_option(search)
    search.add_argument(
        "--conference",
        metavar="SLUG",
        help="search this conference, or 'all' for every one (default: one the question names, else [bot] "
        "conference in the config, else the one running at --now, else the next, else the most recent)",
    )
    search.add_argument(
        "--all", action="store_const", const=ALL, dest="conference", help="search every conference in the store"
    )
    search.add_argument(
        "--now",
        metavar="ISO8601",
        help=f"the moment 'today', 'now' and 'next' are read against ({NOW_WITHOUT_OFFSET}; with --conference all, "
        "in the zone of the conference running then, else the next, else the most recent, said on standard error)",
    )
    search.add_argument("--limit", type=int, default=10, metavar="N", help="results per query (default 10)")
    add_json_option(search, "one line of JSON per query")
    search.add_argument("query", nargs="*", metavar="QUERY")
    search.set_defaults(handler=run_search)


@dataclass(frozen=True)
class Scope:
    """What one query searched: a conference (and why that one), or the whole store (`conference` None)."""

    conference: Conference | None
    why: str  # given, config, asked, running, next, recent, only, all

    def json(self) -> dict[str, Any]:
        conf = self.conference
        return {"conference": conf.slug if conf else None, "label": label(conf) if conf else None, "why": self.why}

    def header(self) -> str:
        assert self.conference is not None
        conf = self.conference
        return (
            f"Searching {label(conf)} ({conf.slug}), {_WHY.get(self.why, 'as asked')}; "
            "--conference SLUG for another, --conference all for every one."
        )


class Searcher:
    """The conferences in the store, which one a query is about, and the store-wide engine for --conference all
    (one conference's questions go through the chat's router: adapters/cli_answer.py)."""

    def __init__(self, store: CatalogStore) -> None:
        self.store = store
        self.conferences = store.conferences()
        self._whole: SearchEngine | None = None

    def whole(self) -> SearchEngine:
        if self._whole is None:
            self._whole = engine_from_store(self.store)
        return self._whole

    def scope(self, given: str | None, default: str | None, query: str, now: datetime) -> tuple[Scope, str]:
        """The scope of one query, and the query without a conference it names."""
        if given == ALL:
            return Scope(None, "all"), query
        if given:
            return Scope(self.store.conference(given), "given"), query
        asked, rest = split_named(self.conferences, query, now)
        if asked is not None:
            return Scope(asked, "asked"), rest
        configured = next((c for c in self.conferences if c.slug == default), None)
        if configured is not None:
            return Scope(configured, "config"), query
        conf, why = by_calendar(self.conferences, now, self.store.activity) or (self.conferences[0], "only")
        return Scope(conf, why if len(self.conferences) > 1 else "only"), query


def result_json(result: SearchResult, took_ms: float, scope: Scope | None = None) -> dict[str, Any]:
    """A question that only filters ('what is lennart presenting': a speaker; 'tomorrow': a time) fits every
    result alike; they come in time order and carry no relevance score, so "order" says "time" and "score" is
    null rather than a 0.0 that reads as 'no match at all'."""
    ranked = not result.hits or any(h.score > 0 for h in result.hits)
    return {
        "query": result.query.text,
        **({"scope": scope.json()} if scope else {}),
        "took_ms": round(took_ms, 3),
        "total": result.total,
        "order": "relevance" if ranked else "time",
        "message": result.message,
        "suggestions": list(result.suggestions),
        "results": [session_json(h.conference, h.session, h.score if ranked else None, h.why) for h in result.hits],
    }


def result_text(result: SearchResult, with_year: bool = False) -> str:
    """`with_year` when results may come from several conferences: a day and month alone do not say which."""
    lines = [f"» {result.query.text}"]
    day = "%a %d %b %Y %H:%M" if with_year else "%a %d %b %H:%M"
    for n, h in enumerate(result.hits, start=1):
        s = h.session
        when = s.start.strftime(day) if s.start else "time to be announced"
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


def local_now(given: str, conf: Conference | None) -> datetime:
    """A --now without an offset is the conference's own clock time, as `confbot chat --now` reads it: the
    conference is picked first with the time read as UTC (which conference may itself depend on the date)."""
    return parse_moment(given, tz_from_name(conf.timezone) if conf and conf.timezone else None)


def zone_said(given: str, conf: Conference | None) -> str:
    """Searching the whole store has no one conference's zone: which one a zone-less --now was read in."""
    if conf is None or not conf.timezone:
        return f"--now {given} has no offset: read as UTC; add one (e.g. +01:00) to mean another zone."
    return (
        f"--now {given} has no offset: read in {conf.timezone}, the zone of {label(conf)}; "
        "add one (e.g. +01:00) to mean another zone."
    )


def run_search(args: argparse.Namespace) -> int:
    try:
        now = parse_moment(args.now) if args.now else SystemClock().now()
    except ValueError as exc:
        raise CatalogError(f"--now {exc}") from exc
    zoneless = bool(args.now) and datetime.fromisoformat(args.now.strip().replace("Z", "+00:00")).tzinfo is None
    if args.limit < 1:
        raise CatalogError("--limit must be at least 1")
    config = config_for(args)
    store = CatalogStore(database_for(args, config, reads_only=True))
    searcher = Searcher(store)
    if not searcher.conferences:
        raise CatalogError("no conferences in the store yet; import one with: confbot import PATH_OR_URL")
    if args.conference not in (None, ALL) and store.conference(args.conference) is None:
        known = ", ".join(c.slug for c in searcher.conferences)
        raise CatalogError(f"no conference {args.conference!r} in the store (known: {known}, or all)")
    default = str(config.section("bot").get("conference") or "") or None
    several = len(searcher.conferences) > 1
    announced: Conference | None = None
    told = False
    queries = [" ".join(args.query)] if args.query else (line.rstrip("\r\n") for line in sys.stdin)
    asker = Asker(store, args.conference if args.conference != ALL else None, default, args.limit)
    for query in queries:
        scope, text = searcher.scope(args.conference, default, query, now)
        moment = now
        if zoneless:
            calendar = by_calendar(searcher.conferences, now, searcher.store.activity)
            zone_of = scope.conference or (calendar[0] if calendar else None)
            moment = local_now(args.now, zone_of)
            if scope.conference is None and not told and not wants_json(args):  # JSON says it in "now"
                say(zone_said(args.now, zone_of))
                told = True
        if scope.conference is None:  # the whole store: no chat answers that, so the engine does
            whole_store(searcher, text, moment, args)
            continue
        answer = asker.ask(query, moment)
        if answer.scope is not None:
            picked = next((c for c in searcher.conferences if c.slug == answer.scope.slug), None)
            scope = Scope(picked, why(answer.scope))
        if several and scope.why not in ("given", "all") and scope.conference != announced and not wants_json(args):
            say(scope.header())
            announced = scope.conference
        if wants_json(args):
            line = {**answer_json(query, answer), "scope": scope.json(), "now": moment.isoformat()}
            print(json.dumps(line, ensure_ascii=False), flush=True)
        else:
            print(answer_text(query, answer.reply) + "\n", flush=True)
    return 0


def whole_store(searcher: Searcher, text: str, moment: datetime, args: argparse.Namespace) -> None:
    """`--conference all`: every conference's sessions ranked together, with years on the dates."""
    engine = searcher.whole()  # built once, not timed as the query
    started = time.perf_counter()
    result = engine.search(text, now=moment, conference=None, limit=args.limit)
    took = (time.perf_counter() - started) * 1000
    result = room_noted(noted(result, engine.index, None), engine.index, None, text)
    if wants_json(args):
        line = {**result_json(result, took, Scope(None, "all")), "now": moment.isoformat()}
        print(json.dumps(line, ensure_ascii=False), flush=True)
    else:
        print(result_text(result, with_year=len(searcher.conferences) > 1) + "\n", flush=True)
