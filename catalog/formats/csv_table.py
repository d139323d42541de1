"""CSV with a header row: the spreadsheet every organiser ends up with, columns named however they like."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta, tzinfo

from catalog.errors import CatalogError
from catalog.formats.common import (
    ReadOptions,
    catalog_from_stem,
    in_zone,
    read_each,
    slugify,
    speakers_from_names,
    split_list,
)
from catalog.model import Catalog, Session
from catalog.text import one_line, plain_text, shown
from catalog.times import parse_datetime, quoted, sane_seconds

# Header names seen in the wild for each field; matched after folding case, spaces and punctuation.
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "session id", "sessionid", "uid", "code", "talk id", "key"),
    "title": (
        "title",
        "session title",
        "session name",
        "talk title",
        "talk name",
        "name",
        "session",
        "talk",
        "summary",
    ),
    "subtitle": ("subtitle",),
    "track": ("track", "tracks", "category", "stream", "theme"),
    "speakers": ("speakers", "speaker", "presenters", "presenter", "authors", "author", "persons"),
    "start": ("start", "starts at", "start time", "begin", "from", "dtstart", "starts"),
    "end": ("end", "ends at", "end time", "until", "to", "dtend", "ends"),
    "date": ("date", "day"),
    "duration": ("duration", "length", "minutes"),
    "room": ("room", "location", "where", "venue", "stage", "hall"),
    "abstract": ("abstract", "description", "details", "synopsis"),
    "tags": ("tags", "keywords", "topics", "labels"),
    "level": ("level", "audience level", "difficulty"),
    "type": ("type", "format", "session type", "kind"),
    "language": ("language", "lang"),
    "url": ("url", "link", "website"),
    "companies": ("companies", "company", "organisations", "organizations", "affiliation"),
}
FIELDS = tuple(ALIASES)
_DURATION = re.compile(
    r"^\s*(?:(\d{1,12})\s*h(?:ours?)?)?\s*(?:(\d{1,12})\s*(?:m|min|mins|minutes)?)?\s*$", re.IGNORECASE
)
_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")


def _fold(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", header.casefold()).strip()


def looks_like(text: str) -> bool:
    """A first line with a delimiter: whether it names a title column is checked when reading, with a clear error."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    return any(sep in first for sep in ",;\t")


def _listing(headers: list[str]) -> str:
    listing = ", ".join(shown(h, 40) for h in headers[:12])
    return listing + (f" and {len(headers) - 12} more" if len(headers) > 12 else "")


def column_map(headers: list[str], overrides: tuple[tuple[str, str], ...], where: str) -> dict[str, int]:
    folded = [_fold(h) for h in headers]
    mapping: dict[str, int] = {}
    for field, header in overrides:
        if field not in ALIASES:
            raise CatalogError(f"{where}: unknown field {field!r} in column mapping; fields are {', '.join(FIELDS)}")
        if _fold(header) not in folded:
            raise CatalogError(f"{where}: no column named {header!r} (columns: {_listing(headers)})")
        mapping[field] = folded.index(_fold(header))
    for field, names in ALIASES.items():
        if field in mapping:
            continue
        for name in names:
            if _fold(name) in folded and folded.index(_fold(name)) not in mapping.values():
                mapping[field] = folded.index(_fold(name))
                break
    if "title" not in mapping:
        raise CatalogError(
            f"{where}: CSV without a title column; name one with --column title=HEADER (columns: {_listing(headers)})"
        )
    return mapping


def read(text: str, options: ReadOptions) -> tuple[Catalog, list[str]]:
    where = options.name
    text = text.lstrip("\ufeff")
    # The header line decides the delimiter: csv.Sniffer guesses wrong on long quoted abstracts.
    header = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)
    rows, lines = _rows(text, delimiter, where)
    if not rows:
        raise CatalogError(f"{where}: empty CSV")
    columns = column_map(rows[0], options.csv_columns, where)
    warnings: list[str] = []
    entries = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        _check_swallowed(row, delimiter, len(rows[0]), f"{where}: row {number} (line {lines[number - 1]})")
        if len(row) < len(rows[0]):
            warnings.append(f"row {number} has {len(row)} of {len(rows[0])} columns; the missing ones are empty")
        cell = {field: (row[index] if index < len(row) else "") for field, index in columns.items()}
        entries.append((cell, f"{where}: row {number}"))
    sessions, problems = read_each(entries, lambda entry: _session(entry[0], options.timezone, entry[1]), where)
    return catalog_from_stem(sessions, options), problems + warnings


def _rows(text: str, delimiter: str, where: str) -> tuple[list[list[str]], list[int]]:
    """Strict parsing: a stray quote otherwise turns the rest of the file into one cell without a word."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    begins = 1
    try:
        for row in reader:
            rows.append(row)
            lines.append(begins)
            begins = reader.line_num + 1
    except csv.Error as exc:
        place = f"{where}: row {len(rows) + 1} (line {begins})"
        if "field larger" in str(exc):
            raise CatalogError(f"{place}: a cell longer than {csv.field_size_limit():,} characters") from exc
        raise CatalogError(
            f"{place}: a quote is not closed where it should be ({exc}); fix or remove that quote"
        ) from exc
    return rows, lines


def _check_swallowed(row: list[str], delimiter: str, width: int, label: str) -> None:
    """A cell holding whole lines of delimited fields is rows swallowed by a quote that opens too early."""
    needed = max(2, width - 1)
    for cell in row:
        if "\n" in cell and any(line.count(delimiter) >= needed for line in cell.split("\n")[1:]):
            raise CatalogError(
                f"{label}: a quoted cell runs over the following lines as if they were text; "
                "check that row for a quote that is not closed"
            )


def _session(cell: dict[str, str], zone: tzinfo | None, label: str) -> Session:
    title = one_line(cell.get("title"))
    if not title:
        raise CatalogError(f"{label}: no title")
    start = _time(cell.get("start", ""), cell.get("date", ""), zone, label)
    end = _time(cell.get("end", ""), cell.get("date", "") or (start.date().isoformat() if start else ""), zone, label)
    if end is None and start is not None and cell.get("duration"):
        end = start + _duration(cell["duration"], label)
    if start and end and end < start:
        end += timedelta(days=1)
    return Session(
        id=one_line(cell.get("id")) or slugify(title),
        title=title,
        subtitle=one_line(cell.get("subtitle")),
        abstract=plain_text(cell.get("abstract")),
        track=one_line(cell.get("track")),
        type=one_line(cell.get("type")),
        language=one_line(cell.get("language")),
        level=one_line(cell.get("level")),
        room=one_line(cell.get("room")),
        start=in_zone(start, zone),
        end=in_zone(end, zone),
        speakers=speakers_from_names(split_list(cell.get("speakers"))),
        tags=tuple(dict.fromkeys(t for t in split_list(cell.get("tags")))),
        url=one_line(cell.get("url")),
        companies=tuple(c for c in (one_line(x) for x in (cell.get("companies") or "").split("\n")) if c),
    )


def _time(value: str, day: str, zone: tzinfo | None, label: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    if _CLOCK.match(value):
        if not day.strip():
            raise CatalogError(f"{label}: time {quoted(value)} without a date column")
        value = f"{day.strip()[:10]}T{value}"
    return parse_datetime(value, zone, label)


def _duration(value: str, label: str) -> timedelta:
    clock = _CLOCK.match(value)
    if clock:
        return timedelta(hours=int(clock.group(1)), minutes=int(clock.group(2)))
    match = _DURATION.match(value)
    if not match or not any(match.groups()):
        raise CatalogError(f"{label}: duration {quoted(value)} is not like 40, 40 min, 1h30 or 01:30")
    return sane_seconds(int(match.group(1) or 0) * 3600 + int(match.group(2) or 0) * 60, label)
