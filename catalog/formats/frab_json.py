"""frab / C3VOC / pretalx `schedule.json`: the XML's structure as JSON, persons as objects."""

from __future__ import annotations

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
from catalog.times import parse_datetime, parse_duration


def looks_like(doc: Any) -> bool:
    """frab's schedule.conference; a `schedule` key alone is common to many shapes (pretalx re-groupings, say)."""
    schedule = doc.get("schedule") if isinstance(doc, dict) else None
    return isinstance(schedule, dict) and isinstance(schedule.get("conference"), dict)


def read(doc: dict[str, Any], options: ReadOptions) -> Catalog:
    where = options.name
    schedule = doc["schedule"]
    conf = schedule.get("conference")
    if not isinstance(conf, dict) or not isinstance(conf.get("days"), list):
        raise CatalogError(f"{where}: schedule.json without conference.days")
    zone_name = text_of(conf.get("time_zone_name")).strip()
    zone = conference_zone(zone_name, options.timezone, where)
    entries: list[tuple[Any, dict[str, Any], str]] = []
    for day in conf["days"]:
        rooms = day.get("rooms") if isinstance(day, dict) else None
        if not isinstance(rooms, dict):
            raise CatalogError(f"{where}: a day without rooms")
        entries += [(event, day, str(room)) for room, events in rooms.items() for event in list_of(events)]
    sessions, problems = read_each(entries, lambda entry: _session(*entry, zone, where), where)
    zone_name = zone_named(zone_name, sessions, options)
    first_day, last_day = date_range(sessions)
    first_day, last_day = iso_date(conf.get("start")) or first_day, iso_date(conf.get("end")) or last_day
    acronym = one_line(text_of(conf.get("acronym")))
    conference = Conference(
        slug=options.slug or slugify(acronym or options.stem),
        title=one_line(text_of(conf.get("title"))) or acronym or title_from_stem(options.stem),
        timezone=zone_name,
        start=first_day,
        end=last_day,
        venue=one_line(text_of(conf.get("venue"))),
        source=options.name,
        version=one_line(text_of(schedule.get("version"))),
        note=one_line(text_of(conf.get("note"))),
    )
    return Catalog(conference, tuple(sessions), tuple(problems))


def _text(event: dict[str, Any], key: str) -> str:
    return one_line(text_of(event.get(key)))


def _session(event: Any, day: dict[str, Any], room: str, zone: tzinfo | None, where: str) -> Session:
    if not isinstance(event, dict):
        raise CatalogError(f"{where}: an event in room {shown(room, 40)!r} is not an object")
    event_id = (text_of(event.get("id")) or text_of(event.get("guid"))).strip()
    label = f"{where}: event {shown(event_id) or '?'}"
    if not event_id:
        raise CatalogError(f"{label} has no id")
    start: datetime | None = None
    date_text, clock, day_date = text_of(event.get("date")), text_of(event.get("start")), text_of(day.get("date"))
    if date_text:
        start = parse_datetime(date_text, zone, label)
    elif clock and day_date:
        start = parse_datetime(f"{day_date}T{clock}", zone, label)
    duration = text_of(event.get("duration"))
    end = start + parse_duration(duration, label) if start and duration else None
    speakers = tuple(
        Speaker(
            name=one_line(text_of(p.get("public_name") or p.get("name") or p.get("full_public_name"))),
            bio=plain_text(text_of(p.get("biography"))),
            company=one_line(text_of(p.get("company") or p.get("organisation") or p.get("organization"))),
        )
        for p in list_of(event.get("persons"))
        if isinstance(p, dict)
    )
    tags = (one_line(text_of(t) or text_of(dict_of(t).get("name"))) for t in list_of(event.get("tags")))
    return Session(
        id=event_id,
        title=_text(event, "title"),
        subtitle=_text(event, "subtitle"),
        abstract=join_abstract(text_of(event.get("abstract")), text_of(event.get("description"))),
        track=_text(event, "track"),
        type=_text(event, "type"),
        language=_text(event, "language"),
        room=_text(event, "room") or one_line(room),
        start=in_zone(start, zone),
        end=in_zone(end, zone) if end else None,
        speakers=tuple(s for s in speakers if s.name),
        tags=tuple(t for t in tags if t),
        url=text_of(event.get("url")).strip(),
    )
