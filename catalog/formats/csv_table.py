"""CSV with a header row: the spreadsheet every organiser ends up with, columns named however they like.

Column names are matched in csv_columns, dates and times read in csv_times. A CfP tool's export (it has a state
column) lists every submission; only those with a slot on the schedule are sessions, as in pretalx's talk list.
"""

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
from catalog.formats.csv_columns import column_map, fold
from catalog.formats.csv_times import (
    DATE_ORDERS,
    as_date,
    blank,
    clock,
    date_order,
    date_parts,
    moment,
    split_moment,
)
from catalog.model import Catalog, Session
from catalog.text import counted, one_line, plain_text, shown
from catalog.times import parse_datetime, quoted, sane_seconds

_DURATION = re.compile(
    r"^\s*(?:(\d{1,12})\s*h(?:ours?)?)?\s*(?:(\d{1,12})\s*(?:m|min|mins|minutes)?)?\s*$", re.IGNORECASE
)
_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")
_RANGE = re.compile(r"^(.+?\d.*?)\s*[-–—]\s*(\d.*)$")
_NOT_ON_PROGRAMME = {"submitted", "rejected", "declined", "withdrawn", "waitlist", "deleted", "draft"}
Cells = dict[str, str]


def looks_like(text: str) -> bool:
    """A first line with a delimiter: whether it names a title column is checked when reading, with a clear error."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    return any(sep in first for sep in ",;\t")


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
    entries: list[tuple[Cells, str]] = []
    not_on_programme = 0
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        _check_swallowed(row, delimiter, len(rows[0]), f"{where}: row {number} (line {lines[number - 1]})")
        if len(row) < len(rows[0]):
            warnings.append(f"row {number} has {len(row)} of {len(rows[0])} columns; the missing ones are empty")
        cell = {field: (row[index] if index < len(row) else "") for field, index in columns.items()}
        if fold(cell.get("state", "")) in _NOT_ON_PROGRAMME:
            not_on_programme += 1
            continue
        if not one_line(cell.get("title")) and one_line(cell.get("track")):
            # A session with a time and people but no title is still a session: its series names it.
            cell["title"] = cell["track"]
            column = shown(rows[0][columns["track"]].strip(), 30)
            warnings.append(f"row {number} has no title; named it after its {column} {shown(cell['title'], 40)!r}")
        entries.append((_with_range(cell), f"{where}: row {number}"))
    samples = [part for cell, _ in entries for part in _date_texts(cell)]
    order, notes = date_order(samples, options.date_order, where)
    orders = (order, options.date_order or "dmy")
    unread: list[str] = []
    sessions, problems = read_each(
        entries, lambda entry: _session(entry[0], orders, options.timezone, entry[1], unread), where
    )
    if not_on_programme:
        notes.append(f"{counted(not_on_programme, 'submission')} not accepted (by the state column) left out")
    if "state" in columns and any(s.start for s in sessions) and not all(s.start for s in sessions):
        untimed = sum(1 for s in sessions if not s.start)
        sessions = [s for s in sessions if s.start]
        notes.append(f"{counted(untimed, 'submission')} without a time slot, so not on the schedule, left out")
    if unread:
        warnings.append(_unread_dates(unread, rows[0][columns["date"]].strip()))
    return catalog_from_stem(sessions, options), notes + problems + warnings


def _unread_dates(cells: list[str], header: str) -> str:
    """One line for every date cell no reading makes a date of, so 'no time yet' is not all a person is told."""
    seen = list(dict.fromkeys(quoted(cell.strip()) for cell in cells))
    dates = f"the date {seen[0]}" if len(seen) == 1 else f"the dates {', '.join(seen[:3])}{'…' * (len(seen) > 3)}"
    verb, them = ("was", "it") if len(cells) == 1 else ("were", "they")
    return (
        f"{counted(len(cells), 'session')}: {dates} could not be read (column {shown(header, 30)}); "
        f"{them} {verb} imported without a time"
    )


def _unreadable_date(text: str) -> bool:
    parts = date_parts(text)
    return parts is None or all(as_date(parts, order) is None for order in DATE_ORDERS)


def _with_range(cell: Cells) -> Cells:
    """'09:00-09:45' or '2pm – 3pm' in the start column, with no end given: both ends in one cell."""
    match = _RANGE.match(cell.get("start", "").strip())
    if match and blank(cell.get("end", "")) and clock(match[2]):
        return {**cell, "start": match[1], "end": match[2]}
    return cell


def _date_texts(cell: Cells) -> list[str]:
    texts = (
        [cell.get("date", "").strip()] if not blank(cell.get("date", "")) and not blank(cell.get("start", "")) else []
    )
    for key in ("start", "end"):
        texts.append(split_moment(cell.get(key, ""))[0])
    return [t for t in texts if t]


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


def _session(cell: Cells, order: tuple[str, str], zone: tzinfo | None, label: str, unread: list[str]) -> Session:
    """`unread` gathers the date cells of sessions that have no start to read them with, when they are no date:
    such a session is still imported, without a time, but not without a word."""
    title = one_line(cell.get("title"))
    if not title:
        raise CatalogError(f"{label}: no title")
    day = "" if blank(cell.get("date", "")) else cell.get("date", "")
    if day and blank(cell.get("start", "")) and _unreadable_date(day):
        unread.append(day)
    start = _time(cell.get("start", ""), day, order, zone, label)
    end = _time(cell.get("end", ""), day or (start.date().isoformat() if start else ""), order, zone, label)
    if end is None and start is not None and not blank(cell.get("duration", "")):
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
        speakers=speakers_from_names(n for n in split_list(cell.get("speakers")) if not blank(n)),
        tags=tuple(dict.fromkeys(t for t in split_list(cell.get("tags")))),
        url=one_line(cell.get("url")),
        companies=tuple(c for c in (one_line(x) for x in (cell.get("companies") or "").split("\n")) if c),
    )


def _time(value: str, day: str, order: tuple[str, str], zone: tzinfo | None, label: str) -> datetime | None:
    """A start or end cell: a full ISO time, a date and time, or a time of day on the row's date.
    `order` is the order for slashed dates and the one for dotted dates."""
    if blank(value):
        return None
    written_day, written_clock = split_moment(value)
    if written_clock and not written_day:
        if not day.strip():
            raise CatalogError(f"{label}: time {quoted(value)} without a date column")
        return moment(day.strip(), written_clock, order[0], zone, label, order[1])
    if written_clock or date_parts(written_day):
        return moment(written_day, written_clock, order[0], zone, label, order[1])
    if day.strip() and not _iso_like(value):
        raise CatalogError(f"{label}: time {quoted(value)} is not a time of day like 14:30 or 2:30 pm")
    return parse_datetime(value, zone, label)


def _iso_like(text: str) -> bool:
    return bool(re.match(r"^\d{4}-\d{2}-\d{2}", text))


def _duration(value: str, label: str) -> timedelta:
    clock_match = _CLOCK.match(value)
    if clock_match:
        return timedelta(hours=int(clock_match.group(1)), minutes=int(clock_match.group(2)))
    match = _DURATION.match(value)
    if not match or not any(match.groups()):
        raise CatalogError(f"{label}: duration {quoted(value)} is not like 40, 40 min, 1h30 or 01:30")
    return sane_seconds(int(match.group(1) or 0) * 3600 + int(match.group(2) or 0) * 60, label)
