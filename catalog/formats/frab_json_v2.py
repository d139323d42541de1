"""C3VOC schedule.json v2 (the CCC hub's export): one flat `schedule.events` list, rooms and tracks as objects.

Version 1 nests events under days and rooms; version 2 gives each event its own ISO start and end and names its
room, so the reader needs no day structure at all. Persons are listed once, beside the events, with their bios.
"""

from __future__ import annotations

from datetime import date, tzinfo
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

# Roles that present a session; hosts and helpers ("CONTRIBUTOR", "MODERATOR") are listed but do not speak.
_SPEAKING = {"SPEAKER", "PRESENTER", ""}


def looks_like(doc: Any) -> bool:
    schedule = doc.get("schedule") if isinstance(doc, dict) else None
    return isinstance(schedule, dict) and isinstance(schedule.get("events"), list)


def read(doc: dict[str, Any], options: ReadOptions) -> Catalog:
    where = options.name
    schedule = doc["schedule"]
    conf = dict_of(schedule.get("conference"))
    zone_name = text_of(conf.get("time_zone_name")).strip()
    zone = conference_zone(zone_name, options.timezone, where)
    tracks = {
        text_of(t.get("slug")): one_line(text_of(t.get("name")))
        for t in list_of(conf.get("tracks"))
        if isinstance(t, dict)
    }
    bios = {
        text_of(p.get("guid")): plain_text(text_of(p.get("biography")))
        for p in list_of(schedule.get("persons"))
        if isinstance(p, dict)
    }
    sessions, problems = read_each(
        list_of(schedule["events"]), lambda event: _session(event, zone, tracks, bios, where), where
    )
    zone_name = zone_named(zone_name, sessions, options)
    first_day, last_day = date_range(sessions)
    acronym = one_line(text_of(conf.get("acronym")))
    conference = Conference(
        slug=options.slug or slugify(acronym or options.stem),
        title=one_line(text_of(conf.get("title"))) or acronym or title_from_stem(options.stem),
        timezone=zone_name,
        start=_local_day(conf.get("start"), zone) or first_day,
        end=_local_day(conf.get("end"), zone) or last_day,
        source=options.name,
        version=one_line(text_of(schedule.get("version"))),
    )
    return Catalog(conference, tuple(sessions), tuple(problems))


def _local_day(value: object, zone: tzinfo | None) -> date | None:
    """v2 states the conference's start and end as instants; the day people mean is the one in the event's zone."""
    text = text_of(value).strip()
    if len(text) <= 10 or zone is None:
        return iso_date(text)
    try:
        return parse_datetime(text, zone, "").astimezone(zone).date()
    except CatalogError:
        return iso_date(text)


def _name(value: object) -> str:
    """A room or track is an object with a name, or just the name."""
    return one_line(text_of(dict_of(value).get("name")) if isinstance(value, dict) else text_of(value))


def _session(event: Any, zone: tzinfo | None, tracks: dict[str, str], bios: dict[str, str], where: str) -> Session:
    if not isinstance(event, dict):
        raise CatalogError(f"{where}: an entry of schedule.events is not an object")
    event_id = (text_of(event.get("id")) or text_of(event.get("code")) or text_of(event.get("guid"))).strip()
    label = f"{where}: event {shown(event_id) or '?'}"
    if not event_id:
        raise CatalogError(f"{label} has no id, code or guid")
    start_text, end_text = text_of(event.get("start")), text_of(event.get("end"))
    start = parse_datetime(start_text, zone, label) if start_text else None
    end = parse_datetime(end_text, zone, label) if end_text and start else None
    if start and end and end < start:
        raise CatalogError(f"{label}: ends ({shown(end_text)}) before it starts ({shown(start_text)})")
    people = [p for p in list_of(event.get("participants") or event.get("persons")) if isinstance(p, dict)]
    speaking = [p for p in people if text_of(p.get("role")).upper() in _SPEAKING] or people
    speakers = tuple(
        Speaker(
            name=one_line(text_of(p.get("name") or p.get("public_name"))),
            bio=plain_text(text_of(p.get("biography"))) or bios.get(text_of(p.get("guid")), ""),
        )
        for p in speaking
    )
    track = event.get("track")
    track_name = _name(track) or tracks.get(text_of(dict_of(track).get("slug")), "")
    return Session(
        id=event_id,
        title=one_line(text_of(event.get("title"))),
        subtitle=one_line(text_of(event.get("subtitle"))),
        abstract=join_abstract(text_of(event.get("abstract")), text_of(event.get("description"))),
        track=track_name or one_line(text_of(dict_of(track).get("slug"))),
        type=one_line(text_of(event.get("type"))).replace("_", " ").lower(),
        language=one_line(text_of(event.get("language"))),
        room=_name(event.get("room")),
        start=in_zone(start, zone),
        end=in_zone(end, zone),
        speakers=tuple(s for s in speakers if s.name),
        url=text_of(event.get("url")).strip(),
    )
