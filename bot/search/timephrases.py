"""Time words in a question ("tomorrow afternoon", "at 2pm", "day 2", "sunday morning") as a window.

A phrase is parsed once into a `TimeSpec`, then resolved per conference: "today" is read in that conference's
zone, relative to the clock's now. A conference day runs from 04:00 to 04:00, so a talk at 01:30 still belongs
to the evening before, as attendees of late-night events think of it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

DAY_BREAK = time(4, 0)
WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
    "tue": 1,
    "tues": 1,
    "wed": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "fri": 4,
    "mondays": 0,
    "tuesdays": 1,
    "wednesdays": 2,
    "thursdays": 3,
    "fridays": 4,
    "saturdays": 5,
    "sundays": 6,
}
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
}
# Parts of a day, as minutes after midnight; the evening runs past midnight to the day break.
PARTS = {
    "morning": (5 * 60, 12 * 60),
    "afternoon": (12 * 60, 18 * 60),
    "evening": (18 * 60, 28 * 60),
    "night": (18 * 60, 28 * 60),
    "lunch": (11 * 60 + 30, 14 * 60),
    "lunchtime": (11 * 60 + 30, 14 * 60),
}
_CLOCK = re.compile(r"^(\d{1,2})(?:[:h.](\d{2}))?(am|pm|h)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DAY_NUMBER = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?$")
MAX_CONFERENCE_DAY = 366  # beyond this "day N" names no conference, and date arithmetic would overflow
MONTH_NAMES = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# How people type 'now' in a hurry: 'whats on rn', 'rightnow', 'atm'.
NOW_WORDS = frozenset({"now", "currently", "rn", "rightnow", "atm"})
CLOCK_WORDS = ("at", "around", "from", "after", "before", "until", "till", "by")


@dataclass(frozen=True)
class TimeSpec:
    """What the person asked for, before it is placed on a particular conference's calendar."""

    label: str
    mode: str = "day"  # "now": running at now; "next": starting soon; "day": starting in the window; "at"
    day_kind: str = "offset"  # "offset" (from today), "weekday", "conference_day", "date"
    day_value: int | date = 0
    part: tuple[int, int] | None = None  # minutes after midnight
    clock: int | None = None  # minutes after midnight, for "at 2pm"
    ahead: tuple[int, int] | None = None  # minutes from now ("in 30 minutes", "later today": (0, until day break))
    problem: str = ""  # a time that cannot exist ("feb 30", "at 25:61"), said in words instead of searched


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime
    mode: str

    def admits(self, start: datetime | None, end: datetime | None) -> bool:
        if start is None:
            return False
        if self.mode == "now":
            return start <= self.start < (end or start + timedelta(minutes=30))
        if self.mode == "at":
            return start < self.end and (end or start + timedelta(minutes=30)) > self.start
        return self.start <= start < self.end


def _clock(word: str, next_word: str = "") -> int | None:
    """'2pm', '14:00', '14h', '9.30', '2' followed by 'pm' -> minutes after midnight."""
    if word in ("noon", "midday"):
        return 12 * 60
    if word == "midnight":
        return 24 * 60
    match = _CLOCK.match(word)
    if not match:
        return None
    hour, minute, suffix = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if suffix is None and next_word in ("am", "pm"):
        suffix = next_word
    if suffix is None and match.group(2) is None:
        return None  # a bare number is not a time ("day 2", "top 10")
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        return None
    if suffix == "pm" and hour < 12:
        hour += 12
    if suffix == "am" and hour == 12:
        hour = 0
    return hour * 60 + minute


def _impossible_clock(word: str, next_word: str, after_clock_word: bool) -> bool:
    """'25:61', '99pm', 'at 24:30': written as a time of day, but no clock shows it."""
    match = _CLOCK.match(word)
    if not match or _clock(word, next_word) is not None:
        return False
    looks_like_time = ":" in word or word.endswith(("am", "pm")) or next_word in ("am", "pm")
    return looks_like_time or (after_clock_word and (match.group(2) is not None or word.endswith("h")))


def _no_such_day(day: int, month: int, year: int | None = None) -> str:
    """Whether a day of a month exists (29 February counts when no year is given); the problem in words if not."""
    days = calendar.monthrange(year if year is not None else 2000, month)[1]
    if 1 <= day <= days:
        return ""
    return f"There is no {day} {MONTH_NAMES[month]}" + (f" {year}" if year is not None else "") + "."


def _date_problem(word: str, year: int, month: int, day: int) -> str:
    if not 1 <= month <= 12:
        return f"'{word}' is not a date: there is no month {month}. Write dates as 2026-03-28."
    return _no_such_day(day, month, year)


def _day_number_problem(word: str) -> str:
    """'day 0', 'day 99999999999999999999': the number of a conference day, counted from 1."""
    if len(word) <= 3 and 1 <= int(word) <= MAX_CONFERENCE_DAY:
        return ""
    shown = word if len(word) <= 12 else word[:12] + "…"
    return f"There is no day {shown} of a conference: say 'day 1', 'day 2' and so on."


def parse_time(words: list[str]) -> tuple[TimeSpec | None, list[int]]:
    """Find one time phrase in folded words; return it and the positions it used (to drop from the search).

    A bare number after 'at' is a time only beside a day or a part of one ('tomorrow at 11', 'saturday at 9',
    'morgen um 11'): alone it may be anything ('talks at 10 places'), so the words are read a second time with
    bare hours allowed once the first reading found a day.
    """
    spec, used, dated = _parse_time(words, None)
    if spec is not None and spec.clock is None and dated:
        again, again_used, _ = _parse_time(words, spec.part or (0, 28 * 60))
        if again is not None and again.clock is not None:
            return again, again_used
    return spec, used


def _bare_hour(word: str, part: tuple[int, int]) -> int | None:
    """'11' after 'at' beside a day -> 11:00; '3' -> 15:00, as talks are held by day; within a part of the day
    asked for ('this morning at 9', 'afternoon at 3') the hour that falls inside it."""
    if not word.isdigit() or len(word) > 2 or not 0 <= int(word) <= 24:
        return None
    hour = int(word)
    later = hour + 12 if 1 <= hour < 12 else None
    if part != (0, 28 * 60):
        if part[0] <= hour * 60 < part[1]:
            return hour * 60
        if later is not None and part[0] <= later * 60 < part[1]:
            return later * 60
    return (later if later is not None and hour < 8 else hour) * 60


def _parse_time(words: list[str], bare_hours: tuple[int, int] | None) -> tuple[TimeSpec | None, list[int], bool]:
    """The time phrase, the positions it used, and whether it names a day or a part of one. With `bare_hours`
    (the part of the day asked for, or all of it), 'at 11' reads as a time."""
    used: list[int] = []
    mode = "day"
    day_kind: str = "offset"
    day_value: int | date = 0
    has_day = False
    part: tuple[int, int] | None = None
    clock: int | None = None
    labels: list[str] = []
    problem = ""
    n = len(words)
    i = 0
    while i < n:
        w = words[i]
        nxt = words[i + 1] if i + 1 < n else ""
        nxt2 = words[i + 2] if i + 2 < n else ""
        prev = words[i - 1] if i > 0 else ""
        if _impossible_clock(w, nxt, prev in CLOCK_WORDS):
            span = 2 if nxt in ("am", "pm") and not w.endswith(("am", "pm")) else 1
            problem = problem or f"There is no {' '.join(words[i : i + span])} on a clock: say 'at 14:30' or 'at 2pm'."
            labels.append(" ".join(words[i : i + span]))
            used += list(range(i, i + span))
            i += span
            continue
        if w in NOW_WORDS or (w == "right" and nxt == "now") or (w, nxt, nxt2) == ("at", "the", "moment"):
            span = 2 if w == "right" else 3 if w == "at" else 1
            mode, labels = "now", labels + ["now"]
            used += list(range(i, i + span))
            i += span
            continue
        if w in ("next", "soon") or (w == "coming" and nxt == "up") or (w == "up" and nxt == "next"):
            span = 2 if w in ("coming", "up") else 1
            mode, labels = "next", labels + ["next"]
            used += list(range(i, i + span))
            i += span
            continue
        if w in ("today", "tonight", "tomorrow", "yesterday"):
            day_kind, day_value, has_day = "offset", {"today": 0, "tonight": 0, "tomorrow": 1, "yesterday": -1}[w], True
            if w == "tonight":
                part = PARTS["evening"]
            labels.append(w)
            used.append(i)
            i += 1
            continue
        if w in WEEKDAYS:
            day_kind, day_value, has_day = "weekday", WEEKDAYS[w], True
            labels.append(w.rstrip("s") if w.endswith("days") else w)
            used.append(i)
            i += 1
            continue
        if w == "day" and nxt.isdigit() and _day_number_problem(nxt):
            problem = problem or _day_number_problem(nxt)
            labels.append(f"day {nxt[:12]}")
            used += [i, i + 1]
            i += 2
            continue
        if w == "day" and (nxt.isdigit() or nxt in ORDINALS):
            day_kind, day_value, has_day = "conference_day", int(nxt) if nxt.isdigit() else ORDINALS[nxt], True
            labels.append(f"day {day_value}")
            used += [i, i + 1]
            i += 2
            continue
        if w in ORDINALS and nxt == "day":
            day_kind, day_value, has_day = "conference_day", ORDINALS[w], True
            labels.append(f"day {day_value}")
            used += [i, i + 1]
            i += 2
            continue
        if w == "last" and nxt == "day":
            day_kind, day_value, has_day = "conference_day", -1, True
            labels.append("last day")
            used += [i, i + 1]
            i += 2
            continue
        iso = _ISO_DATE.match(w)
        if iso:
            year, month, number = int(iso[1]), int(iso[2]), int(iso[3])
            wrong = _date_problem(w, year, month, number) if year >= 1 else f"There is no year 0: '{w}' is not a date."
            if wrong:
                problem = problem or wrong
            else:
                day_kind, day_value, has_day = "date", date(year, month, number), True
            labels.append(w)
            used.append(i)
            i += 1
            continue
        if w in MONTHS and _DAY_NUMBER.match(nxt) or _DAY_NUMBER.match(w) and nxt in MONTHS:
            month = MONTHS[w] if w in MONTHS else MONTHS[nxt]
            number = int((_DAY_NUMBER.match(nxt) or _DAY_NUMBER.match(w)).group(1))  # type: ignore[union-attr]
            wrong = _no_such_day(number, month)
            if wrong:
                problem = problem or wrong
            else:
                day_kind, day_value, has_day = "date", date(2000, month, number), True  # year set on resolve
            labels.append(f"{w} {nxt}")
            used += [i, i + 1]
            i += 2
            continue
        if w in ("this", "in", "the") and nxt in PARTS or w == "in" and nxt == "the" and nxt2 in PARTS:
            i += 1  # "this afternoon", "in the evening": the part word itself is handled next
            used.append(i - 1)
            continue
        if w in ("after", "before") and nxt in ("lunch", "lunchtime"):
            part = (13 * 60, 19 * 60) if w == "after" else (5 * 60, 12 * 60)
            labels.append(f"{w} lunch")
            used += [i, i + 1]
            i += 2
            continue
        if w in PARTS:
            part = PARTS[w]
            labels.append(w)
            used.append(i)
            i += 1
            continue
        bare = (
            _bare_hour(nxt, bare_hours) if bare_hours and w in ("at", "around") and nxt2 not in ("am", "pm") else None
        )
        if w in CLOCK_WORDS and (_clock(nxt, nxt2) is not None or bare is not None):
            minutes = _clock(nxt, nxt2)
            minutes = bare if minutes is None else minutes
            assert minutes is not None
            span = 3 if nxt2 in ("am", "pm") and not nxt.endswith(("am", "pm")) else 2
            if w in ("at", "around"):
                clock, mode = minutes, "at"
            elif w in ("after", "from"):
                part = (minutes, 28 * 60)
            else:
                part = (5 * 60, minutes if minutes > 5 * 60 else minutes + 24 * 60)  # "before 2am": that night
            labels.append(" ".join(words[i : i + span]))
            used += list(range(i, i + span))
            i += span
            continue
        minutes = _clock(w, nxt)
        if minutes is not None and (w[-2:] in ("am", "pm") or ":" in w or nxt in ("am", "pm") or w.endswith("h")):
            span = 2 if nxt in ("am", "pm") and not w.endswith(("am", "pm")) else 1
            clock, mode = minutes, "at"
            labels.append(" ".join(words[i : i + span]))
            used += list(range(i, i + span))
            i += span
            continue
        i += 1
    if not labels:
        return None, [], False
    if mode in ("now", "next") and (has_day or part or clock is not None):
        mode = "at" if clock is not None else "day"
    spec = TimeSpec(" ".join(labels), mode, day_kind, day_value, part, clock, problem=problem)
    return spec, used, has_day or part is not None


def conference_day(moment: datetime) -> date:
    """The conference day a moment belongs to: before the 04:00 break it is still the evening before."""
    return (moment - timedelta(hours=DAY_BREAK.hour, minutes=DAY_BREAK.minute)).date()


def resolve(
    spec: TimeSpec, now: datetime, zone: tzinfo, first_day: date | None = None, last_day: date | None = None
) -> Window | None:
    """Place a spec on one conference's calendar. None when it names no day of that conference.

    Dates at the edge of the calendar (9999-12-31, 0001-01-01) name no conference day either: the window
    around them cannot be computed, and that is an answer, not an error.
    """
    if spec.problem:
        return None
    try:
        return _resolve(spec, now, zone, first_day, last_day)
    except (OverflowError, ValueError):
        return None


def _resolve(
    spec: TimeSpec, now: datetime, zone: tzinfo, first_day: date | None, last_day: date | None
) -> Window | None:
    local_now = now.astimezone(zone)
    if spec.ahead is not None:
        return _ahead(spec.ahead, local_now)
    if spec.mode == "now":
        return Window(local_now, local_now, "now")
    if spec.mode == "next":
        return Window(local_now, local_now + timedelta(hours=3), "next")
    today = conference_day(local_now)
    day = _day(spec, today, first_day, last_day)
    if day is None:
        return None
    midnight = datetime.combine(day, time(0), tzinfo=zone)
    if spec.clock is not None:
        at = _at(midnight, spec.clock, zone)
        return Window(at, at + timedelta(hours=1), "at")
    lo, hi = spec.part or (DAY_BREAK.hour * 60, 24 * 60 + DAY_BREAK.hour * 60)
    return Window(_at(midnight, lo, zone), _at(midnight, hi, zone), "day")


def _at(midnight: datetime, minutes: int, zone: tzinfo) -> datetime:
    """Wall-clock minutes after a local midnight, correct across daylight-saving changes."""
    days, rest = divmod(minutes, 24 * 60)
    local = (midnight + timedelta(days=days)).replace(tzinfo=None) + timedelta(minutes=rest)
    return local.replace(tzinfo=zone)


def _day(spec: TimeSpec, today: date, first_day: date | None, last_day: date | None) -> date | None:
    if spec.day_kind == "offset":
        assert isinstance(spec.day_value, int)
        return today + timedelta(days=spec.day_value)
    if spec.day_kind == "weekday":
        assert isinstance(spec.day_value, int)
        if first_day and last_day:
            span = (last_day - first_day).days
            for k in range(span + 1):
                candidate = first_day + timedelta(days=k)
                if candidate.weekday() == spec.day_value:
                    return candidate
            return None
        return today + timedelta(days=(spec.day_value - today.weekday()) % 7)
    if spec.day_kind == "conference_day":
        assert isinstance(spec.day_value, int)
        if not first_day:
            return None
        if spec.day_value == -1:
            return last_day
        candidate = first_day + timedelta(days=spec.day_value - 1)
        return candidate if last_day is None or candidate <= last_day else None
    assert isinstance(spec.day_value, date)
    wanted = spec.day_value
    if wanted.year == 2000:  # "feb 1": the year of the conference, or of today
        year = (first_day or today).year
        try:
            wanted = wanted.replace(year=year)
        except ValueError:
            return None
    return wanted


# ------------------------------------------------------------------------------------ phrases relative to now
_UNITS = {
    "minute": 1,
    "minutes": 1,
    "min": 1,
    "mins": 1,
    "minuten": 1,
    "hour": 60,
    "hours": 60,
    "stunde": 60,
    "stunden": 60,
    "h": 60,
}
_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "einer": 1,
    "half": 30,
    "two": 2,
    "three": 3,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
}
UNTIL_DAY_BREAK = -1  # "later today": from now until the conference day ends


def parse_relative(words: list[str]) -> tuple[TimeSpec | None, list[int]]:
    """'in 30 minutes', 'in an hour', 'in half an hour', 'later today', 'later', 'in 2 stunden', 'gleich':
    windows measured from now, found before the calendar phrases."""
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        nxt2 = words[i + 2] if i + 2 < len(words) else ""
        if w == "later" and nxt in ("today", "tonight", ""):
            span = 2 if nxt else 1
            return TimeSpec(" ".join(words[i : i + span]), ahead=(0, UNTIL_DAY_BREAK)), list(range(i, i + span))
        if w in ("in", "within") and nxt == "half" and nxt2 in ("an", "a") and words[i + 3 : i + 4] == ["hour"]:
            return TimeSpec("in half an hour", ahead=(20, 45)), list(range(i, i + 4))
        if w in ("in", "within") and nxt in ("an", "a", "one", "einer") and nxt2 in ("hour", "stunde"):
            return TimeSpec(f"in an {nxt2}", ahead=(45, 90)), [i, i + 1, i + 2]
        if w in ("in", "within") and (nxt.isdigit() or nxt in _NUMBER_WORDS) and nxt2 in _UNITS:
            amount = int(nxt) if nxt.isdigit() else _NUMBER_WORDS[nxt]
            minutes = amount * _UNITS[nxt2]
            if not 0 < minutes <= 24 * 60:
                continue
            # "in 30 minutes": what starts around then, a little before to a little after.
            window = (0, minutes) if w == "within" else (max(0, minutes - 10), minutes + max(20, minutes // 2))
            return TimeSpec(f"{w} {nxt} {nxt2}", ahead=window), [i, i + 1, i + 2]
    return None, []


def _ahead(ahead: tuple[int, int], local_now: datetime) -> Window:
    lo, hi = ahead
    start = local_now + timedelta(minutes=lo)
    if hi == UNTIL_DAY_BREAK:
        day = conference_day(local_now)
        end = datetime.combine(day + timedelta(days=1), DAY_BREAK, tzinfo=local_now.tzinfo)
        return Window(start, max(end, start), "day")
    return Window(start, local_now + timedelta(minutes=hi), "day")
