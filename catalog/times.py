"""Reading times from schedules: every stored time is timezone-aware, or the import stops and says why."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from catalog.errors import CatalogError, WholeFileError
from catalog.text import shown

TIMEZONE_HINT = (
    "pass --timezone ZONE (for example --timezone Europe/Brussels) or set timezone under [catalog] in the config"
)
_EXAMPLE = "--timezone ZONE (for example --timezone Europe/Brussels)"


@lru_cache(maxsize=1)
def _zones_by_city() -> dict[str, str]:
    """'london' -> 'Europe/London', 'new york' -> 'America/New_York': the cities the IANA names are called after."""
    found: dict[str, str] = {}
    for name in sorted(available_timezones()):
        area, _, city = name.rpartition("/")
        if area.split("/")[0] in _CONTINENTS and city:
            found.setdefault(city.replace("_", " ").lower(), name)
    return found


_CONTINENTS = frozenset(
    {"Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific"}
)


def zone_named_in(name: str) -> str | None:
    """The zone whose city a schedule's file or address names ('droidcon-london-2024' -> Europe/London); None
    unless exactly one city is named."""
    words = " ".join(re.split(r"[^a-z]+", name.lower()))
    cities = {zone for city, zone in _zones_by_city().items() if re.search(rf"\b{re.escape(city)}\b", words)}
    return cities.pop() if len(cities) == 1 else None


def with_zone_guess(message: str, name: str) -> str:
    """The missing-zone hint with the zone the schedule's name suggests, instead of an example from elsewhere."""
    guess = zone_named_in(name)
    if guess is None or _EXAMPLE not in message:
        return message
    city = guess.rpartition("/")[2].replace("_", " ")
    return message.replace(_EXAMPLE, f"--timezone {guess} (if it takes place in {city}, as its name suggests)")


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError, UnicodeError) as exc:
        raise WholeFileError(f"unknown time zone {quoted(name)}: use an IANA name such as Europe/Brussels") from exc


FIRST_YEAR, LAST_YEAR = 1970, 2200
MAX_DURATION = timedelta(days=7)


def quoted(text: str, limit: int = 40) -> str:
    """A value from the file, shortened, for an error message that must stay one readable line."""
    return repr(shown(text, limit))


def parse_datetime(text: str, tz: tzinfo | None, where: str) -> datetime:
    """Parse ISO 8601; a naive value takes `tz`, and without one the import cannot place the session in time."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise CatalogError(f"{where}: {quoted(text)} is not a date and time") from exc
    if value.tzinfo is None:
        if tz is None:
            raise WholeFileError(f"{where}: times carry no time zone; {TIMEZONE_HINT}")
        value = value.replace(tzinfo=tz)
    return sane_time(value, where)


def sane_time(value: datetime, where: str) -> datetime:
    """Years outside 1970..2200 are typos or attacks; they would overflow the moment anyone converts them to UTC."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise CatalogError(f"{where}: the year {value.year} is outside {FIRST_YEAR}..{LAST_YEAR}")
    return value


def sane_duration(value: timedelta, where: str) -> timedelta:
    if value < timedelta(0) or value > MAX_DURATION:
        raise CatalogError(f"{where}: a duration of {_days(value)} is negative or longer than 7 days")
    return value


def _days(value: timedelta) -> str:
    return f"{value.days:,} days" if abs(value.days) >= 1 else f"{value.total_seconds() / 60:.0f} minutes"


_DURATION = re.compile(r"^\s*(?:(\d{1,12}):)?(\d{1,12}):(\d{2})(?::(\d{2}))?\s*$")


def parse_duration(text: str, where: str) -> timedelta:
    """frab writes durations as HH:MM, sometimes HH:MM:SS or D:HH:MM."""
    match = _DURATION.match(text or "")
    if not match:
        raise CatalogError(f"{where}: {quoted(text)} is not a duration like 01:30")
    days, first, second, third = match.groups()
    if third is not None and days is None:
        seconds = int(first) * 3600 + int(second) * 60 + int(third)
    else:
        seconds = int(days or 0) * 86400 + int(first) * 3600 + int(second) * 60
    return sane_seconds(seconds, where)


def sane_seconds(seconds: int, where: str) -> timedelta:
    """Checked as a number first: a million days would overflow before a timedelta could be compared."""
    if seconds > MAX_DURATION.total_seconds():
        raise CatalogError(f"{where}: a duration of {seconds / 86400:,.0f} days is longer than 7 days")
    return sane_duration(timedelta(seconds=seconds), where)


_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2}):?(\d{2})$")


def tz_from_name(name: str) -> tzinfo:
    """A conference zone is an IANA name, or a fixed offset such as +01:00 when the source gave only offsets."""
    match = _OFFSET.match(name.strip())
    if match:
        from datetime import timezone as _tz

        sign, hours, minutes = match.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes))
        if delta >= timedelta(hours=24):
            raise WholeFileError(f"time zone offset {quoted(name)} is 24 hours or more: use an IANA name")
        return _tz(-delta if sign == "-" else delta)
    return zone(name)


def offset_name(value: datetime) -> str:
    """The fixed-offset name for a time whose source named no zone, e.g. '+01:00'."""
    offset = value.utcoffset() or timedelta(0)
    total = int(offset.total_seconds() // 60)
    sign = "-" if total < 0 else "+"
    return f"{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"


def is_offset(name: str) -> bool:
    """A zone stored as '+02:00' knows no daylight-saving change and no place: worth saying so where it is shown."""
    return bool(_OFFSET.match(name.strip()))


def local_time(value: datetime | None, zone_name: str) -> datetime | None:
    """A stored time in the conference's zone, so its date is the day people there lived it."""
    if value is None or not zone_name:
        return value
    try:
        return value.astimezone(tz_from_name(zone_name))
    except CatalogError:
        return value
