"""Small pieces every reader needs, so the readers themselves stay about their format."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any, TypeVar

from catalog.errors import CatalogError, WholeFileError
from catalog.model import Catalog, Conference, Session, Speaker
from catalog.text import one_line, plain_text
from catalog.times import offset_name, tz_from_name

T = TypeVar("T")
# What a reader meets when a field holds the wrong kind of value: a number where a list belongs, say.
SHAPE_ERRORS = (TypeError, ValueError, AttributeError, KeyError, IndexError, OverflowError, RecursionError)


@dataclass(frozen=True)
class ReadOptions:
    """What the person importing can tell a reader that the file itself may not say."""

    name: str
    stem: str = ""
    timezone: tzinfo | None = None
    timezone_name: str = ""
    slug: str = ""
    csv_columns: tuple[tuple[str, str], ...] = ()
    # "dmy", "mdy" or "ymd" for dates such as 07/10/2018; empty: worked out from the file.
    date_order: str = ""


def read_each(raws: Iterable[T], build: Callable[[T], Session], where: str) -> tuple[list[Session], list[str]]:
    """One bad entry is skipped with a line naming it, so the rest of the schedule still imports."""
    sessions: list[Session] = []
    problems: list[str] = []
    for number, raw in enumerate(raws, start=1):
        try:
            sessions.append(build(raw))
        except WholeFileError:
            raise
        except CatalogError as exc:
            problems.append(f"{exc}; skipped")
        except SHAPE_ERRORS as exc:
            kind = type(exc).__name__
            problems.append(f"{where}: entry {number} has a field of the wrong type or range ({kind}); skipped")
    return sessions, problems


def conference_zone(name: str, fallback: tzinfo | None, where: str) -> tzinfo | None:
    """The zone a schedule names for itself; a bad one stops the import with the file's name in the message."""
    if not name:
        return fallback
    try:
        return tz_from_name(name)
    except WholeFileError as exc:
        raise WholeFileError(f"{where}: {exc}") from exc


def text_of(value: object) -> str:
    """A JSON scalar as text; an object or list where text belongs is ignored rather than printed as Python."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value) if value.bit_length() < 1_000 else ""
    if isinstance(value, float):
        return str(value) if math.isfinite(value) else ""
    return ""


def list_of(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def dict_of(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def slugify(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or "conference"


# Words a file name carries about its format or the tool that exported it, never about the conference.
_EXPORT_WORDS = frozenset(
    """pretalx frab sessionize pentabarf widget widgets schedule export exported ical ics json xml csv grid
    gridsmart api v1 v2 all sessions talks agenda fahrplan public latest""".split()
)


def title_from_stem(stem: str) -> str:
    """'droidcon-london-2024' -> 'Droidcon London 2024': a readable title when the source names none; the words
    of an export's file name ('pyconfr-2024-pretalx-widget') say nothing of the conference and are left out."""
    words = [w for w in re.split(r"[-_. ]+", stem) if w]
    kept = [w for w in words if w.casefold() not in _EXPORT_WORDS] or words
    return " ".join(w if w.isupper() or any(c.isdigit() for c in w) else w.capitalize() for w in kept)


def join_abstract(*parts: str | None) -> str:
    """frab has an abstract and a longer description; readers want both, without repeating one inside the other."""
    texts: list[str] = []
    for part in parts:
        text = plain_text(part)
        if text and not any(text in seen for seen in texts):
            texts = [seen for seen in texts if seen not in text]
            texts.append(text)
    return "\n\n".join(texts)


def speakers_from_names(names: Iterable[str | None]) -> tuple[Speaker, ...]:
    seen: set[str] = set()
    result = []
    for raw in names:
        name = one_line(raw)
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            result.append(Speaker(name=name))
    return tuple(result)


def split_list(value: str | None) -> tuple[str, ...]:
    """Tags and names come as 'a; b', 'a, b' or 'a | b'; the first separator present wins."""
    if not value:
        return ()
    for sep in (";", "|", ","):
        if sep in value:
            items = value.split(sep)
            break
    else:
        items = [value]
    return tuple(dict.fromkeys(item for item in (one_line(i) for i in items) if item))


def in_zone(value: datetime | None, zone: tzinfo | None) -> datetime | None:
    """Show a source's offsets in the conference's own zone so 'today' means the local day."""
    if value is None or zone is None:
        return value
    return value.astimezone(zone)


def date_range(sessions: Iterable[Session]) -> tuple[date | None, date | None]:
    starts = [s.start for s in sessions if s.start]
    if not starts:
        return None, None
    return min(starts).date(), max(starts).date()


def iso_date(value: object) -> date | None:
    """A conference's own start or end date, when the source states one; nonsense is as good as none."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def zone_named(stated: str, sessions: list[Session], options: ReadOptions) -> str:
    """The zone a schedule names, else the one given with --timezone, else its first session's bare offset: said as
    an offset, so no one takes it for a zone that knows summer time."""
    if stated:
        return stated
    first = next((s.start for s in sessions if s.start), None)
    return options.timezone_name or (offset_name(first) if first else "")


def catalog_from_stem(sessions: list[Session], options: ReadOptions) -> Catalog:
    """For formats that name no conference (Sessionize, CSV): title and slug from the file or folder name."""
    first, last = date_range(sessions)
    conference = Conference(
        slug=options.slug or slugify(options.stem),
        title=title_from_stem(options.stem),
        timezone=options.timezone_name,
        start=first,
        end=last,
        source=options.name,
    )
    return Catalog(conference, tuple(sessions))
