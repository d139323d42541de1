"""Which conference a conversation is about, when the store holds several.

Answers mixing five conferences are wrong answers, so every request is scoped to one. The order follows how
deliberate a choice was: `--conference` at start-up, then an admin's choice for the channel, the person's own
choice, an admin's choice for the whole workspace, `[bot] conference` in the config, and only then the
calendar: the conference running now, else the next to start, else the most recent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from bot.search.text import compact
from catalog.model import Conference
from catalog.times import tz_from_name

# How each kind of choice is described to the person, and whether a person's own choice may override it.
PINNED = frozenset({"explicit", "channel"})
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_JOINERS = frozenset({"at", "in", "from", "for", "of"})


@dataclass(frozen=True)
class Scope:
    """The conference a request is about, and why (so a reply can say how to change it)."""

    slug: str
    source: str  # explicit, channel, personal, workspace, config, running, next, recent, only, asked
    label: str
    several: bool  # the store has more than one conference: replies say which one they are about

    @property
    def pinned(self) -> bool:
        return self.source in PINNED


def label(conf: Conference) -> str:
    """'FOSDEM 2026', 'DebConf 23', '38C3 (2024)': short, with the year, so two editions never look alike."""
    title = " ".join(conf.title.split()) or conf.slug
    if conf.start is None or _YEAR.search(title):
        return title
    year = conf.start.year
    if re.search(rf"\b{year % 100:02d}\b", title):
        return title
    return f"{title} ({year})"


def _keys(conf: Conference) -> set[str]:
    """Names that stand for exactly this conference: its slug, its title, its label, with or without spaces."""
    keys = {compact(conf.slug), compact(conf.title), compact(label(conf)), compact(conf.slug.replace("-", " "))}
    year = str(conf.start.year) if conf.start else ""
    stem = conf.slug.split("-")[0]
    if year and stem and any(ch.isalpha() for ch in stem):
        keys.add(compact(stem) + year)
    return {k for k in keys if k}


def family(conf: Conference) -> str:
    """The series a conference belongs to ('fosdem' for fosdem-2025 and fosdem-2026), when the slug says so."""
    stem = compact(re.sub(r"[-_]?\d+$", "", conf.slug.split("-")[0]))
    return stem if len(stem) >= 5 and stem.isalpha() else ""  # 'camp' or 'lca' alone are words, not names


def today_in(conf: Conference, now: datetime) -> date:
    zone = tz_from_name(conf.timezone) if conf.timezone else now.tzinfo
    return now.astimezone(zone).date()


# For each conference, how many sessions run at a moment and how many it has (CatalogStore.activity).
Activity = Callable[[list[str], datetime], Mapping[str, tuple[int, int]]]


def by_calendar(
    conferences: list[Conference], now: datetime, activity: Activity | None = None
) -> tuple[Conference, str] | None:
    """The one running now, else the next to start, else the most recent; conferences without dates last.

    Several running (or starting next on the same day) are told apart by `activity`: the one with sessions on at
    this moment, then the one with the most sessions. A one-talk side event on the days of a congress of a
    thousand is not what 'what's next' is about; without `activity` the latest to start wins, as before."""
    dated = [c for c in conferences if c.start is not None]
    running = [c for c in dated if c.start and c.start <= today_in(c, now) <= (c.end or c.start)]
    if running:
        busy = _busiest(running, now, activity)
        return max(running, key=lambda c: (busy.get(c.slug, (0, 0)), c.start, c.slug)), "running"
    upcoming = [c for c in dated if c.start and c.start > today_in(c, now)]
    if upcoming:
        first = min(c.start for c in upcoming if c.start)
        tied = sorted((c for c in upcoming if c.start == first), key=lambda c: c.slug)
        busy = _busiest(tied, now, activity)
        return max(tied, key=lambda c: (busy.get(c.slug, (0, 0))[1], -tied.index(c))), "next"
    if dated:
        return max(dated, key=lambda c: (c.end or c.start, c.slug)), "recent"
    return (conferences[-1], "recent") if conferences else None


def _busiest(tied: list[Conference], now: datetime, activity: Activity | None) -> Mapping[str, tuple[int, int]]:
    """Asked only when there is a tie to break, so the usual single answer costs no query."""
    return activity([c.slug for c in tied], now) if activity is not None and len(tied) > 1 else {}


def named(conferences: list[Conference], text: str, now: datetime) -> Conference | None:
    """The conference a phrase names ('38c3', 'fosdem 2025', 'FOSDEM'); a series name picks by the calendar."""
    key = compact(text)
    if not key:
        return None
    exact = [c for c in conferences if key in _keys(c)]
    if len(exact) == 1:
        return exact[0]
    series = [c for c in conferences if family(c) == key] or exact
    if series:
        chosen = by_calendar(series, now)
        return chosen[0] if chosen else None
    return None


def split_named(conferences: list[Conference], text: str, now: datetime) -> tuple[Conference | None, str]:
    """'fosdem 2025 talks on rust' or 'rust at 38c3': the conference named, and the question without it."""
    if len(conferences) < 2:
        return None, text
    from bot.scope_names import named_in_question  # it builds on this module

    found, asked = named_in_question(conferences, text, now)
    if found is not None:
        return found, asked
    parts = text.split()
    for size in (3, 2, 1):
        if len(parts) > size:
            named_first = named(conferences, " ".join(parts[:size]), now)
            if named_first is not None:
                return named_first, " ".join(parts[size:])
            named_last = named(conferences, " ".join(parts[-size:]), now)
            if named_last is not None:
                rest = parts[:-size]
                if rest and rest[-1].lower() in _JOINERS:
                    rest = rest[:-1]
                if rest:
                    return named_last, " ".join(rest)
    return None, text


LONGEST_NAMED = 3  # words in a conference's name said inside a question: 'data ai summit'


def named_within(conferences: list[Conference], text: str, now: datetime) -> Conference | None:
    """'when does fosdem 2025 start?': the conference named anywhere in a line, the longest name first.

    For questions whose other words are all known to say no topic (the hours): anywhere else a word in the middle
    of a question may be a topic that happens to be a conference's name."""
    parts = [p.strip("?!.,;:…") for p in text.split()]
    for size in range(min(LONGEST_NAMED, len(parts)), 0, -1):
        for start in range(len(parts) - size + 1):
            conf = named(conferences, " ".join(parts[start : start + size]), now)
            if conf is not None:
                return conf
    return None


def missing_edition(conferences: list[Conference], text: str) -> str:
    """'rust at fosdem 2019' when only FOSDEM 2025 and 2026 are loaded: a line saying so and how to ask the ones
    there are, else ''. Without it the year was searched as a word of the question, in the wrong conference."""
    parts = text.split()
    for i in range(len(parts) - 1):
        series, year = compact(parts[i]), compact(parts[i + 1])
        if not (year.isdecimal() and len(year) in (2, 4)) or series in _JOINERS:
            continue
        editions = sorted((c for c in conferences if family(c) == series), key=lambda c: (c.start is None, c.start))
        if editions and not any(year in _keys(c) or series + year in _keys(c) for c in editions):
            rest = " ".join(p for p in parts[:i] + parts[i + 2 :] if compact(p) not in _JOINERS) or "rust"
            there = ", ".join(label(c) for c in editions)
            return (
                f"{parts[i]} {parts[i + 1]} is not in this store; it has {there}. "
                f"Ask '{rest} at {editions[-1].slug}', or an admin can import that edition."
            )
    return ""
