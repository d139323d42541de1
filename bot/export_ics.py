"""A person's agenda as an iCalendar file that any calendar application imports.

Whatever a schedule holds, the file stays one file: text loses the control characters iCalendar forbids (a bare
CR could end a line and start a property of its own), and a URL that is not a web address is left out instead of
making the export fail for everyone who saved that session.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from icalendar import Calendar, Event

from bot.links import web_url
from catalog.model import Session

# RFC 5545 TEXT allows every character but the controls (tab aside); newlines are written escaped, as \n.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _text(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if not value.isascii():
        value = value.encode("utf-8", "replace").decode("utf-8")
    return _CONTROL.sub("", value)


def agenda_calendar(items: list[tuple[str, Session]], now: datetime, name: str = "My conference agenda") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//confbot//agenda//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _text(name))
    for conference, session in items:
        if session.start is None:
            continue
        event = Event()
        event.add("uid", _text(f"{session.id}@{conference}.confbot").replace("\n", ""))
        event.add("dtstamp", now.astimezone(UTC))
        event.add("dtstart", session.start.astimezone(UTC))
        if session.end is not None:
            event.add("dtend", session.end.astimezone(UTC))
        event.add("summary", _text(session.title))
        if session.room:
            event.add("location", _text(session.room))
        details = []
        if session.speakers:
            details.append("Speakers: " + ", ".join(session.speaker_names))
        if session.track:
            details.append(f"Track: {session.track}")
        if session.abstract:
            details.append(session.abstract)
        if details:
            event.add("description", _text("\n\n".join(details)))
        if web_url(session.url):
            event.add("url", web_url(session.url))
        calendar.add_component(event)
    return bytes(calendar.to_ical())
