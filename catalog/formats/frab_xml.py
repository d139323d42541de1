"""frab / pentabarf XML, as FOSDEM and the CCC publish it: schedule > day > room > event."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from catalog.errors import CatalogError
from catalog.formats.common import (
    ReadOptions,
    conference_zone,
    date_range,
    in_zone,
    iso_date,
    join_abstract,
    read_each,
    slugify,
    speakers_from_names,
    title_from_stem,
    zone_named,
)
from catalog.model import Catalog, Conference, Session
from catalog.text import one_line, shown
from catalog.times import parse_datetime, parse_duration


def parse_xml(data: bytes, where: str) -> Element:
    try:
        root: Element = SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise CatalogError(f"{where}: refused XML with entity or DTD tricks ({type(exc).__name__})") from exc
    except ParseError as exc:
        raise CatalogError(f"{where}: malformed or truncated XML ({exc})") from exc
    except (ValueError, RecursionError) as exc:
        raise CatalogError(f"{where}: unreadable XML ({type(exc).__name__})") from exc
    return root


def read(data: bytes, options: ReadOptions) -> Catalog:
    where = options.name
    root = parse_xml(data, where)
    if root.tag != "schedule":
        raise CatalogError(f"{where}: XML, but not a frab/pentabarf schedule (root <{shown(root.tag, 40)}>)")
    conf = root.find("conference")
    if conf is None:
        raise CatalogError(f"{where}: frab XML without a <conference> element")
    zone_name = (conf.findtext("time_zone_name") or "").strip()
    zone = conference_zone(zone_name, options.timezone, where)
    entries: list[tuple[Element, Element, str]] = []
    for day in root.iter("day"):
        rooms = _rooms(day)
        entries += [(event, day, rooms.get(id(event), "")) for event in day.iter("event")]
    sessions, problems = read_each(entries, lambda entry: _session(*entry, zone, where), where)
    zone_name = zone_named(zone_name, sessions, options)
    first, last = date_range(sessions)
    first, last = iso_date(conf.findtext("start")) or first, iso_date(conf.findtext("end")) or last
    acronym = one_line(conf.findtext("acronym"))
    conference = Conference(
        slug=options.slug or slugify(acronym or options.stem),
        title=one_line(conf.findtext("title")) or acronym or title_from_stem(options.stem),
        timezone=zone_name,
        start=first,
        end=last,
        venue=", ".join(v for v in (one_line(conf.findtext("venue")), one_line(conf.findtext("city"))) if v),
        source=options.name,
        version=one_line(root.findtext("version")),
    )
    return Catalog(conference, tuple(sessions), tuple(problems))


def _session(event: Element, day: Element, parent_room: str, zone: tzinfo | None, where: str) -> Session:
    event_id = (event.get("id") or event.get("guid") or "").strip()
    label = f"{where}: event {shown(event_id) or '?'}"
    if not event_id:
        raise CatalogError(f"{label} has no id")
    start = _start(event, day, zone, label)
    duration = (event.findtext("duration") or "").strip()
    end = start + parse_duration(duration, label) if start and duration else None
    persons = event.find("persons")
    names = [p.text for p in persons.iter("person")] if persons is not None else []
    return Session(
        id=event_id,
        title=one_line(event.findtext("title")),
        subtitle=one_line(event.findtext("subtitle")),
        abstract=join_abstract(event.findtext("abstract"), event.findtext("description")),
        track=one_line(event.findtext("track")),
        type=one_line(event.findtext("type")),
        language=one_line(event.findtext("language")),
        room=one_line(event.findtext("room")) or one_line(parent_room),
        start=in_zone(start, zone),
        end=in_zone(end, zone),
        speakers=speakers_from_names(names),
        url=(event.findtext("url") or "").strip(),
    )


def _start(event: Element, day: Element, zone: tzinfo | None, label: str) -> datetime | None:
    full = (event.findtext("date") or "").strip()
    if full:
        return parse_datetime(full, zone, label)
    clock = (event.findtext("start") or "").strip()
    day_date = (day.get("date") or "").strip()
    if not clock or not day_date:
        return None
    start = parse_datetime(f"{day_date}T{clock}", zone, label)
    day_start = (day.get("start") or "").strip()
    if day_start:
        # Events after midnight belong to the previous schedule day but happen on the next calendar day.
        begins = parse_datetime(day_start, zone, label)
        if start < begins - timedelta(hours=1):
            start += timedelta(days=1)
    return start


def _rooms(day: Element) -> dict[int, str]:
    """Each event's enclosing <room name=...>, found once per day: asking per event is quadratic in a big file."""
    found: dict[int, str] = {}
    for room in day.iter("room"):
        for child in room:
            found.setdefault(id(child), room.get("name") or "")
    return found
