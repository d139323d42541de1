"""Limits every imported session respects, whatever its format.

A schedule is content written by strangers: one absurd field (a 52 MB title, a year 9999 start, a
`javascript:` link) must not reach the index, the store or a chat message. Each session is checked once,
here, after its reader has done its best; a bad field is dropped or a bad session skipped, each with a
warning that names where it was, so the rest of the schedule still imports.
"""

from __future__ import annotations

import re
import statistics
import urllib.parse
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from catalog.errors import CatalogError
from catalog.model import Catalog, Conference, Session, Speaker
from catalog.text import clean, counted, shown
from catalog.times import FIRST_YEAR, LAST_YEAR, MAX_DURATION, tz_from_name

MAX_ID = 200
MAX_TITLE = 1_000
MAX_ABSTRACT = 50_000
MAX_SUBTITLE = 5_000
MAX_NAME = 300
# Rooms, tracks, tags, companies: short labels, though real schedules stretch some past a few hundred.
MAX_LABEL = 1_000
MAX_URL = 2_000
MAX_SPEAKERS = 200
MAX_TAGS = 200
MAX_SESSIONS = 100_000
# How far a session may lie from its conference's dates before it is taken for a typo.
WINDOW = timedelta(days=731)
MAX_SPAN = timedelta(days=366)
SHOWN_PROBLEMS = 20

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
# Characters no valid link needs and chat markup gives meaning to (Slack's <url|text>, Markdown's ( )).
_URL_FORBIDDEN = re.compile(r"[\s<>\"'`{}|\\^\x00-\x1f\x7f]")


def url_problem(url: str) -> str | None:
    """Why `url` cannot be a link, or None: only http(s) with a host, nothing chat markup would read."""
    if len(url) > MAX_URL:
        return f"a link of {len(url):,} characters (the limit is {MAX_URL:,})"
    if _URL_FORBIDDEN.search(url) or clean(url) != url:
        return "a link with spaces, line breaks or markup characters in it"
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises on a port that is no number
    except ValueError:
        return "a link that is not a valid URL"
    if parts.scheme.lower() not in ("http", "https"):
        return "a link that is not http(s)"
    if not host:
        return "a link without a host"
    return None


def in_sane_years(value: datetime | date) -> bool:
    return FIRST_YEAR <= value.year <= LAST_YEAR


def _short(value: str, limit: int, field: str, notes: list[str]) -> str:
    value = clean(value)
    if len(value) <= limit:
        return value
    notes.append(f"{field} of {len(value):,} characters dropped (the limit is {limit:,})")
    return ""


def _speakers(speakers: tuple[Speaker, ...], notes: list[str]) -> tuple[Speaker, ...]:
    kept = []
    for speaker in speakers[:MAX_SPEAKERS]:
        name = clean(speaker.name)
        if len(name) > MAX_NAME:
            notes.append(f"a speaker name of {len(name):,} characters dropped (the limit is {MAX_NAME})")
            continue
        bio = _short(speaker.bio, MAX_ABSTRACT, "a speaker biography", notes)
        kept.append(Speaker(name=name, bio=bio, company=_short(speaker.company, MAX_LABEL, "a company", notes)))
    if len(speakers) > MAX_SPEAKERS:
        notes.append(f"{len(speakers)} speakers; kept the first {MAX_SPEAKERS}")
    return tuple(kept)


def _names(values: tuple[str, ...], field: str, notes: list[str]) -> tuple[str, ...]:
    kept = tuple(v for v in (_short(v, MAX_LABEL, field, notes) for v in values[:MAX_TAGS]) if v)
    if len(values) > MAX_TAGS:
        notes.append(f"{len(values)} {field}s; kept the first {MAX_TAGS}")
    return kept


def _times(session: Session, window: tuple[datetime, datetime] | None, notes: list[str]) -> Session:
    start, end = session.start, session.end
    if start is None:
        return replace(session, end=None) if end is not None else session
    if not in_sane_years(start) or (window and not window[0] <= start <= window[1]):
        notes.append(f"start {start.date().isoformat()} is far from the conference's dates; its time was dropped")
        return replace(session, start=None, end=None)
    if end is not None and (not in_sane_years(end) or end < start or end - start > MAX_DURATION):
        notes.append("its end is before its start or more than 7 days after it; the end was dropped")
        end = None
    return replace(session, end=end)


def check_session(
    session: Session, where: str, number: int, window: tuple[datetime, datetime] | None
) -> tuple[Session, list[str]]:
    """The session with bad fields dropped and a note for each; CatalogError when it cannot be kept at all."""
    notes: list[str] = []
    session_id = clean(_CONTROL.sub("", session.id)).strip()
    if not session_id:
        raise CatalogError(f"{where}: entry {number} has no id; skipped")
    if len(session_id) > MAX_ID:
        raise CatalogError(
            f"{where}: entry {number} has an id of {len(session_id):,} characters (the limit is {MAX_ID}); skipped"
        )
    place = f"{where}: session {shown(session_id)}"
    title = clean(session.title)
    if len(title) > MAX_TITLE:
        notes.append(f"title of {len(title):,} characters cut to {MAX_TITLE:,}")
        title = title[: MAX_TITLE - 1].rstrip() + "…"
    url = clean(session.url.strip())
    problem = url_problem(url) if url else None
    if problem:
        notes.append(f"{problem} was dropped")
        url = ""
    checked = replace(
        session,
        id=session_id,
        title=title,
        subtitle=_short(session.subtitle, MAX_SUBTITLE, "subtitle", notes),
        abstract=_short(session.abstract, MAX_ABSTRACT, "abstract", notes),
        track=_short(session.track, MAX_LABEL, "track", notes),
        type=_short(session.type, MAX_LABEL, "type", notes),
        language=_short(session.language, MAX_LABEL, "language", notes),
        level=_short(session.level, MAX_LABEL, "level", notes),
        room=_short(session.room, MAX_LABEL, "room", notes),
        speakers=_speakers(session.speakers, notes),
        tags=_names(session.tags, "tag", notes),
        companies=_names(session.companies, "company", notes),
        url=url,
    )
    checked = _times(checked, window, notes)
    return checked, [f"{place}: {note}" for note in notes]


def _window(catalog: Catalog) -> tuple[datetime, datetime] | None:
    """The conference's own dates when it states sane ones, else the middle of its sessions, widened by WINDOW."""
    conf = catalog.conference
    stated = conf.start and conf.end and in_sane_years(conf.start) and in_sane_years(conf.end)
    # Stated dates a year or more apart are no conference's: they would let any typo through.
    if stated and conf.start and conf.end and timedelta(0) <= conf.end - conf.start <= MAX_SPAN:
        first, last = conf.start, conf.end
    else:
        days = sorted(s.start.date() for s in catalog.sessions if s.start and in_sane_years(s.start))
        if not days:
            return None
        first = last = statistics.median_low(days)
    low = datetime(first.year, first.month, first.day, tzinfo=UTC) - WINDOW
    high = datetime(last.year, last.month, last.day, tzinfo=UTC) + WINDOW + timedelta(days=1)
    return max(low, datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)), min(high, datetime(LAST_YEAR, 12, 31, tzinfo=UTC))


def checked(catalog: Catalog, where: str, notes: list[str]) -> Catalog:
    """Every session within limits. `notes` are the reader's own warnings; a session it skipped says so."""
    if len(catalog.sessions) > MAX_SESSIONS:
        raise CatalogError(f"{where}: {len(catalog.sessions):,} sessions; the limit is {MAX_SESSIONS:,}")
    window = _window(catalog)
    sessions: list[Session] = []
    problems = [*catalog.warnings, *notes]
    for number, session in enumerate(catalog.sessions, start=1):
        try:
            kept, found = check_session(session, where, number, window)
        except CatalogError as exc:
            problems.append(str(exc))
            continue
        sessions.append(kept)
        problems.extend(found)
    skipped = [p for p in problems if p.endswith("skipped")]
    if not sessions and not skipped:
        raise CatalogError(f"{where}: the schedule has no sessions")
    timed = sum(1 for s in sessions if s.start)
    if len(skipped) > max(timed, len(sessions) // 2):
        # More entries fail than read well: the file is misread as a whole (a date format we do not know, say),
        # and importing the remains would look like success.
        total = len(skipped) + len(sessions)
        first = _one_line(skipped[0].removesuffix("; skipped"), 300)
        raise CatalogError(f"{first} ({len(skipped)} of {counted(total, 'entry', 'entries')} unusable)")
    shown = [_one_line(p) for p in problems[:SHOWN_PROBLEMS]]
    if len(problems) > SHOWN_PROBLEMS:
        shown.append(f"… and {len(problems) - SHOWN_PROBLEMS} more problems like these")
    return Catalog(_conference_dates(catalog, sessions, window), tuple(sessions), tuple(shown))


def _conference_dates(
    catalog: Catalog, sessions: list[Session], window: tuple[datetime, datetime] | None
) -> Conference:
    conf = catalog.conference
    starts = [s.start.date() for s in sessions if s.start]
    first, last = (min(starts), max(starts)) if starts else (None, None)

    def sane(day: date | None) -> bool:
        if day is None or not in_sane_years(day):
            return False
        return window is None or window[0].date() <= day <= window[1].date()

    start = conf.start if sane(conf.start) else first
    end = conf.end if sane(conf.end) else last
    if start and end and end < start:
        start, end = first, last
    return replace(
        conf,
        timezone=conf.timezone if _resolves(conf.timezone) else "",
        start=start,
        end=end,
        slug=clean(conf.slug)[:MAX_ID],
        title=clean(conf.title)[:MAX_TITLE],
        venue=clean(conf.venue)[:MAX_TITLE],
        version=clean(conf.version)[:MAX_LABEL],
        note=clean(conf.note)[:MAX_ABSTRACT],
    )


def _resolves(name: str) -> bool:
    try:
        return not name or tz_from_name(name) is not None
    except CatalogError:
        return False


def _one_line(text: str, limit: int = 400) -> str:
    return shown(text, limit)
