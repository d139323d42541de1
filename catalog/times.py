"""Reading times from schedules: every stored time is timezone-aware, or the import stops and says why."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from catalog.errors import CatalogError

TIMEZONE_HINT = (
    "pass --timezone ZONE (for example --timezone Europe/Brussels) or set timezone under [catalog] in the config"
)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise CatalogError(f"unknown time zone {name!r}: use an IANA name such as Europe/Brussels") from exc


def parse_datetime(text: str, tz: tzinfo | None, where: str) -> datetime:
    """Parse ISO 8601; a naive value takes `tz`, and without one the import cannot place the session in time."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise CatalogError(f"{where}: {text!r} is not a date and time") from exc
    if value.tzinfo is None:
        if tz is None:
            raise CatalogError(f"{where}: times carry no time zone; {TIMEZONE_HINT}")
        value = value.replace(tzinfo=tz)
    return value


_DURATION = re.compile(r"^\s*(?:(\d+):)?(\d{1,3}):(\d{2})(?::(\d{2}))?\s*$")


def parse_duration(text: str, where: str) -> timedelta:
    """frab writes durations as HH:MM, sometimes HH:MM:SS or D:HH:MM."""
    match = _DURATION.match(text or "")
    if not match:
        raise CatalogError(f"{where}: {text!r} is not a duration like 01:30")
    days, first, second, third = match.groups()
    if third is not None and days is None:
        return timedelta(hours=int(first), minutes=int(second), seconds=int(third))
    return timedelta(days=int(days or 0), hours=int(first), minutes=int(second))


_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2}):?(\d{2})$")


def tz_from_name(name: str) -> tzinfo:
    """A conference zone is an IANA name, or a fixed offset such as +01:00 when the source gave only offsets."""
    match = _OFFSET.match(name.strip())
    if match:
        from datetime import timezone as _tz

        sign, hours, minutes = match.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes))
        return _tz(-delta if sign == "-" else delta)
    return zone(name)


def offset_name(value: datetime) -> str:
    """The fixed-offset name for a time whose source named no zone, e.g. '+01:00'."""
    offset = value.utcoffset() or timedelta(0)
    total = int(offset.total_seconds() // 60)
    sign = "-" if total < 0 else "+"
    return f"{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"
