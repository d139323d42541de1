"""A person's agenda as an iCalendar file that any calendar application imports."""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar, Event

from catalog.model import Session


def agenda_calendar(items: list[tuple[str, Session]], now: datetime, name: str = "My conference agenda") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//confbot//agenda//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for conference, session in items:
        if session.start is None:
            continue
        event = Event()
        event.add("uid", f"{session.id}@{conference}.confbot")
        event.add("dtstamp", now.astimezone(UTC))
        event.add("dtstart", session.start.astimezone(UTC))
        if session.end is not None:
            event.add("dtend", session.end.astimezone(UTC))
        event.add("summary", session.title)
        if session.room:
            event.add("location", session.room)
        details = []
        if session.speakers:
            details.append("Speakers: " + ", ".join(session.speaker_names))
        if session.track:
            details.append(f"Track: {session.track}")
        if session.abstract:
            details.append(session.abstract)
        if details:
            event.add("description", "\n\n".join(details))
        if session.url:
            event.add("url", session.url)
        calendar.add_component(event)
    return bytes(calendar.to_ical())
