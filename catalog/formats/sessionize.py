"""Sessionize: the GridSmart view (days > rooms > sessions, speakers.json beside it) and the all-in-one view."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, tzinfo
from typing import Any

from catalog.errors import CatalogError
from catalog.formats.common import ReadOptions, catalog_from_stem, in_zone
from catalog.model import Catalog, Session, Speaker
from catalog.text import one_line, plain_text
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
    for raw in doc if isinstance(doc, list) else []:
        if isinstance(raw, dict) and raw.get("id"):
            name = one_line(raw.get("fullName") or f"{raw.get('firstName', '')} {raw.get('lastName', '')}")
            index[str(raw["id"])] = Speaker(
                name=name, bio=plain_text(raw.get("bio")), company=one_line(raw.get("tagLine"))
            )
    return index


def read_grid(doc: list[Any], options: ReadOptions, speakers_doc: Any) -> tuple[Catalog, list[str]]:
    index = speaker_index(speakers_doc)
    warnings = [] if index else ["no speakers.json beside the grid: speakers have names but no bios"]
    raw_sessions = [s for day in doc for room in day.get("rooms") or [] for s in room.get("sessions") or []]

    def category_items(raw: dict[str, Any]) -> Iterable[tuple[str, str]]:
        for cat in raw.get("categories") or []:
            for item in cat.get("categoryItems") or []:
                yield str(cat.get("name") or ""), str(item.get("name") or "")

    def speakers(raw: dict[str, Any]) -> tuple[Speaker, ...]:
        found = []
        for sp in raw.get("speakers") or []:
            if isinstance(sp, dict):
                known = index.get(str(sp.get("id")))
                found.append(known or Speaker(name=one_line(sp.get("name"))))
        return tuple(s for s in found if s.name)

    sessions = [_session(raw, options, category_items, speakers) for raw in raw_sessions]
    return _catalog(sessions, options), warnings


def read_all(doc: dict[str, Any], options: ReadOptions) -> Catalog:
    index = speaker_index(doc.get("speakers"))
    rooms = {str(r.get("id")): one_line(r.get("name")) for r in doc.get("rooms") or [] if isinstance(r, dict)}
    items: dict[str, tuple[str, str]] = {}
    for cat in doc.get("categories") or []:
        for item in cat.get("items") or []:
            items[str(item.get("id"))] = (str(cat.get("title") or ""), str(item.get("name") or ""))

    def category_items(raw: dict[str, Any]) -> Iterable[tuple[str, str]]:
        return [items[str(i)] for i in raw.get("categoryItems") or [] if str(i) in items]

    def speakers(raw: dict[str, Any]) -> tuple[Speaker, ...]:
        return tuple(index[str(i)] for i in raw.get("speakers") or [] if str(i) in index)

    sessions = []
    for raw in doc["sessions"]:
        if isinstance(raw, dict) and not raw.get("room") and raw.get("roomId") is not None:
            raw = {**raw, "room": rooms.get(str(raw["roomId"]), "")}
        sessions.append(_session(raw, options, category_items, speakers))
    return _catalog(sessions, options)


def read_sessions_view(doc: list[Any], options: ReadOptions) -> Catalog:
    def category_items(raw: dict[str, Any]) -> Iterable[tuple[str, str]]:
        for cat in raw.get("categories") or []:
            for item in cat.get("categoryItems") or []:
                yield str(cat.get("name") or ""), str(item.get("name") or "")

    def speakers(raw: dict[str, Any]) -> tuple[Speaker, ...]:
        return tuple(Speaker(one_line(s.get("name"))) for s in raw.get("speakers") or [] if isinstance(s, dict))

    raw_sessions = [s for group in doc for s in group.get("sessions") or []]
    return _catalog([_session(raw, options, category_items, speakers) for raw in raw_sessions], options)


def _session(
    raw: Any,
    options: ReadOptions,
    category_items: Callable[[dict[str, Any]], Iterable[tuple[str, str]]],
    speakers: Callable[[dict[str, Any]], tuple[Speaker, ...]],
) -> Session:
    if not isinstance(raw, dict) or raw.get("id") in (None, ""):
        raise CatalogError(f"{options.name}: a Sessionize session without an id")
    label = f"{options.name}: session {raw['id']}"
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
        id=str(raw["id"]),
        title=one_line(raw.get("title")),
        abstract=plain_text(raw.get("description")),
        track=fields.get("track", ""),
        type=fields.get("type", ""),
        level=fields.get("level", ""),
        language=fields.get("language", ""),
        room=one_line(raw.get("room")),
        start=_time(raw.get("startsAt"), options.timezone, label),
        end=_time(raw.get("endsAt"), options.timezone, label),
        speakers=speakers(raw),
        tags=tuple(dict.fromkeys(tags)),
    )


def _time(value: Any, zone: tzinfo | None, label: str) -> datetime | None:
    if not value:
        return None
    return in_zone(parse_datetime(str(value), zone, label), zone)


def _catalog(sessions: list[Session], options: ReadOptions) -> Catalog:
    return catalog_from_stem(sessions, options)
