"""`confbot import` and `confbot catalogs`: getting schedules in and seeing what is there."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from adapters.cli_output import import_json
from adapters.wiring import add_db_option, add_json_option, config_for, database_for, print_json, wants_json
from bot.store import CatalogStore
from catalog.diff import ScheduleDiff
from catalog.errors import CatalogError
from catalog.load import load
from catalog.model import Catalog, Session


def register(commands: Any) -> None:
    imp = commands.add_parser(
        "import",
        help="import a schedule (frab XML, schedule.json, Sessionize, iCalendar, CSV) from a file or URL",
        description="Import a schedule from a file, folder or http(s) URL; re-importing a slug reports what changed.",
    )
    imp.add_argument("source", metavar="PATH_OR_URL")
    add_db_option(imp)
    imp.add_argument("--name", metavar="SLUG", help="store under this slug (default: the source's acronym or name)")
    imp.add_argument("--timezone", metavar="TZ", help="zone for times that carry none, e.g. Europe/Brussels")
    imp.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="FIELD=HEADER",
        help="CSV: read FIELD (title, start, speakers, ...) from the column named HEADER; repeatable",
    )
    add_allow_private_option(imp)
    add_json_option(imp, "print what was imported (and what a re-import changed) as JSON")
    imp.set_defaults(handler=run_import)

    cats = commands.add_parser("catalogs", help="list the conferences in the store", description="List conferences.")
    add_db_option(cats)
    add_json_option(cats, "print a JSON list instead of a table")
    cats.set_defaults(handler=run_catalogs)


def add_allow_private_option(parser: Any) -> None:
    parser.add_argument(
        "--allow-private",
        action="store_true",
        help="let a URL (or its redirects) reach loopback and private addresses: only for a test server; "
        "remembered for sync",
    )


def _columns(values: list[str]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for value in values:
        field, sep, header = value.partition("=")
        if not sep or not field.strip() or not header.strip():
            raise CatalogError(f"--column {value!r}: write it as FIELD=HEADER, e.g. --column title='Session name'")
        pairs.append((field.strip(), header.strip()))
    return tuple(pairs)


def stats(sessions: list[Session] | tuple[Session, ...]) -> dict[str, Any]:
    starts = [s.start for s in sessions if s.start]
    return {
        "sessions": len(sessions),
        "speakers": len({p.name.casefold() for s in sessions for p in s.speakers}),
        "tracks": len({s.track for s in sessions if s.track}),
        "rooms": len({s.room for s in sessions if s.room}),
        "first_day": min(starts).date().isoformat() if starts else None,
        "last_day": max(starts).date().isoformat() if starts else None,
    }


def import_catalog(args: argparse.Namespace) -> tuple[Catalog, ScheduleDiff, bool]:
    config = config_for(args)
    columns = config.csv_columns + _columns(args.column)
    zone = args.timezone or config.timezone or None

    def read() -> Catalog:
        return load(args.source, timezone=zone, slug=args.name, csv_columns=columns, allow_private=args.allow_private)

    if sys.stderr.isatty():
        from rich.console import Console
        from rich.markup import escape

        with Console(stderr=True).status(f"Reading {escape(args.source[:200])} …"):
            catalog = read()
    else:
        catalog = read()
    store = CatalogStore(database_for(args, config))
    existed = store.conference(catalog.conference.slug) is not None
    changes = store.save(catalog)
    store.remember_import_options(catalog.conference.slug, zone, columns, allow_private=args.allow_private)
    return catalog, changes, existed


def run_import(args: argparse.Namespace) -> int:
    catalog, changes, existed = import_catalog(args)
    if wants_json(args):
        print_json(import_json(catalog, stats(catalog.sessions), changes, existed))
        return 0
    conf = catalog.conference
    figures = stats(catalog.sessions)
    days = f"{figures['first_day']} to {figures['last_day']}" if figures["first_day"] else "no times yet"
    print(f"Imported {conf.slug}: {conf.title}")
    print(
        f"  {figures['sessions']} sessions, {figures['speakers']} speakers, {figures['tracks']} tracks, "
        f"{figures['rooms']} rooms; {days}; time zone {conf.timezone or 'unknown'}"
    )
    if existed:
        print(f"  re-import: {changes.summary()}")
    for warning in catalog.warnings:
        print(f"  warning: {warning}")
    return 0


def run_catalogs(args: argparse.Namespace) -> int:
    store = CatalogStore(database_for(args, reads_only=True))
    entries = []
    for conf in store.conferences():
        figures = stats(store.sessions(conf.slug))
        entries.append(
            {
                "slug": conf.slug,
                "title": conf.title,
                "sessions": figures["sessions"],
                "speakers": figures["speakers"],
                "tracks": figures["tracks"],
                "rooms": figures["rooms"],
                "timezone": conf.timezone,
                "start": conf.start.isoformat() if conf.start else None,
                "end": conf.end.isoformat() if conf.end else None,
                "source": conf.source,
                "note": conf.note,
            }
        )
    if wants_json(args):
        print_json(entries)
        return 0
    if not entries:
        print("No conferences yet. Import one: confbot import PATH_OR_URL")
        return 0
    for e in entries:
        when = f"{e['start']} to {e['end']}" if e["start"] else "dates unknown"
        print(
            f"{e['slug']}: {e['title']} ({when}, {e['timezone'] or 'zone unknown'}): "
            f"{e['sessions']} sessions, {e['speakers']} speakers, {e['tracks']} tracks, {e['rooms']} rooms"
        )
    return 0
