"""iCalendar (RFC 5545) as schedule tools export it: one VEVENT a session, speakers often only in DESCRIPTION."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from icalendar import Calendar

from catalog.errors import CatalogError, WholeFileError
from catalog.formats.common import (
    SHAPE_ERRORS,
    ReadOptions,
    date_range,
    in_zone,
    read_each,
    slugify,
    speakers_from_names,
    split_list,
    title_from_stem,
)
from catalog.model import Catalog, Conference, Session, Speaker
from catalog.text import one_line, plain_text, shown
from catalog.times import TIMEZONE_HINT, quoted, sane_duration, sane_time, tz_from_name

# Folding may cut a UTF-8 character in two, so lines are joined as bytes before any decoding.
# Some exporters also write a stray CR before the CRLF.
_FOLD = re.compile(rb"\r*\n[ \t]")
_CR_BEFORE_LF = re.compile(rb"\r+\n")
_SPEAKER_LINE = re.compile(
    r"^\s*(?:speakers?|presenters?|presented by|hosts?|intervenants?|orateurs?|referent(?:en|in)?)\s*:\s*(.+)$",
    re.IGNORECASE,
)
_SPEAKER_HEADING = re.compile(r"^[\s*_#]*(?:speakers?|presenters?|intervenants?|orateurs?)[\s*_:#]*$", re.IGNORECASE)
_BULLET = re.compile(r"^\s*[*\-•]\s+(.+)$")
_NAME_SPLIT = re.compile(r"\s+(?:and|et|und|&)\s+|,\s*")
# 'Python's GIL (talk by Larry Hastings)': some site generators put the speaker in the summary.
_BY_IN_TITLE = re.compile(r"^(.*\S)\s*\((?:[\w-]+\s+)?(?:by|von|par|por)\s+([^()]+)\)$", re.IGNORECASE)
_ROLE_SPLIT = re.compile(r"\s+[–—-]\s+|,\s+")


def looks_like(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").upper().startswith(b"BEGIN:VCALENDAR")


def unfold(data: bytes) -> bytes:
    return _CR_BEFORE_LF.sub(b"\n", _FOLD.sub(b"", data))


def read(data: bytes, options: ReadOptions) -> Catalog:
    where = options.name
    try:
        text = unfold(data).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogError(f"{where}: iCalendar that is not UTF-8 text (byte {exc.start})") from exc
    try:
        calendar = Calendar.from_ical(text)
    except SHAPE_ERRORS as exc:
        first_line = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else type(exc).__name__
        raise CatalogError(f"{where}: malformed iCalendar ({first_line})") from exc
    try:
        zone_name = _zone_name(calendar) or options.timezone_name
        events = calendar.walk("VEVENT")
    except SHAPE_ERRORS as exc:
        raise CatalogError(f"{where}: malformed iCalendar ({type(exc).__name__} in its time zones)") from exc
    named = _safe_zone(zone_name)
    if named is None:
        # A zone name nobody can resolve must not be stored: every later reading of the time would fail.
        zone_name = options.timezone_name
    zone: tzinfo | None = named or options.timezone
    if not events and "END:VCALENDAR" not in text.upper():
        raise CatalogError(f"{where}: truncated iCalendar (no END:VCALENDAR)")
    sessions, problems = read_each(events, lambda event: _session(event, zone, where), where)
    first, last = date_range(sessions)
    title = one_line(_text(calendar.get("X-WR-CALNAME")) or _text(calendar.get("X-WR-CALDESC")))
    conference = Conference(
        slug=options.slug or slugify(options.stem or title),
        title=title or title_from_stem(options.stem),
        timezone=zone_name,
        start=first,
        end=last,
        source=where,
    )
    return Catalog(conference, tuple(sessions), tuple(problems))


def _text(value: Any) -> str:
    """A property as text; a property given twice arrives as a list, and then the first one counts."""
    if isinstance(value, list):
        value = value[0] if value else None
    return "" if value is None else str(value)


def _zone_name(calendar: Any) -> str:
    name = _text(calendar.get("X-WR-TIMEZONE")).strip()
    if not name:
        name = next((_text(tz.get("TZID")) for tz in calendar.walk("VTIMEZONE") if tz.get("TZID")), "")
    return name.strip() or _first_tzid(calendar)


def _first_tzid(calendar: Any) -> str:
    for event in calendar.walk("VEVENT"):
        prop = event.get("DTSTART")
        if prop is not None and not isinstance(prop, list) and prop.params.get("TZID"):
            return str(prop.params["TZID"])
    return ""


def _safe_zone(name: str) -> tzinfo | None:
    if not name:
        return None
    try:
        return tz_from_name(name)
    except CatalogError:
        return None


def _when(event: Any, key: str, zone: tzinfo | None, label: str) -> datetime | None:
    prop = event.get(key)
    if prop is None:
        return None
    try:
        value = getattr(prop, "dt", None)
    except ValueError as exc:
        raise CatalogError(f"{label}: {key} {quoted(str(prop))} is not a date and time") from exc
    if isinstance(value, datetime):
        if value.tzinfo is None:
            if zone is None:
                raise WholeFileError(f"{label}: floating times without a time zone; {TIMEZONE_HINT}")
            value = value.replace(tzinfo=zone)
        return in_zone(sane_time(value, label), zone)
    if isinstance(value, date):
        if zone is None:
            raise WholeFileError(f"{label}: all-day events without a time zone; {TIMEZONE_HINT}")
        return sane_time(datetime(value.year, value.month, value.day, tzinfo=zone), label)
    if value is None or isinstance(prop, list):
        raise CatalogError(f"{label}: {key} is not a date and time")
    return None


def _session(event: Any, zone: tzinfo | None, where: str) -> Session:
    uid = one_line(_text(event.get("UID")))
    label = f"{where}: event {shown(uid) or '?'}"
    if not uid:
        raise CatalogError(f"{label} has no UID")
    start = _when(event, "DTSTART", zone, label)
    end = _when(event, "DTEND", zone, label)
    if end is None and start is not None and event.get("DURATION") is not None:
        try:
            duration = getattr(event.get("DURATION"), "dt", None)
        except ValueError:
            duration = None
        if not isinstance(duration, timedelta):
            raise CatalogError(f"{label}: DURATION is not a duration like PT45M")
        end = start + sane_duration(duration, label)
    description, speakers = _speakers_from_description(plain_text(_text(event.get("DESCRIPTION"))))
    if not speakers:
        speakers = _named(event, "ATTENDEE") or _named(event, "ORGANIZER")
    title = one_line(_text(event.get("SUMMARY")))
    by = _BY_IN_TITLE.match(title) if not speakers else None
    if by:
        title, speakers = by[1], tuple(Speaker(name=n) for n in _names(by[2]))
    categories = _categories(event)
    return Session(
        id=uid,
        title=title,
        abstract=description,
        track=categories[0] if categories else "",
        tags=tuple(categories[1:]),
        room=one_line(_text(event.get("LOCATION"))),
        start=start,
        end=end,
        speakers=speakers,
        url=_text(event.get("URL")).strip(),
    )


def _named(event: Any, key: str) -> tuple[Speaker, ...]:
    """Speakers as ATTENDEE or ORGANIZER common names. `CN=A, B` arrives from the icalendar library as a list,
    a quoted `CN="A, B"` as one text; either way each name is its own speaker."""
    raw = event.get(key)
    names: list[str] = []
    for prop in raw if isinstance(raw, list) else [raw] if raw is not None else []:
        params = getattr(prop, "params", None) or {}
        if str(params.get("ROLE", "")).upper() == "NON-PARTICIPANT":
            continue
        common = params.get("CN")
        for value in common if isinstance(common, list) else [common] if common else []:
            names.extend(n for n in (one_line(x) for x in str(value).split(",")) if n)
    return speakers_from_names(names)


def _categories(event: Any) -> list[str]:
    found: list[str] = []
    raw = event.get("CATEGORIES")
    for prop in raw if isinstance(raw, list) else [raw] if raw is not None else []:
        cats = getattr(prop, "cats", None)
        found.extend(one_line(str(c)) for c in (cats if cats is not None else split_list(str(prop))))
    return [c for c in dict.fromkeys(found) if c]


def _speakers_from_description(text: str) -> tuple[str, tuple[Speaker, ...]]:
    """Find 'Speaker: A and B' lines, or a 'Speakers' heading followed by bullets; strip them from the text."""
    lines = text.split("\n")
    kept: list[str] = []
    speakers: list[Speaker] = []
    in_list = False
    for line in lines:
        plain = line.replace("*", "").replace("_", "")
        match = _SPEAKER_LINE.match(plain)
        if match:
            speakers.extend(Speaker(name=n) for n in _names(match.group(1)))
            in_list = False
            continue
        if _SPEAKER_HEADING.match(line):
            in_list = True
            continue
        bullet = _BULLET.match(line) if in_list else None
        if bullet:
            parts = _ROLE_SPLIT.split(bullet.group(1), maxsplit=1)
            name = parts[0].removeprefix("M. ").strip()
            if name:
                speakers.append(Speaker(name=name, company=parts[1].strip() if len(parts) > 1 else ""))
            continue
        if line.strip():
            in_list = False
        kept.append(line)
    unique = list({s.name.casefold(): s for s in speakers if s.name}.values())
    return "\n".join(kept).strip(), tuple(unique)


def _names(value: str) -> list[str]:
    return [one_line(n) for n in _NAME_SPLIT.split(value) if one_line(n)]
