"""pretalx's own JSON: the schedule widget's data and the public REST API's talk pages.

pretalx is the most used open-source CfP system, and besides its frab-compatible export it serves two shapes:
the widget's `schedule.json` (talks refer to rooms, tracks and speakers by id or code, listed once beside them)
and `/api/events/<event>/talks/` pages (each talk carries its speakers and a `slot` with room, start and end).
Sites also re-group API talks by day or room and publish that; the talks inside are the same objects, so the
reader looks for talks wherever they sit rather than trusting one layout.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, tzinfo
from typing import Any

from catalog.errors import CatalogError
from catalog.formats.common import (
    ReadOptions,
    conference_zone,
    date_range,
    dict_of,
    in_zone,
    iso_date,
    join_abstract,
    list_of,
    read_each,
    slugify,
    text_of,
    title_from_stem,
    zone_named,
)
from catalog.model import Catalog, Conference, Session, Speaker
from catalog.text import one_line, plain_text, shown
from catalog.times import parse_datetime

# Where a document keeps its talks; a site's own re-grouping is searched below these in this order.
_TALK_KEYS = ("talks", "results", "schedule")
# Deep enough for date > minute > room > talk re-groupings, shallow enough that a hostile file cannot make it slow.
_MAX_WALK = 6
_NOT_ON_PROGRAMME = {"rejected", "withdrawn", "deleted", "canceled", "cancelled", "draft"}


def is_talk(value: object) -> bool:
    """A pretalx talk: a code and a title, and a slot or a start time once it is on the schedule."""
    return (
        isinstance(value, dict)
        and bool(text_of(value.get("code")))
        and "title" in value
        and any(key in value for key in ("slot", "slots", "start"))
    )


def looks_like(doc: Any) -> bool:
    return any(True for _ in _talks(doc, 0))


def _talks(value: Any, depth: int) -> Iterator[dict[str, Any]]:
    if depth > _MAX_WALK:
        return
    if is_talk(value):
        yield value
        return
    children = list(value.values()) if isinstance(value, dict) else value if isinstance(value, list) else []
    for child in children:
        if isinstance(child, dict | list):
            yield from _talks(child, depth + 1)


def _chosen_talks(doc: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """The talks under the document's main key; talks found elsewhere (a sprints list, say) are only reported."""
    if isinstance(doc, dict):
        for key in _TALK_KEYS:
            found = list(_talks(doc.get(key), 1))
            if found:
                others = {k: sum(1 for _ in _talks(v, 1)) for k, v in doc.items() if k != key}
                notes = [
                    f"{count} more talks under {shown(k, 30)!r} were not imported (not part of {key!r})"
                    for k, count in others.items()
                    if count
                ]
                return found, notes
    return list(_talks(doc, 0)), []


def read(doc: Any, options: ReadOptions) -> Catalog:
    where = options.name
    body = dict_of(doc)
    talks, notes = _chosen_talks(doc)
    zone_name = text_of(body.get("timezone")).strip()
    zone = conference_zone(zone_name, options.timezone, where)
    names = _Names(body)
    entries = [(talk, slot, n) for talk in talks for n, slot in enumerate(_slots(talk, names), start=1)]
    sessions, problems = read_each(entries, lambda entry: _session(*entry, names, zone, where), where)
    zone_name = zone_named(zone_name, sessions, options)
    first_day, last_day = date_range(sessions)
    event = one_line(_i18n(body.get("name") or body.get("event")))
    conference = Conference(
        slug=options.slug or slugify(text_of(body.get("slug")) or options.stem),
        title=event or title_from_stem(options.stem),
        timezone=zone_name,
        start=iso_date(body.get("event_start")) or first_day,
        end=iso_date(body.get("event_end")) or last_day,
        source=options.name,
        version=one_line(text_of(body.get("version"))),
    )
    return Catalog(conference, tuple(sessions), tuple(problems + notes))


def _i18n(value: object) -> str:
    """pretalx writes translatable text as {"en": ..., "fr": ...}; English first, else the first language given."""
    if isinstance(value, dict):
        if "en" in value and text_of(value["en"]):
            return text_of(value["en"])
        return next((text_of(v) for v in value.values() if text_of(v)), "")
    return text_of(value)


class _Names:
    """Rooms, tracks and speakers listed once beside the talks, so a talk naming them by id can be read."""

    def __init__(self, body: dict[str, Any]) -> None:
        self.rooms = self._index(body.get("rooms"), "id")
        self.tracks = self._index(body.get("tracks"), "id")
        self.speakers = self._index(body.get("speakers"), "code")

    @staticmethod
    def _index(value: object, key: str) -> dict[str, dict[str, Any]]:
        items = value.values() if isinstance(value, dict) else list_of(value)
        return {text_of(item.get(key)): item for item in items if isinstance(item, dict) and text_of(item.get(key))}

    def named(self, value: object, table: dict[str, dict[str, Any]]) -> str:
        """A name given as text, as translations, as an object with a name, or as an id into `table`."""
        if isinstance(value, dict):
            inner = value.get("name") if "name" in value else value
            return one_line(_i18n(inner))
        if isinstance(value, int) and not isinstance(value, bool):
            return one_line(_i18n(table.get(str(value), {}).get("name")))
        return one_line(_i18n(value))

    def speaker(self, value: object) -> Speaker | None:
        raw = value if isinstance(value, dict) else self.speakers.get(text_of(value))
        if raw is None:
            return None
        listed = self.speakers.get(text_of(raw.get("code")), {})
        name = one_line(text_of(raw.get("name") or raw.get("public_name") or listed.get("name")))
        bio = plain_text(text_of(raw.get("biography") or listed.get("biography")))
        return Speaker(name=name, bio=bio) if name else None


def _slots(talk: dict[str, Any], names: _Names) -> list[dict[str, Any]]:
    """Where and when: the widget puts start, end and room on the talk, the API in `slot` (or `slots`)."""
    if isinstance(talk.get("slot"), dict):
        return [talk["slot"]]
    slots = [s for s in list_of(talk.get("slots")) if isinstance(s, dict)]
    if slots:
        return slots
    return [{"start": talk.get("start"), "end": talk.get("end"), "room": talk.get("room")}]


def _session(
    talk: dict[str, Any], slot: dict[str, Any], number: int, names: _Names, zone: tzinfo | None, where: str
) -> Session:
    code = text_of(talk.get("code")).strip()
    label = f"{where}: talk {shown(code)}"
    state = text_of(talk.get("state")).strip().lower()
    if state in _NOT_ON_PROGRAMME:
        raise CatalogError(f"{label} is {state}, not on the programme")
    start = _time(slot.get("start"), zone, label)
    end = _time(slot.get("end"), zone, label) if start else None
    if start and end and end < start:
        raise CatalogError(f"{label}: ends before it starts")
    room = slot.get("room")
    if room is None and "room_id" in slot:
        room = slot.get("room_id")
    speakers = (names.speaker(s) for s in list_of(talk.get("speakers")))
    return Session(
        id=code if number == 1 else f"{code}-{number}",
        title=one_line(_i18n(talk.get("title"))),
        abstract=join_abstract(text_of(talk.get("abstract")), text_of(talk.get("description"))),
        track=names.named(talk.get("track"), names.tracks),
        type=one_line(_i18n(talk.get("submission_type"))),
        language=one_line(text_of(talk.get("content_locale"))),
        room=names.named(room, names.rooms),
        start=in_zone(start, zone),
        end=in_zone(end, zone),
        speakers=_once(s for s in speakers if s is not None),
        tags=tuple(
            t for t in (one_line(_i18n(x)) for x in list_of(talk.get("tags")) if isinstance(x, str | dict)) if t
        ),
        url=text_of(talk.get("url")).strip(),
    )


def _once(speakers: Iterable[Speaker]) -> tuple[Speaker, ...]:
    """A speaker listed twice on a talk is one speaker, in the place first given."""
    kept: dict[str, Speaker] = {}
    for speaker in speakers:
        kept.setdefault(speaker.name.casefold(), speaker)
    return tuple(kept.values())


def _time(value: object, zone: tzinfo | None, label: str) -> datetime | None:
    text = text_of(value).strip()
    return parse_datetime(text, zone, label) if text else None
