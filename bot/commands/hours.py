"""'hours': when a conference day starts and ends ("when does it start tomorrow?", "last talk today").

Asked as a search, these questions found sessions whose abstracts say 'start' or 'last'. What the person wants is
the day's first start and last end, which the schedule knows; so a question made only of such words (a when, a
start or an end, first or last, a day) is answered with them, and anything naming a topic stays a search.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta, tzinfo

from bot.commands.registry import command
from bot.commands.search import placeholder
from bot.context import Context
from bot.messages import Reply
from bot.scope import label, today_in
from bot.search.query import parse
from bot.search.text import fold
from bot.search.timephrases import resolve
from catalog.model import Conference, Session
from catalog.times import tz_from_name

# Sessions this long (a hackcenter, an info desk, an exhibition) are not when the talks start or end.
ALL_DAY = timedelta(hours=6)

_ASKING = r"(?:when|what time|at what time|how (?:late|early)|wann|um wie ?viel uhr|ab wann|bis wann)"
_START = (
    r"(?:start|starts|started|starting|begin|begins|beginning|open|opens|kick(?:s)? off|get going|anfangen|fangt|"
    r"fangen|beginnt|beginnen|startet|starten|los)"
)
_END = (
    r"(?:end|ends|ended|ending|finish|finishes|close|closes|wrap(?:s)? up|over|done|endet|enden|hort|horen|"
    r"aufhoren|schluss|zu ende|aus|vorbei)"
)
_EDGE = rf"(?:{_START}|{_END})"
_FIRST = r"(?:first|earliest|erste|ersten|erster|erstes)"
_LAST = r"(?:last|latest|final|letzte|letzten|letzter|letztes)"
_ORDINAL = rf"(?:{_FIRST}|{_LAST})"
_PIECE = r"(?:talk|talks|session|sessions|event|slot|vortrag|vortrage|programmpunkt)"
# Words that may stand beside those and change nothing: what "it" is, and the grammar around it.
_FILLER = frozenset(
    (
        "the a does do did will is are was it its things stuff everything day conference event talks sessions "
        "program programme schedule of on in at for here this today's tomorrow's whole "
        "es der die das den dem des tag konferenz programm vortrage sessions am an um ist sind geht gehen ganze "
        "heute's hours opening öffnungszeiten offnungszeiten"
    ).split()
)
# 'How late does it go' asks for the end with verbs that elsewhere are topics ('go', 'run'): only right there.
_HOW_LATE = (
    r"how (?:late|early) (?:does|do|will|is|are) (?:it|things|the talks|talks|the day|the conference) (?:go|run|last)"
)
_HOURS_WORDS = re.compile(
    rf"\b(?:{_HOW_LATE}|{_ASKING}|{_EDGE}|{_ORDINAL}|{_PIECE}|hours|opening hours|offnungszeiten)\b"
)


def asks_hours(text: str, names: frozenset[str] = frozenset()) -> bool:
    """Whether a line asks only when a day starts or ends: a when or a first/last, a start or an end, a day.

    'when does the rust talk start' names a topic ('rust'), so it stays a search that shows that talk's time.
    `names`: the words of the conferences' names ('when does fosdem start'), which name no topic either."""
    folded = " ".join(fold(text).replace("?", " ").replace("!", " ").replace(".", " ").replace(",", " ").split())
    asking = re.search(rf"\b{_ASKING}\b", folded) is not None
    edge = re.search(rf"\b(?:{_EDGE}|{_HOW_LATE})\b", folded) is not None
    ordinal = re.search(rf"\b{_ORDINAL}\s+(?:{_PIECE})\b", folded) is not None
    hours = re.search(r"\b(?:opening hours|offnungszeiten|hours)\b", folded) is not None
    if not ((asking and edge) or ordinal or hours):
        return False
    rest = _HOURS_WORDS.sub(" ", folded)
    spec = parse(rest)
    left = [w for w in spec.words if w not in _FILLER and w not in names]
    if left or spec.speaker or spec.track or spec.room or spec.excluded:
        return False
    # 'the first talk' alone is the first of a list just shown; with a day ('first talk tomorrow') it is the hours.
    return (asking and edge) or hours or spec.time is not None or " of the day" in folded


@command("hours", usage="hours [day]", aliases=("opening hours", "öffnungszeiten"))
def hours(ctx: Context, args: str) -> Reply:
    """When a day's first session starts and its last one ends.

    Also asked as "when does it start tomorrow?", "last talk today", "wann ist heute Schluss?"; naming the
    conference ("when does FOSDEM end?") gives every day."""
    slug = ctx.conference
    conf = ctx.conference_info(slug) if slug else None
    if slug is None or conf is None:
        return Reply("No schedule is loaded yet.")
    if not ctx.has_times():
        return ctx.no_times()
    days = _days(ctx.catalogs.sessions(slug), tz_from_name(conf.timezone) if conf.timezone else ctx.now().tzinfo)
    if not days:
        return ctx.no_times()
    text = ctx.incoming.text or args
    spec = parse(text).time
    today = today_in(conf, ctx.now())
    if spec is not None:
        zone = tz_from_name(conf.timezone) if conf.timezone else ctx.now().tzinfo
        assert zone is not None
        window = resolve(spec, ctx.now(), zone, conf.start, conf.end)
        if window is None:
            asked = (
                f"on {spec.label.capitalize() if spec.day_kind == 'weekday' else spec.label}"
                if spec.day_kind in ("weekday", "conference_day")
                else spec.label
            )
            return Reply(ctx.about_scope(f"{_span(conf, days)}; nothing is scheduled {asked}."))
        wanted = window.start.astimezone(zone).date()
        if wanted not in days:
            return Reply(ctx.about_scope(f"Nothing is scheduled on {_date(wanted)}: {_span(conf, days)}."))
        return Reply(ctx.about_scope(_day_line(ctx, slug, wanted, days[wanted])))
    if _names_conference(text, conf):  # 'when does fosdem end?': its days, not only today's
        return Reply(ctx.about_scope(f"{_lead(ctx, conf, days, text)} {_overview(ctx, slug, days)}"))
    if today in days:
        line = _day_line(ctx, slug, today, days[today])
        later = [d for d in days if d > today]
        last_end = max(s.end or s.start for s in _talks(days[today]) if s.start)
        if last_end <= ctx.now() and later:
            line += f" Today's sessions are over; {_day_line(ctx, slug, later[0], days[later[0]], lead=False)}"
        return Reply(ctx.about_scope(line))
    coming = [d for d in days if d > today]
    if coming and all(d > today for d in days):
        lead = _lead(ctx, conf, days, text) if _edge(text) else f"{label(conf)} starts on {_date(coming[0])}."
        return Reply(ctx.about_scope(f"{lead} {_overview(ctx, slug, days)}"))
    return Reply(ctx.about_scope(_overview(ctx, slug, days)))


def name_words(conferences: list[Conference]) -> frozenset[str]:
    """Every word of the loaded conferences' titles and slugs ('fosdem', '2026', 'lca')."""
    return frozenset(w for c in conferences for w in re.split(r"[^a-z0-9]+", fold(f"{c.title} {c.slug}")) if w)


def _names_conference(text: str, conf: Conference) -> bool:
    said = set(re.split(r"[^a-z0-9]+", fold(text)))
    own = name_words([conf]) - {"the", "of", "and"}
    return bool(said & (own | {"conference", "event", "konferenz", "veranstaltung"}))


def _days(sessions: list[Session], zone: tzinfo | None) -> dict[date, list[Session]]:
    """Sessions by the day they belong to. A day begins at the conference's quietest hour: at FOSDEM any hour of
    the night, at a congress whose music runs until seven the morning after, the hour when least starts (a
    midnight break would make 'tomorrow' begin with tonight's DJ set)."""
    timed = [s for s in sessions if s.start is not None and not placeholder(s)]
    local = [s.start.astimezone(zone) if zone is not None else s.start for s in timed if s.start is not None]
    starts = Counter(moment.hour for moment in local)
    quiet = min(range(24), key=lambda hour: (starts[hour], abs(hour - 5)))
    found: dict[date, list[Session]] = defaultdict(list)
    for session, moment in zip(timed, local, strict=True):
        found[(moment - timedelta(hours=quiet)).date()].append(session)
    return dict(sorted(found.items()))


def _talks(sessions: list[Session]) -> list[Session]:
    """The sessions that say when a day's programme runs: without those lasting most of the day, if any are left."""
    short = [s for s in sessions if s.start and (s.end is None or s.end - s.start < ALL_DAY)]
    return short or sessions


def _date(day: date) -> str:
    return day.strftime("%a %d %b")


def _span(conf: Conference, days: dict[date, list[Session]]) -> str:
    first, last = next(iter(days)), next(reversed(days))
    return f"{label(conf)} runs {_date(first)}" + (f" to {_date(last)}" if last != first else " only")


def _clock(ctx: Context, slug: str, moment: datetime, day: date | None = None) -> str:
    """'19:00', or '07:00 the next morning' for a day whose last session runs past midnight."""
    local = moment.astimezone(tz_from_name(ctx.zone_for(slug)))
    shown = local.strftime("%H:%M")
    if day is not None and local.date() > day:
        shown += " the next morning" if local.hour < 12 else f" on {_date(local.date())}"
    return shown


def _first_last(sessions: list[Session]) -> tuple[Session, Session]:
    """The session a day's programme starts with and the one it ends with."""
    talks = _talks(sessions)
    first = min(talks, key=lambda s: (s.start, s.title))
    last = max(talks, key=lambda s: (s.end or s.start, s.title))
    return first, last


def _edge(text: str) -> str:
    """'start' or 'end' when a question asks about one of them only ('when does 38c3 end?'), else ''."""
    folded = " ".join(re.sub(r"[^\w\s]", " ", fold(text)).split())
    start = re.search(rf"\b(?:{_START}|{_FIRST}|ab wann|how early)\b", folded) is not None
    end = re.search(rf"\b(?:{_END}|{_LAST}|bis wann|how late)\b", folded) is not None
    return "start" if start and not end else "end" if end and not start else ""


def _lead(ctx: Context, conf: Conference, days: dict[date, list[Session]], text: str) -> str:
    """'38C3 (2024) ends on Mon 30 Dec: the last session ends at 19:00 (…)': asked about its start or end, that
    day comes first, since a day-by-day line of a congress running through the night ('09:15–09:05 the next
    morning') does not say it at a glance; asked neither, the days it runs."""
    edge = _edge(text)
    if not edge:
        return f"{_span(conf, days)}."
    day = next(iter(days)) if edge == "start" else next(reversed(days))
    first, last = _first_last(days[day])
    session = first if edge == "start" else last
    moment = (session.start if edge == "start" else session.end or session.start) or ctx.now()
    past = moment <= ctx.now()
    verb = {("start", False): "starts", ("start", True): "started", ("end", False): "ends", ("end", True): "ended"}
    where = f" in {session.room}" if session.room else ""
    clock = _clock(ctx, conf.slug, moment, day if edge == "end" else None)
    return (
        f"{label(conf)} {verb[edge, past]} on {_date(day)}: the {'first' if edge == 'start' else 'last'} session "
        f"{verb[edge, past]} at {clock} (“{session.title}”{where})."
    )


def _day_line(ctx: Context, slug: str, day: date, sessions: list[Session], lead: bool = True) -> str:
    first, last = _first_last(sessions)
    assert first.start is not None and last.start is not None
    opening = f"On {_date(day)}" if lead else f"on {_date(day)}"
    where_first = f" in {first.room}" if first.room else ""
    where_last = f" in {last.room}" if last.room else ""
    return (
        f"{opening} the first session starts at {_clock(ctx, slug, first.start)} (“{first.title}”{where_first}) "
        f"and the last one ends at {_clock(ctx, slug, last.end or last.start, day)} (“{last.title}”{where_last})."
    )


def _overview(ctx: Context, slug: str, days: dict[date, list[Session]]) -> str:
    spans = []
    for day, sessions in days.items():
        talks = _talks(sessions)
        start = min(s.start for s in talks if s.start)
        end = max((s.end or s.start) for s in talks if s.start)
        spans.append(f"{_date(day)} {_clock(ctx, slug, start)}–{_clock(ctx, slug, end, day)}")
    return "Day by day, first start to last end: " + " · ".join(spans) + "."
