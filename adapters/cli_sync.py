"""`confbot sync` and `confbot reminders status`: schedule changes and the state of every delivery."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from functools import partial
from typing import Any

from adapters.cli_catalog import add_allow_private_option
from adapters.cli_output import sync_json
from adapters.cli_search import local_now, zone_said
from adapters.wiring import add_db_option, add_json_option, database_for, print_json, wants_json
from bot.clock import SystemClock, parse_moment
from bot.due_next import SHOWN, DueNext, due_next
from bot.scope import by_calendar
from bot.search.text import compact
from bot.store import CatalogStore
from bot.sync import sync_conference
from catalog.errors import CatalogError
from catalog.load import load
from catalog.text import counted, one_line, shown
from catalog.times import local_time, offset_name


def register(commands: Any) -> None:
    sync = commands.add_parser(
        "sync",
        help="re-import conferences from their sources and tell people what changed",
        description="Re-read each conference from where it was imported; moved sessions move their reminders, "
        "removed ones cancel them, people who saved them and announcement channels are told, all in one "
        "transaction: a sync stopped half-way changes nothing. A new schedule that would remove more than 30% of the "
        "sessions, blank the title or time of more than 30%, or leave more than 30% fewer (with a title and a time) "
        "than the most accepted since the first or last forced import, is refused unless --force.",
    )
    add_db_option(sync)
    sync.add_argument("--conference", metavar="SLUG", help="only this conference (default: all)")
    sync.add_argument(
        "--force", action="store_true", help="accept a schedule the guard refused, and measure later losses from it"
    )
    add_allow_private_option(sync)
    add_json_option(sync, "print a JSON list, one object per conference: outcome, message, what changed")
    sync.set_defaults(handler=run_sync)
    reminders = commands.add_parser(
        "reminders",
        help="the state of reminders and announcements",
        description="Inspect deliveries. One subcommand so far: 'confbot reminders status [--db FILE] "
        "[--now ISO8601] [--json]'; --db and --now are also taken here, before it. "
        "See 'confbot reminders status --help'.",
    )
    add_db_option(reminders)
    add_now_option(reminders)
    actions = reminders.add_subparsers(dest="action", metavar="ACTION", help="status: the state of every delivery")
    reminders.set_defaults(handler=lambda _args: _usage(reminders))
    status = actions.add_parser(
        "status",
        help="counts by kind and state, failures with their errors, and what is due next",
        description="Show every delivery's state: sent, skipped, failed (with the error and next attempt), and the "
        f"next {SHOWN} reminder times: when, for which session, for how many people.",
    )
    add_db_option(status)
    add_now_option(status)
    add_json_option(status, "print the counts, the failures and the totals as one JSON object")
    status.set_defaults(handler=run_status)


def run_sync(args: argparse.Namespace) -> int:
    catalogs = CatalogStore(database_for(args))
    slugs = [args.conference] if args.conference else [c.slug for c in catalogs.conferences()]
    if not slugs:
        raise CatalogError("no conferences in the store yet; import one with: confbot import PATH_OR_URL")
    failed = 0
    reports = []
    for slug in slugs:
        before = catalogs.conference(slug)
        private = args.allow_private or catalogs.allows_private(slug)
        loader = partial(load, allow_private=private)
        report = sync_conference(catalogs, slug, SystemClock().now(), force=args.force, loader=loader)
        reports.append(sync_json(report))
        if not wants_json(args):
            tail = f" {counted(report.notices, 'notice')} queued." if report.notices else ""
            print(f"{sync_line(slug, before.title if before else '', report.message)}{tail}")
        failed += not report.ok
    if wants_json(args):
        print_json(reports)
    return 1 if failed else 0


def sync_line(slug: str, title: str, message: str) -> str:
    """'camp99: no changes (32 sessions unchanged).': the report's message already says what happened and starts
    with the title, so the slug leads and the title follows it only when it says something the slug does not."""
    body = message.removeprefix(f"{title}: ") if title else message
    named = title and body != message and compact(title) != compact(slug)
    return f"{slug} ({title}): {body}" if named else f"{slug}: {body}"


def run_status(args: argparse.Namespace) -> int:
    db = database_for(args, reads_only=True)
    rows = db.execute(
        "SELECT kind, state, count(*) FROM deliveries GROUP BY kind, state ORDER BY kind, state"
    ).fetchall()
    failures = db.execute(
        "SELECT key, attempts, next_attempt_at, error FROM deliveries WHERE state = 'failed' ORDER BY key"
    ).fetchall()
    saved = db.execute("SELECT count(*) FROM agenda").fetchone()[0]
    channels = db.execute("SELECT count(DISTINCT platform || workspace || channel) FROM channels").fetchone()[0]
    now = _status_now(getattr(args, "now", None), CatalogStore(db))
    coming = due_next(db, now)
    if wants_json(args):
        print_json(
            {
                "deliveries": [{"kind": kind, "state": state, "count": count} for kind, state, count in rows],
                "failed": [
                    {"key": key, "attempts": attempts, "next_attempt_at": next_attempt or None, "error": error}
                    for key, attempts, next_attempt, error in failures
                ],
                "saved_sessions": saved,
                "announcement_channels": channels,
                "due_next": [
                    {"at": d.at.isoformat(), "conference": d.conference, "session": d.session_id, "people": d.people}
                    for d in coming
                ],
            }
        )
        return 0
    if not rows:
        print("No deliveries yet.")
    for kind, state, count in rows:
        print(f"{kind:<13} {state:<8} {count}")
    if failures:
        print("\nFailed:")
        for key, attempts, next_attempt, error in failures:
            when = f"next attempt {next_attempt}" if next_attempt else "given up"
            print(f"  {key}\n    {counted(attempts, 'attempt')}, {when}: {error}")
    print(f"\n{counted(saved, 'saved session')} with reminders; {counted(channels, 'announcement channel')}.")
    print(due_lines(CatalogStore(db), coming))
    return 0


def due_lines(catalogs: CatalogStore, coming: list[DueNext]) -> str:
    """Each due time in its conference's own zone, as the people reminded read the session's time."""
    if not coming:
        return "Nothing is due next: no saved session starts later."
    lines = ["Due next:"]
    for d in coming:
        conf = catalogs.conference(d.conference)
        at = (local_time(d.at, conf.timezone) if conf and conf.timezone else None) or d.at
        session = catalogs.session(d.conference, d.session_id)
        title = shown(one_line(session.title), 60) if session else d.session_id
        people = f"{d.people} {'person' if d.people == 1 else 'people'}"
        lines.append(f"  {at:%Y-%m-%d %H:%M} {offset_name(at)}  {d.conference}: {title!r}, for {people}")
    return "\n".join(lines)


def _status_now(given: str | None, store: CatalogStore) -> datetime:
    """A --now without an offset is wall time at the conference running then (else the next, else the most
    recent), as `search` and `chat` read it; which zone is said on standard error."""
    if not given:
        return SystemClock().now()
    try:
        now = parse_moment(given)
    except ValueError as exc:
        raise CatalogError(f"--now {exc}") from exc
    if datetime.fromisoformat(given.strip().replace("Z", "+00:00")).tzinfo is not None:
        return now
    picked = by_calendar(store.conferences(), now, store.activity)
    conf = picked[0] if picked else None
    print(zone_said(given, conf), file=sys.stderr)
    return local_now(given, conf)


def add_now_option(parser: argparse.ArgumentParser) -> None:
    """On `reminders` and on `reminders status` alike; SUPPRESS keeps the one given before the subcommand."""
    parser.add_argument(
        "--now",
        metavar="ISO8601",
        default=argparse.SUPPRESS,
        help="count what is due from this moment (default: now; without an offset, wall time at the conference "
        "running then)",
    )


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2
