"""frab / C3VOC / pretalx `schedule.json`: the XML's structure as JSON, persons as objects."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from catalog.errors import CatalogError
from catalog.formats.common import (
    ReadOptions,
    date_range,
    in_zone,
    iso_date,
    join_abstract,
    slugify,
    title_from_stem,
)
from catalog.model import Catalog, Conference, Session, Speaker
from catalog.text import one_line, plain_text
from catalog.times import offset_name, parse_datetime, parse_duration, tz_from_name


def looks_like(doc: Any) -> bool:
    return isinstance(doc, dict) and isinstance(doc.get("schedule"), dict)


def read(doc: dict[str, Any], options: ReadOptions) -> Catalog:
    where = options.name
    schedule = doc["schedule"]
    conf = schedule.get("conference")
    if not isinstance(conf, dict) or not isinstance(conf.get("days"), list):
        raise CatalogError(f"{where}: schedule.json without conference.days")
    zone_name = str(conf.get("time_zone_name") or "").strip()
    zone: tzinfo | None = tz_from_name(zone_name) if zone_name else options.timezone
    sessions: list[Session] = []
    for day in conf["days"]:
        rooms = day.get("rooms") if isinstance(day, dict) else None
        if not isinstance(rooms, dict):
            raise CatalogError(f"{where}: a day without rooms")
        for room_name, events in rooms.items():
            for event in events or []:
                if not isinstance(event, dict):
                    raise CatalogError(f"{where}: an event in room {room_name!r} is not an object")
                sessions.append(_session(event, day, str(room_name), zone, where))
    if not zone_name:
        first = next((s.start for s in sessions if s.start), None)
        zone_name = options.timezone_name or (offset_name(first) if first else "")
    first_day, last_day = date_range(sessions)
    first_day, last_day = iso_date(conf.get("start")) or first_day, iso_date(conf.get("end")) or last_day
    acronym = one_line(str(conf.get("acronym") or ""))
    conference = Conference(
        slug=options.slug or slugify(acronym or options.stem),
        title=one_line(str(conf.get("title") or "")) or acronym or title_from_stem(options.stem),
        timezone=zone_name,
        start=first_day,
        end=last_day,
        venue=one_line(str(conf.get("venue") or "")),
        source=options.name,
        version=one_line(str(schedule.get("version") or "")),
        note=one_line(str(conf.get("note") or "")),
    )
    return Catalog(conference, tuple(sessions))


def _text(event: dict[str, Any], key: str) -> str:
    value = event.get(key)
    return one_line(str(value)) if value is not None else ""


def _session(event: dict[str, Any], day: dict[str, Any], room: str, zone: tzinfo | None, where: str) -> Session:
    event_id = str(event.get("id") if event.get("id") is not None else event.get("guid") or "").strip()
    label = f"{where}: event {event_id or '?'}"
    if not event_id:
        raise CatalogError(f"{label} has no id")
    start: datetime | None = None
    if event.get("date"):
        start = parse_datetime(str(event["date"]), zone, label)
    elif event.get("start") and day.get("date"):
        start = parse_datetime(f"{day['date']}T{event['start']}", zone, label)
    duration = str(event.get("duration") or "")
    end = start + parse_duration(duration, label) if start and duration else None
    speakers = tuple(
        Speaker(
            name=one_line(str(p.get("public_name") or p.get("name") or p.get("full_public_name") or "")),
            bio=plain_text(str(p.get("biography") or "")),
            company=one_line(str(p.get("company") or p.get("organisation") or p.get("organization") or "")),
        )
        for p in event.get("persons") or []
        if isinstance(p, dict)
    )
    tags = event.get("tags") or []
    return Session(
        id=event_id,
        title=_text(event, "title"),
        subtitle=_text(event, "subtitle"),
        abstract=join_abstract(str(event.get("abstract") or ""), str(event.get("description") or "")),
        track=_text(event, "track"),
        type=_text(event, "type"),
        language=_text(event, "language"),
        room=_text(event, "room") or room,
        start=in_zone(start, zone),
        end=in_zone(end, zone) if end else None,
        speakers=tuple(s for s in speakers if s.name),
        tags=tuple(one_line(t if isinstance(t, str) else str(t.get("name", ""))) for t in tags if t),
        url=str(event.get("url") or ""),
    )
