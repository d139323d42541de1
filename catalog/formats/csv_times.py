"""Dates and times as people type them into spreadsheets: day or month first, two-digit years, 2:00 p.m.

A date such as 07/10/2018 means July or October depending on who wrote it. The order comes from the person
importing (--date-order), or from the file when its dates settle it (a 13 or more in one position), or from the
one reading that keeps all of a conference's days within two weeks. Otherwise the import stops and asks, since a
guess would put every session on the wrong day without anyone noticing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, tzinfo

from catalog.errors import CatalogError, WholeFileError
from catalog.times import TIMEZONE_HINT, quoted, sane_time

DATE_ORDERS = ("dmy", "mdy", "ymd")
DATE_ORDER_HINT = "pass --date-order dmy (day first), mdy (month first) or ymd"
# A conference's days fit in this span; a reading of the dates that spreads them wider is the wrong one.
_CONFERENCE_SPAN = timedelta(days=14)
_NUMERIC_DATE = re.compile(r"^(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})\.?$")
_CLOCK_24 = re.compile(r"^(\d{1,2})(?::(\d{2})(?::(\d{2}))?\s*(?:h|uhr)?|\s*h(\d{2})?|\s*uhr)$", re.IGNORECASE)
_CLOCK_12 = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?(?::(\d{2}))?\s*([ap])\.?\s*m\.?$", re.IGNORECASE)
_DAY_MONTH = re.compile(
    r"^(?P<day>\d{1,2})(?:st|nd|rd|th|er)?\.?\s*(?:de\s+)?(?P<month>[^\W\d_]+)\.?,?\s+(?:de\s+)?(?P<year>\d{4})$"
)
_MONTH_DAY = re.compile(r"^(?P<month>[^\W\d_]+)\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})$")
# 'Samstag, 27.12.2014', 'Sat 06/10/2018': the weekday adds nothing the date does not say.
_WEEKDAY = re.compile(r"^([^\W\d_]{2,12})\.?,?\s+(?=\w)")
# Month names and their usual short forms in English, German, French and Spanish, without accents.
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            "january jan januar janvier janv enero ene",
            "february feb februar fevrier fevr fev febrero",
            "march mar marz maerz mars marzo",
            "april apr avril avr abril abr",
            "may mai mayo",
            "june jun juni juin junio",
            "july jul juli juillet juil julio",
            "august aug aout agosto ago",
            "september sep sept septembre septiembre setiembre",
            "october oct oktober okt octobre octubre",
            "november nov novembre noviembre",
            "december dec dezember dez decembre diciembre dic",
        ],
        start=1,
    )
    for name in names.split()
}
# What organisers type for "not decided yet"; such a cell is empty, not an error.
PLACEHOLDERS = frozenset({"tbd", "tba", "tbc", "n/a", "na", "-", "--", "?", "offen", "à venir", "por determinar"})


def blank(text: str) -> bool:
    return not text.strip() or text.strip().casefold() in PLACEHOLDERS


def clock(text: str) -> time | None:
    """'14:30', '9:05:00', '14h30', '14 Uhr', '2pm', '2:00 p.m.'; None when it is no time of day."""
    value = text.strip()
    match = _CLOCK_12.match(value)
    if match:
        hour, minute, second, half = int(match[1]), int(match[2] or 0), int(match[3] or 0), match[4].lower()
        if hour > 12 or minute > 59 or second > 59:
            return None
        hour = hour % 12 + (12 if half == "p" else 0)
        return time(hour, minute, second)
    match = _CLOCK_24.match(value)
    if match:
        hour, minute, second = int(match[1]), int(match[2] or match[4] or 0), int(match[3] or 0)
        if hour > 23 or minute > 59 or second > 59:
            return None
        return time(hour, minute, second)
    return None


def date_parts(text: str) -> tuple[int, int, int, str] | None:
    """The three numbers of a written date and its separator, in the order written; a date whose order the
    writing settles (2025-06-10, 7 October 2018, Oct 7, 2018) comes as year, month, day with "fixed"."""
    value = text.strip()
    weekday = _WEEKDAY.match(value)
    if weekday and not _month(weekday[1]):
        value = value[weekday.end() :]
    match = _NUMERIC_DATE.match(value)
    if match:
        return int(match[1]), int(match[3]), int(match[4]), match[2] if len(match[1]) < 4 else "fixed"
    named = _DAY_MONTH.match(value) or _MONTH_DAY.match(value)
    if named and (month := _month(named["month"])):
        return int(named["year"]), month, int(named["day"]), "fixed"
    return None


def _month(word: str) -> int:
    folded = unicodedata.normalize("NFKD", word.rstrip(".,")).encode("ascii", "ignore").decode("ascii").lower()
    return _MONTHS.get(folded, 0)


def _year(value: int) -> int:
    return value if value >= 100 else (2000 + value if value < 70 else 1900 + value)


def as_date(parts: tuple[int, int, int, str], order: str) -> date | None:
    first, second, third, sep = parts
    if sep == "fixed" or order == "ymd":
        year, month, day = first, second, third
    elif order == "dmy":
        day, month, year = first, second, third
    else:
        month, day, year = first, second, third
    try:
        return date(_year(year), month, day)
    except ValueError:
        return None


def date_order(samples: Iterable[str], given: str, where: str) -> tuple[str, list[str]]:
    """The order to read the file's dates in, and a warning when it was worked out rather than given or certain."""
    if given:
        return given, []
    # 10.06.2025: dotted dates are day first wherever they are written (see read_date); slashes decide the rest.
    written = [(text, parts) for text in samples if (parts := date_parts(text)) and parts[3] not in ("fixed", ".")]
    if not written:
        return "dmy", []
    fits = {order: [as_date(parts, order) for _, parts in written] for order in ("dmy", "mdy")}
    possible = [order for order, days in fits.items() if all(days)]
    if len(possible) == 1 or (len(possible) == 2 and fits["dmy"] == fits["mdy"]):
        return possible[0], []  # one reading, or both the same (05/05/2025)
    if not possible:
        bad_dmy = next(text for (text, _), day in zip(written, fits["dmy"], strict=True) if day is None)
        bad_mdy = next(text for (text, _), day in zip(written, fits["mdy"], strict=True) if day is None)
        raise WholeFileError(
            f"{where}: {quoted(bad_dmy)} cannot be day first and {quoted(bad_mdy)} cannot be month first; "
            "write all dates the same way"
        )
    spans = {order: _span(days) for order, days in fits.items()}
    close = [order for order in ("dmy", "mdy") if spans[order] <= _CONFERENCE_SPAN]
    if len(close) == 1:
        example = written[0][0]
        shown_as = as_date(written[0][1], close[0])
        reading = "day first" if close[0] == "dmy" else "month first"
        return close[0], [
            f"read dates {reading} ({quoted(example)} as {shown_as}), the only order that keeps the conference "
            f"within two weeks; {DATE_ORDER_HINT} to say otherwise"
        ]
    raise WholeFileError(
        f"{where}: dates such as {quoted(written[0][0])} could be day or month first; {DATE_ORDER_HINT}"
    )


def _span(days: list[date | None]) -> timedelta:
    known = [d for d in days if d]
    return max(known) - min(known) if known else timedelta(0)


def read_date(text: str, order: str, label: str, dotted: str = "dmy") -> date:
    """`dotted` is the order for 10.06.2025-style dates: day first, unless the person importing said otherwise."""
    parts = date_parts(text)
    value = as_date(parts, dotted if parts and parts[3] == "." else order) if parts else None
    if value is None:
        raise CatalogError(f"{label}: date {quoted(text)} is not a date like 2025-06-10 or 10/06/2025")
    return value


def split_moment(text: str) -> tuple[str, str]:
    """'07/10/2018 11:00' -> ('07/10/2018', '11:00'), 'Sat 7 October 2018, 2:00 p.m.' likewise; a lone date or
    a lone time comes back in its place, anything else as the date, for the error to quote."""
    value = text.strip()
    if clock(value):
        return "", value
    if date_parts(value):
        return value, ""
    words = value.split()
    for cut in range(1, min(3, len(words) - 1) + 1):
        day, at = " ".join(words[:-cut]).rstrip(",").strip(), " ".join(words[-cut:])
        if clock(at) and date_parts(day):
            return day, at
    return value, ""


def moment(
    day_text: str, clock_text: str, order: str, zone: tzinfo | None, label: str, dotted: str = "dmy"
) -> datetime:
    """A date and a time of day, each checked on its own so an error quotes the cell the person wrote."""
    day = read_date(day_text, order, label, dotted)
    at = clock(clock_text) if clock_text.strip() else time(0)
    if at is None:
        raise CatalogError(f"{label}: time {quoted(clock_text)} is not a time of day like 14:30 or 2:30 pm")
    if zone is None:
        raise WholeFileError(f"{label}: times carry no time zone; {TIMEZONE_HINT}")
    return sane_time(datetime.combine(day, at, tzinfo=zone), label)
