"""Property tests over every importer: whatever the bytes, the result is a catalog within limits that the
store accepts, or one line of CatalogError; never another exception."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.store import CatalogStore, open_database
from catalog.errors import CatalogError
from catalog.load import load
from tests.test_catalog_hostile import assert_within_limits

WORK = Path(tempfile.mkdtemp(prefix="confbot-properties-"))
STORE = CatalogStore(open_database(":memory:"))
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

NASTY = st.sampled_from(
    [
        "9999-12-31T23:30-14:00",
        "0001-01-01T00:00+14:00",
        "2025-02-30T10:00:00",
        "999999999:00:00",
        "P99999999D",
        "!channel",
        "@U123",
        "<!here>",
        "javascript:alert(1)",
        "https://ok.example/a\r\nX: 1",
        "\ud800",
        "1" * 5_000,
        "",
        "+99:00",
        '"',
        "\x00",
        "A" * 2_000,
    ]
)
TEXT = st.one_of(st.text(max_size=40), st.text(st.characters(codec="utf-8"), max_size=20), NASTY)
DATES = st.one_of(
    st.datetimes().map(lambda d: d.isoformat()),
    st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
    TEXT,
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**250, max_value=10**300),
    st.floats(),
    TEXT,
    DATES,
)
JSON = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3), max_leaves=10
)


def field(normal: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Usually a plausible value, sometimes anything at all: the mix that reaches the deepest code paths."""
    return st.one_of(normal, normal, JSON)


def imports_or_refuses(data: bytes, suffix: str) -> None:
    path = WORK / f"schedule{suffix}"
    path.write_bytes(data)
    try:
        catalog = load(str(path), timezone="Europe/Berlin")
    except CatalogError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert_within_limits(catalog)
    STORE.save(catalog)


def dumps(doc: Any) -> bytes:
    return json.dumps(doc, allow_nan=True).encode("utf-8", "surrogatepass")


EVENT = st.fixed_dictionaries(
    {
        "id": field(st.integers(0, 10**6) | TEXT),
        "guid": field(TEXT),
        "date": field(DATES),
        "start": field(st.sampled_from(["09:00", "23:59", "24:00", "9"]) | TEXT),
        "duration": field(st.sampled_from(["00:30", "01:00:00", "1:02:03", "99:99"]) | TEXT),
        "title": field(TEXT),
        "room": field(TEXT),
        "url": field(TEXT),
        "persons": field(st.lists(st.fixed_dictionaries({"public_name": field(TEXT), "biography": field(TEXT)}))),
        "tags": field(st.lists(TEXT | st.fixed_dictionaries({"name": field(TEXT)}), max_size=3)),
    }
)


@SETTINGS
@given(
    events=st.lists(field(EVENT), min_size=1, max_size=4),
    zone=field(st.sampled_from(["Europe/Berlin", "UTC", "+01:00", "-14:00"]) | TEXT),
    conf_dates=field(DATES),
)
def test_schedule_json(events: list[Any], zone: Any, conf_dates: Any) -> None:
    doc = {
        "schedule": {
            "conference": {
                "title": "Prop",
                "time_zone_name": zone,
                "start": conf_dates,
                "end": conf_dates,
                "days": [{"date": "2025-03-01", "rooms": {"Main": events}}],
            }
        }
    }
    imports_or_refuses(dumps(doc), ".json")


@SETTINGS
@given(
    events=st.lists(
        st.dictionaries(
            st.sampled_from(["title", "date", "start", "duration", "room", "url", "track", "abstract", "type"]), TEXT
        ),
        min_size=1,
        max_size=4,
    ),
    ids=st.lists(TEXT, min_size=4, max_size=4),
    zone=TEXT | st.just("Europe/Brussels"),
    day=DATES,
)
def test_frab_xml(events: list[dict[str, str]], ids: list[str], zone: str, day: str) -> None:
    def x(text: str) -> str:
        return escape("".join(c for c in text if c >= " " or c in "\t\n"))

    body = "".join(
        f"<event id={quoteattr(x(event_id))}>"
        + "".join(f"<{key}>{x(value)}</{key}>" for key, value in event.items())
        + "<persons><person>Ada</person></persons></event>"
        for event, event_id in zip(events, ids, strict=False)
    )
    text = (
        f"<schedule><conference><title>P</title><time_zone_name>{x(zone)}</time_zone_name></conference>"
        f"<day date={quoteattr(x(day))} start={quoteattr(x(day))}><room name='R'>{body}</room></day></schedule>"
    )
    imports_or_refuses(text.encode("utf-8", "surrogatepass"), ".xml")


@SETTINGS
@given(data=st.binary(max_size=300))
def test_xml_from_arbitrary_bytes(data: bytes) -> None:
    imports_or_refuses(b"<schedule><conference/>" + data, ".xml")


SESSIONIZE = st.fixed_dictionaries(
    {
        "id": field(TEXT | st.integers()),
        "title": field(TEXT),
        "description": field(TEXT),
        "startsAt": field(DATES),
        "endsAt": field(DATES),
        "roomId": field(st.integers(0, 3)),
        "room": field(TEXT),
        "speakers": field(st.lists(TEXT | st.fixed_dictionaries({"id": field(TEXT), "name": field(TEXT)}))),
        "categoryItems": field(st.lists(st.integers(0, 3))),
        "categories": field(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "name": field(TEXT),
                        "categoryItems": field(st.lists(st.fixed_dictionaries({"name": field(TEXT)}))),
                    }
                )
            )
        ),
    }
)


@SETTINGS
@given(
    sessions=st.lists(field(SESSIONIZE), min_size=1, max_size=4),
    speakers=field(st.lists(JSON)),
    rooms=field(st.lists(st.fixed_dictionaries({"id": field(st.integers(0, 3)), "name": field(TEXT)}))),
    view=st.sampled_from(["all", "grid", "sessions"]),
)
def test_sessionize(sessions: list[Any], speakers: Any, rooms: Any, view: str) -> None:
    if view == "all":
        doc: Any = {"sessions": sessions, "speakers": speakers, "rooms": rooms, "categories": speakers}
    elif view == "grid":
        doc = [{"date": "2024-10-31", "rooms": [{"id": 1, "name": "Hall", "sessions": sessions}]}]
    else:
        doc = [{"groupName": "All", "sessions": sessions}]
    imports_or_refuses(dumps(doc), ".json")


ICAL_LINES = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "UID",
                "DTSTART",
                "DTEND",
                "DURATION",
                "SUMMARY",
                "URL",
                "LOCATION",
                "DESCRIPTION",
                "CATEGORIES",
                "ORGANIZER",
                "DTSTART;TZID=Europe/Berlin",
                "DTSTART;VALUE=DATE",
                "DTSTART;TZID=Mars/Olympus",
                "ORGANIZER;CN=Ada",
            ]
        ),
        st.one_of(
            TEXT,
            st.sampled_from(
                [
                    "20250521T090000Z",
                    "20250521T090000",
                    "20250521",
                    "PT45M",
                    "P99999999D",
                    "-PT5M",
                    "99999999T000000Z",
                    "00010101T000000Z",
                ]
            ),
        ),
    ),
    max_size=10,
)


@SETTINGS
@given(events=st.lists(ICAL_LINES, min_size=1, max_size=3), head=ICAL_LINES, zone=TEXT)
def test_icalendar(events: list[list[tuple[str, str]]], head: list[tuple[str, str]], zone: str) -> None:
    def line(key: str, value: str) -> str:
        return f"{key}:{value.replace(chr(13), ' ').replace(chr(10), ' ')}\r\n"

    text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + line("X-WR-TIMEZONE", zone)
    text += "".join(line(k, v) for k, v in head if k in ("SUMMARY", "URL"))
    for props in events:
        text += "BEGIN:VEVENT\r\n" + "".join(line(k, v) for k, v in props) + "END:VEVENT\r\n"
    imports_or_refuses((text + "END:VCALENDAR\r\n").encode("utf-8", "surrogatepass"), ".ics")


CSV_HEADERS = [
    "id",
    "title",
    "start",
    "end",
    "date",
    "duration",
    "room",
    "speakers",
    "url",
    "abstract",
    "tags",
    "Titel",
    "Datum",
    "Uhrzeit",
    "status",
]
# Dates and times as spreadsheets hold them, day or month first, 12-hour, ranges, and near misses.
LOCAL = st.sampled_from(
    [
        "07/10/2018",
        "13/10/2018",
        "10/13/2018",
        "10.06.2025",
        "31.02.2025",
        "27/12/14",
        "2:00 p.m.",
        "2pm",
        "0:00 a.m.",
        "13:00 p.m.",
        "9:00-10:00",
        "14h30",
        "9 Uhr",
        "tbd",
        "submitted",
        "accepted",
        "07/10/2018 11:00",
        "Sat 7 October 2018",
        "31 February 2025",
        "Sunday, October 8, 2018 5pm",
    ]
)


@SETTINGS
@given(
    headers=st.lists(st.sampled_from(CSV_HEADERS), min_size=1, max_size=6, unique=True),
    rows=st.lists(st.lists(TEXT | DATES | LOCAL, max_size=7), min_size=1, max_size=5),
    delimiter=st.sampled_from([",", ";", "\t"]),
    raw=st.booleans(),
)
def test_csv(headers: list[str], rows: list[list[str]], delimiter: str, raw: bool) -> None:
    if raw:
        # Cells written without quoting: stray quotes, delimiters and newlines land wherever they fall.
        text = "\n".join(delimiter.join(row) for row in [headers, *rows])
    else:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter)
        for row in [headers, *rows]:
            writer.writerow(row)
        text = out.getvalue()
    imports_or_refuses(text.encode("utf-8", "surrogatepass"), ".csv")


PRETALX_TALK = st.fixed_dictionaries(
    {
        "code": field(TEXT | st.just("ABC123")),
        "title": field(TEXT | st.dictionaries(st.sampled_from(["en", "fr"]), TEXT, max_size=2)),
        "speakers": field(st.lists(TEXT | st.fixed_dictionaries({"name": field(TEXT), "code": field(TEXT)}))),
        "track": field(st.integers(-1, 3) | TEXT),
        "room": field(st.integers(-1, 3) | TEXT),
        "start": field(DATES),
        "end": field(DATES),
        "slot": field(st.fixed_dictionaries({"start": field(DATES), "room": field(TEXT), "room_id": field(TEXT)})),
        "state": field(st.sampled_from(["confirmed", "rejected", "withdrawn"]) | TEXT),
    }
)


@SETTINGS
@given(
    talks=st.lists(field(PRETALX_TALK), min_size=1, max_size=4),
    rooms=field(st.lists(st.fixed_dictionaries({"id": field(st.integers(0, 3)), "name": field(TEXT)}), max_size=3)),
    zone=field(st.sampled_from(["Europe/Paris", "UTC"]) | TEXT),
    paged=st.booleans(),
)
def test_pretalx(talks: list[Any], rooms: Any, zone: Any, paged: bool) -> None:
    doc: dict[str, Any] = (
        {"count": len(talks), "next": None, "previous": None, "results": talks}
        if paged
        else {"talks": talks, "rooms": rooms, "speakers": [{"code": "ABC", "name": "Ana"}], "timezone": zone}
    )
    imports_or_refuses(dumps(doc), ".json")


V2_EVENT = st.fixed_dictionaries(
    {
        "guid": field(TEXT),
        "code": field(TEXT),
        "start": field(DATES),
        "end": field(DATES),
        "room": field(st.fixed_dictionaries({"name": field(TEXT)}) | TEXT),
        "title": field(TEXT),
        "track": field(st.fixed_dictionaries({"slug": field(TEXT)})),
        "participants": field(st.lists(st.fixed_dictionaries({"name": field(TEXT), "role": field(TEXT)}))),
    }
)


@SETTINGS
@given(events=st.lists(field(V2_EVENT), min_size=1, max_size=4), zone=field(st.just("Europe/Berlin") | TEXT))
def test_schedule_json_v2(events: list[Any], zone: Any) -> None:
    doc = {"schedule": {"conference": {"acronym": "v2", "time_zone_name": zone}, "events": events}}
    imports_or_refuses(dumps(doc), ".json")
