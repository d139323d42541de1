"""`confbot import` and `confbot catalogs`: getting schedules in and seeing what is there."""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any, BinaryIO

from adapters.cli_output import import_json
from adapters.wiring import (
    add_db_option,
    add_json_option,
    config_for,
    database_for,
    db_path_for,
    print_json,
    wants_json,
)
from bot.reimport import Imported, ImportOptions, save_import
from bot.removal import remove_conference
from bot.store import CatalogStore, open_database
from catalog.errors import CatalogError
from catalog.formats.csv_times import DATE_ORDERS
from catalog.load import DATE_ORDER_FIELD, load
from catalog.model import Catalog, Conference, Session
from catalog.text import counted, one_line, shown
from catalog.times import is_offset, local_time

MAX_TITLE = 200
_SLUG = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?")


def register(commands: Any) -> None:
    imp = commands.add_parser(
        "import",
        help="import a schedule (frab XML, schedule.json v1/v2, pretalx JSON or API, Sessionize, iCalendar, CSV) "
        "from a file, URL or standard input",
        description="Import a schedule from a file, folder or http(s) URL. Re-importing a slug reports what changed; "
        "like sync, it is refused unless --force when it would remove or blank more than 30% of the sessions.",
    )
    imp.add_argument("source", metavar="PATH_OR_URL", help="a file, a folder, an http(s) URL, or - for standard input")
    add_db_option(imp)
    imp.add_argument(
        "--name",
        metavar="SLUG",
        help="store under this slug of letters, digits and dashes (default: the source's acronym or name)",
    )
    imp.add_argument(
        "--title",
        metavar="TITLE",
        help="the conference's name as people say it, e.g. 'Data + AI Summit 2025' (default: the source's title, "
        "else one made from the file name); kept on later imports and syncs",
    )
    imp.add_argument("--timezone", metavar="TZ", help="zone for times that carry none, e.g. Europe/Brussels")
    imp.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="FIELD=HEADER",
        help="CSV: read FIELD (title, start, speakers, ...) from the column named HEADER; repeatable",
    )
    imp.add_argument(
        "--date-order",
        choices=DATE_ORDERS,
        metavar="dmy|mdy|ymd",
        help="CSV: read dates such as 07/10/2018 day first (dmy), month first (mdy) or year first (ymd); "
        "needed only when the file's dates leave it open; remembered for sync",
    )
    imp.add_argument(
        "--force",
        action="store_true",
        help="replace a stored conference of the same slug even when the new schedule would remove or blank more "
        "than 30%% of its sessions (and people's saved sessions with them)",
    )
    add_allow_private_option(imp)
    add_json_option(imp, "print what was imported (and what a re-import changed) as JSON")
    imp.set_defaults(handler=run_import)

    cats = commands.add_parser("catalogs", help="list the conferences in the store", description="List conferences.")
    add_db_option(cats)
    add_json_option(cats, "print a JSON list instead of a table")
    cats.set_defaults(handler=run_catalogs)

    rem = commands.add_parser(
        "remove",
        help="remove a conference (a broken or test import) and everything kept for it",
        description="Delete a conference, its sessions and everything kept for it (how it was imported, the sync "
        "guard's marks and log, channel and people's choices of it, its announcement routes, reminders not yet "
        "sent) in one transaction; a running bot stops listing it. Refused unless --force when people have saved "
        "sessions of it.",
    )
    rem.add_argument("slug", metavar="SLUG", help="the conference's slug, as 'confbot catalogs' lists it")
    add_db_option(rem)
    rem.add_argument(
        "--force", action="store_true", help="remove it even though people have saved sessions of it (those go too)"
    )
    rem.set_defaults(handler=run_remove)


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


def _slug(value: str | None) -> str | None:
    if value is None:
        return None
    if not _SLUG.fullmatch(value):
        raise CatalogError(
            f"--name {shown(value, 40)!r}: use only letters, digits and dashes (up to 64), e.g. --name pycon-2025"
        )
    return value


def _title(value: str | None) -> str:
    if value is None:
        return ""
    title = one_line(value)
    if not title or len(title) > MAX_TITLE:
        raise CatalogError(
            f"--title {shown(value, 40)!r}: give the conference's name in 1 to {MAX_TITLE} characters, "
            "e.g. --title 'Data + AI Summit 2025'"
        )
    return title


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


def conference_days(conf: Conference, sessions: Sequence[Session]) -> tuple[str | None, str | None]:
    """The days the source states for itself, else those its sessions fall on in the conference's own zone:
    one answer for `import` and `catalogs`, whatever zone the sessions were stored in."""
    figures = stats([replace(s, start=local_time(s.start, conf.timezone)) for s in sessions])
    first = conf.start.isoformat() if conf.start else figures["first_day"]
    last = conf.end.isoformat() if conf.end else figures["last_day"]
    return first, last


UTC_HINT = (
    "times are in UTC; if the conference is elsewhere, import again with --timezone Area/City so people see local times"
)


OFFSET_MARK = "*"
OFFSET_HINT = "only an offset: the file names no zone, --timezone Area/City names one"


def zone_shown(name: str) -> str:
    """A named zone as it is; an offset said to be one, and how to name the zone, since its clocks never change."""
    if is_offset(name):
        return f"{name}, {OFFSET_HINT}"
    return name


def zone_marked(name: str) -> str:
    """In a table, an offset gets a mark and the hint is said once below it, not on every row."""
    return f"{name}{OFFSET_MARK}" if is_offset(name) else name


def import_hints(catalog: Catalog) -> list[str]:
    """A schedule that gives every time in UTC and names no zone (many iCalendar exports) is stored as such, and
    people would read 08:30 for a talk at 09:30 in Bristol without anything saying why; only a person can say
    where the conference is."""
    starts = [s.start for s in catalog.sessions if s.start]
    utc_only = bool(starts) and all(start.utcoffset() == timedelta(0) for start in starts)
    return [UTC_HINT] if utc_only and not catalog.conference.timezone else []


def _stdin_bytes() -> BinaryIO:
    """Standard input as bytes (the readers detect the encoding); a text stream without one is encoded."""
    raw = getattr(sys.stdin, "buffer", None)
    return raw if raw is not None else io.BytesIO(sys.stdin.read().encode("utf-8"))


def import_catalog(args: argparse.Namespace) -> Imported:
    config = config_for(args)
    columns = config.csv_columns + _columns(args.column)
    if args.date_order:
        # Kept with the column mapping, so a sync of this file reads its dates the same way.
        columns = tuple(pair for pair in columns if pair[0] != DATE_ORDER_FIELD) + (
            (DATE_ORDER_FIELD, args.date_order),
        )
    zone = args.timezone or config.timezone or None
    slug = _slug(args.name)
    title = _title(args.title)

    def read(zone: str | None) -> Catalog:
        return load(
            args.source,
            timezone=zone,
            slug=slug,
            csv_columns=columns,
            allow_private=args.allow_private,
            stdin=_stdin_bytes() if args.source == "-" else None,
            title=title or "",
        )

    if sys.stderr.isatty():
        from rich.console import Console
        from rich.markup import escape

        with Console(stderr=True).status(f"Reading {escape(args.source[:200])} …"):
            catalog = read(zone)
    else:
        catalog = read(zone)
    store = CatalogStore(database_for(args, config))
    if zone is None and args.source != "-":
        # Imported before with --timezone: that zone holds until another is named, as it does for sync.
        named = store.import_options(catalog.conference.slug)[0]
        if named and named != catalog.conference.timezone:
            zone = named
            catalog = read(zone)
    options = ImportOptions(zone, columns, allow_private=args.allow_private, title=title)
    return save_import(store, catalog, options, force=args.force)


def run_import(args: argparse.Namespace) -> int:
    done = import_catalog(args)
    catalog, changes, existed = done.catalog, done.changes, done.existed
    hints = import_hints(catalog)
    if wants_json(args):
        before = done.zone_before if existed else None
        print_json(
            {
                **import_json(catalog, stats(catalog.sessions), changes, existed),
                "timezone_before": before,
                "hints": hints,
            }
        )
        return 0
    conf = catalog.conference
    figures = stats(catalog.sessions)
    first, last = conference_days(conf, catalog.sessions)
    days = f"{first} to {last}" if first else "no times yet"
    print(f"Imported {conf.slug}: {conf.title}")
    print(f"  {figures_line(figures)}; {days}; time zone {zone_shown(conf.timezone) or 'unknown'}")
    if existed:
        # Naming the zone moves no session (the same instants), yet it changes what 'today' and daylight saving
        # mean for the conference: a re-import that only did that is not 'no changes'.
        zone = (
            f"time zone {done.zone_before or 'unknown'} -> {conf.timezone or 'unknown'}; " if done.zone_changed else ""
        )
        print(f"  re-import: {zone}{changes.summary()}")
    for warning in catalog.warnings:
        print(f"  warning: {warning}")
    for hint in hints:
        print(f"  hint: {hint}")
    return 0


def run_catalogs(args: argparse.Namespace) -> int:
    store = CatalogStore(database_for(args, reads_only=True))
    entries = []
    for conf in store.conferences():
        sessions = store.sessions(conf.slug)
        figures = stats(sessions)
        first, last = conference_days(conf, sessions)
        entries.append(
            {
                "slug": conf.slug,
                "title": conf.title,
                "sessions": figures["sessions"],
                "speakers": figures["speakers"],
                "tracks": figures["tracks"],
                "rooms": figures["rooms"],
                "timezone": conf.timezone,
                "start": first,
                "end": last,
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
        print(f"{e['slug']}: {e['title']} ({when}, {zone_marked(e['timezone']) or 'zone unknown'}): {figures_line(e)}")
    if any(is_offset(e["timezone"]) for e in entries):
        print(
            f"\n{OFFSET_MARK} only an offset: the file names no zone, so clocks never change there; "
            "import it again with --timezone Area/City to name one."
        )
    return 0


def figures_line(figures: Mapping[str, Any]) -> str:
    """'883 sessions, 927 speakers, 62 tracks, 30 rooms', and '1 track' for one, as an import and 'catalogs' say it."""
    nouns = ("session", "speaker", "track", "room")
    return ", ".join(counted(int(figures[noun + "s"]), noun) for noun in nouns)


def run_remove(args: argparse.Namespace) -> int:
    # A mistyped --db must not leave an empty store behind: there is nothing to remove from one.
    store = CatalogStore(open_database(db_path_for(args), create=False))
    done = remove_conference(store, args.slug, force=args.force)
    print(done.summary())
    return 0
