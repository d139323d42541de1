"""Sessionize: the GridSmart view (days > rooms > sessions, speakers.json beside it) and the all-in-one view."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, tzinfo
from typing import Any

from catalog.errors import CatalogError
from catalog.formats.common import (
    ReadOptions,
    catalog_from_stem,
    dict_of,
    in_zone,
    list_of,
    read_each,
    text_of,
)
from catalog.model import Catalog, Session, Speaker
from catalog.text import one_line, plain_text, shown
from catalog.times import parse_datetime

SpeakerIndex = dict[str, Speaker]
# Category titles that Sessionize organisers commonly use, mapped to our fields; others become tags.
_CATEGORY_FIELDS = {
    "track": "track",
    "tracks": "track",
    "stream": "track",
    "level": "level",
    "session level": "level",
    "format": "type",
    "session format": "type",
    "session type": "type",
    "language": "language",
}


def looks_like_grid(doc: Any) -> bool:
    return (
        isinstance(doc, list) and bool(doc) and all(isinstance(d, dict) and "rooms" in d and "date" in d for d in doc)
    )


def looks_like_all(doc: Any) -> bool:
    return isinstance(doc, dict) and isinstance(doc.get("sessions"), list) and "speakers" in doc


def looks_like_sessions(doc: Any) -> bool:
    """The 'Sessions' view: a list of groups, each with its own sessions list."""
    return isinstance(doc, list) and bool(doc) and all(isinstance(g, dict) and "sessions" in g for g in doc)


def speaker_index(doc: Any) -> SpeakerIndex:
    index: SpeakerIndex = {}
    for raw in list_of(doc):
        if isinstance(raw, dict) and text_of(raw.get("id")):
            full = text_of(raw.get("fullName"))
            name = one_line(full or f"{text_of(raw.get('firstName'))} {text_of(raw.get('lastName'))}")
            index[text_of(raw["id"])] = Speaker(
                name=name, bio=plain_text(text_of(raw.get("bio"))), company=one_line(text_of(raw.get("tagLine")))
            )
    return index


def _category_items(raw: dict[str, Any]) -> Iterable[tuple[str, str]]:
    """Grid and Sessions views nest each session's categories with their items."""
    for cat in list_of(raw.get("categories")):
        for item in list_of(dict_of(cat).get("categoryItems")):
            yield text_of(cat.get("name")), text_of(dict_of(item).get("name"))


def read_grid(doc: list[Any], options: ReadOptions, speakers_doc: Any) -> tuple[Catalog, list[str]]:
    index = speaker_index(speakers_doc)
    warnings = [] if index else ["no speakers.json beside the grid: speakers have names but no bios"]
    raw_sessions = [
        s for day in doc for room in list_of(day.get("rooms")) for s in list_of(dict_of(room).get("sessions"))
    ]

    def speakers(raw: dict[str, Any]) -> tuple[Speaker, ...]:
        found = []
        for sp in list_of(raw.get("speakers")):
            if isinstance(sp, dict):
                known = index.get(text_of(sp.get("id")))
                found.append(known or Speaker(name=one_line(text_of(sp.get("name")))))
        return tuple(s for s in found if s.name)

    sessions, problems = read_each(
        raw_sessions, lambda raw: _session(raw, options, _category_items, speakers), options.name
    )
    return _catalog(sessions, options), problems + warnings


def read_all(doc: dict[str, Any], options: ReadOptions) -> Catalog:
    index = speaker_index(doc.get("speakers"))
    rooms = {
        text_of(r.get("id")): one_line(text_of(r.get("name"))) for r in list_of(doc.get("rooms")) if isinstance(r, dict)
    }
    items: dict[str, tuple[str, str]] = {}
    for cat in list_of(doc.get("categories")):
        for item in list_of(dict_of(cat).get("items")):
            items[text_of(dict_of(item).get("id"))] = (text_of(cat.get("title")), text_of(dict_of(item).get("name")))

    def category_items(raw: dict[str, Any]) -> Iterable[tuple[str, str]]:
        return [items[text_of(i)] for i in list_of(raw.get("categoryItems")) if text_of(i) in items]

    def speakers(raw: dict[str, Any]) -> tuple[Speaker, ...]:
        return tuple(index[text_of(i)] for i in list_of(raw.get("speakers")) if text_of(i) in index)

    def with_room(raw: Any) -> Any:
        if isinstance(raw, dict) and not raw.get("room") and raw.get("roomId") is not None:
            return {**raw, "room": rooms.get(text_of(raw["roomId"]), "")}
        return raw

    sessions, problems = read_each(
        doc["sessions"], lambda raw: _session(with_room(raw), options, category_items, speakers), options.name
    )
    return _catalog(sessions, options, problems)


def read_sessions_view(doc: list[Any], options: ReadOptions) -> Catalog:
    def speakers(raw: dict[str, Any]) -> tuple[Speaker, ...]:
        names = (one_line(text_of(s.get("name"))) for s in list_of(raw.get("speakers")) if isinstance(s, dict))
        return tuple(Speaker(name) for name in names if name)

    raw_sessions = [s for group in doc for s in list_of(group.get("sessions"))]
    sessions, problems = read_each(
        raw_sessions, lambda raw: _session(raw, options, _category_items, speakers), options.name
    )
    return _catalog(sessions, options, problems)


def _session(
    raw: Any,
    options: ReadOptions,
    category_items: Callable[[dict[str, Any]], Iterable[tuple[str, str]]],
    speakers: Callable[[dict[str, Any]], tuple[Speaker, ...]],
) -> Session:
    if not isinstance(raw, dict) or not text_of(raw.get("id")).strip():
        raise CatalogError(f"{options.name}: a Sessionize session without an id")
    session_id = text_of(raw["id"]).strip()
    label = f"{options.name}: session {shown(session_id)}"
    fields: dict[str, str] = {}
    tags: list[str] = []
    for category, value in category_items(raw):
        target = _CATEGORY_FIELDS.get(category.strip().casefold())
        if target and target not in fields:
            fields[target] = one_line(value)
        elif value:
            tags.append(one_line(value))
    if raw.get("isServiceSession"):
        fields.setdefault("type", "service")
    return Session(
        id=session_id,
        title=one_line(text_of(raw.get("title"))),
        abstract=plain_text(text_of(raw.get("description"))),
        track=fields.get("track", ""),
        type=fields.get("type", ""),
        level=fields.get("level", ""),
        language=fields.get("language", ""),
        room=one_line(text_of(raw.get("room"))),
        start=_time(raw.get("startsAt"), options.timezone, label),
        end=_time(raw.get("endsAt"), options.timezone, label),
        speakers=speakers(raw),
        tags=tuple(dict.fromkeys(tags)),
    )


def _time(value: Any, zone: tzinfo | None, label: str) -> datetime | None:
    text = text_of(value)
    if not text:
        return None
    return in_zone(parse_datetime(text, zone, label), zone)


def _catalog(sessions: list[Session], options: ReadOptions, problems: list[str] | None = None) -> Catalog:
    catalog = catalog_from_stem(sessions, options)
    return replace(catalog, warnings=tuple(problems or ()))
