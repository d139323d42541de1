"""Hostile variants of every schedule format, written by the project itself.

Each variant is a small, valid-looking schedule of three sessions in which one field holds something an
attacker or a broken exporter would put there: a duration of a million days, a year 9999, a 5,000-digit id,
a `!channel` link, a number where a list belongs, JSON nested 100,000 deep. Importing any of them must end
in a catalog (with warnings) or in one line of error, never a traceback.

`python -m tests.hostile` rewrites the curated corpus in tests/fixtures/hostile/ from `CORPUS` below.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

CORPUS_DIR = Path(__file__).resolve().parent / "fixtures" / "hostile"

HUGE = "A" * 60_000
TEXTS: dict[str, Any] = {
    "huge": HUGE,
    "surrogate": "Talk \ud800 here",
    "controls": "Ti\x00tle\x1b[31m\x07\u2028end",
    "markup": "<!channel> <@U123> [x](javascript:alert(1)) @everyone",
    "empty": "",
    "spaces": " \t ",
}
URLS = [
    "!channel",
    "@U123",
    "<!here>",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "https://ok.example/a\r\nX-Injected: 1",
    "https://ok.example/a b",
    "data:text/html,<script>x</script>",
    "https://",
    "//evil.example/x",
    "http://[::1",
    "http://example.org:99999/",
    "https://example.org/" + "a" * 5_000,
    "mailto:someone@example.org",
    "https://example.org/x|<!channel>",
]
DURATIONS = ["999999999:00:00", "99999999:00", "1000000:00", "-01:00", "abc", "00:00:99999999999999999999", "168:01"]
DATES = [
    "9999-12-31T23:30-14:00",
    "0001-01-01T00:00+14:00",
    "2025-02-30T10:00:00+01:00",
    "2025-03-01T25:00:00+01:00",
    "99999-01-01T10:00:00+01:00",
    "2025-03-01T10:00:00+99:00",
    "now",
    "2150-03-01T10:00:00+01:00",
    "1900-03-01T10:00:00+01:00",
]
IDS = ["1" * 5_000, "x" * 300, "", " ", "\ud800", "a\x00b"]
WRONG_TYPES: list[Any] = [5, -1, 1e308, True, None, [], {}, [5], [[]], {"a": {"b": []}}, "x"]
ZONES = ["+99:00", "Mars/Olympus", "../../../../etc/passwd", "A" * 5_000, "\ud800", "UTC\x00"]


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


# frab XML ------------------------------------------------------------------------------------------------


def frab_xml(
    event: dict[str, str] | None = None, conference: dict[str, str] | None = None, raw_abstract: str = ""
) -> bytes:
    conf = {
        "acronym": "hostilecon",
        "title": "Hostile Con",
        "start": "2025-03-01",
        "end": "2025-03-01",
        "time_zone_name": "Europe/Brussels",
    }
    conf.update(conference or {})
    events = []
    for number in range(3):
        fields = {
            "id": str(100 + number),
            "date": f"2025-03-01T1{number}:00:00+01:00",
            "start": f"1{number}:00",
            "duration": "00:45",
            "room": "Aula",
            "title": f"Talk {number}",
            "url": f"https://example.org/{number}",
            "persons": "Ada Lovelace",
        }
        if number == 1:
            fields.update(event or {})
        children = "".join(
            f"<{key}>{escape(value)}</{key}>" for key, value in fields.items() if key not in ("id", "persons")
        )
        persons = f"<persons><person id='1'>{escape(fields['persons'])}</person></persons>"
        abstract = raw_abstract if number == 1 else ""
        events.append(f"<event id={quoteattr(fields['id'])}>{children}{persons}<abstract>{abstract}</abstract></event>")
    head = "".join(f"<{key}>{escape(value)}</{key}>" for key, value in conf.items())
    text = (
        f"<?xml version='1.0' encoding='UTF-8'?><schedule><conference>{head}</conference>"
        f"<day index='1' date='2025-03-01'><room name='Aula'>{''.join(events)}</room></day></schedule>"
    )
    return text.encode("utf-8", "surrogatepass")


def frab_xml_variants() -> Iterator[tuple[str, bytes]]:
    for field in ("title", "room", "persons"):
        for name, value in TEXTS.items():
            yield f"frab-xml-{field}-{name}", frab_xml({field: value})
    for value in URLS:
        yield f"frab-xml-url-{value[:12]}", frab_xml({"url": value})
    for value in DURATIONS:
        yield f"frab-xml-duration-{value[:12]}", frab_xml({"duration": value})
    for value in DATES:
        yield f"frab-xml-date-{value[:12]}", frab_xml({"date": value})
    for value in IDS:
        yield f"frab-xml-id-{value[:8]!r}", frab_xml({"id": value})
    for value in ZONES:
        yield f"frab-xml-zone-{value[:8]!r}", frab_xml(conference={"time_zone_name": value})
    for value in ("9999-12-31", "0001-01-01", "2025-99-99", "x"):
        yield f"frab-xml-conference-start-{value}", frab_xml(conference={"start": value, "end": value})
    yield "frab-xml-deep", frab_xml(raw_abstract="<a>" * 100_000 + "</a>" * 100_000)
    yield "frab-xml-doctype", b"<?xml version='1.0'?><!DOCTYPE schedule [<!ENTITY a 'aaaa'>]><schedule>&a;</schedule>"


# frab / pretalx schedule.json ----------------------------------------------------------------------------


def schedule_json_doc(event: dict[str, Any] | None = None, conference: dict[str, Any] | None = None) -> dict[str, Any]:
    events = []
    for number in range(3):
        fields: dict[str, Any] = {
            "id": 100 + number,
            "guid": f"g{number}",
            "date": f"2024-06-10T1{number}:00:00-04:00",
            "start": f"1{number}:00",
            "duration": "00:30",
            "room": "Main",
            "title": f"Talk {number}",
            "url": f"https://example.org/{number}",
            "persons": [{"public_name": "Grace Hopper", "biography": "Pioneer."}],
            "tags": ["graphs"],
        }
        if number == 1:
            fields.update(event or {})
        events.append(fields)
    conf: dict[str, Any] = {
        "acronym": "jsonhostile",
        "title": "JSON Hostile",
        "start": "2024-06-10",
        "end": "2024-06-10",
        "time_zone_name": "America/New_York",
        "days": [{"index": 1, "date": "2024-06-10", "rooms": {"Main": events}}],
    }
    conf.update(conference or {})
    return {"schedule": {"version": "1", "conference": conf}}


def dumps(doc: Any) -> bytes:
    return json.dumps(doc).encode()


def schedule_json_variants() -> Iterator[tuple[str, bytes]]:
    for field in ("title", "room", "track", "abstract"):
        for name, value in TEXTS.items():
            yield f"schedule-json-{field}-{name}", dumps(schedule_json_doc({field: value}))
    for field in ("id", "title", "date", "duration", "persons", "tags", "url", "start", "room"):
        for value in WRONG_TYPES:
            yield f"schedule-json-{field}-{json.dumps(value)[:12]}", dumps(schedule_json_doc({field: value}))
    for value in ([5], [{"public_name": 5, "biography": []}], "Grace", [{"public_name": HUGE}]):
        yield f"schedule-json-persons-{json.dumps(value)[:12]}", dumps(schedule_json_doc({"persons": value}))
    for value in ([5], [{"name": []}], [{}], "a,b"):
        yield f"schedule-json-tags-{json.dumps(value)[:12]}", dumps(schedule_json_doc({"tags": value}))
    for value in URLS:
        yield f"schedule-json-url-{value[:12]}", dumps(schedule_json_doc({"url": value}))
    for value in DURATIONS:
        yield f"schedule-json-duration-{value[:12]}", dumps(schedule_json_doc({"duration": value}))
    for value in DATES:
        yield f"schedule-json-date-{value[:12]}", dumps(schedule_json_doc({"date": value}))
    for value in IDS:
        yield f"schedule-json-id-{value[:8]!r}", dumps(schedule_json_doc({"id": value, "guid": value}))
    long_number = dumps(schedule_json_doc({"id": 0})).replace(b'"id": 0', b'"id": ' + b"7" * 5_000)
    yield "schedule-json-id-5000-digit-number", long_number
    for value in ZONES:
        yield f"schedule-json-zone-{value[:8]!r}", dumps(schedule_json_doc(conference={"time_zone_name": value}))
    for value in WRONG_TYPES:
        yield f"schedule-json-days-{json.dumps(value)[:12]}", dumps(schedule_json_doc(conference={"days": value}))
        day = [{"date": "2024-06-10", "rooms": {"Main": value}}]
        yield f"schedule-json-room-{json.dumps(value)[:12]}", dumps(schedule_json_doc(conference={"days": day}))
        yield (
            f"schedule-json-zone-type-{json.dumps(value)[:12]}",
            dumps(schedule_json_doc(conference={"time_zone_name": value})),
        )
    yield "schedule-json-deep", b'{"schedule": {"conference": {"days": ' + deep(100_000).encode() + b"}}}"
    yield (
        "schedule-json-deep-abstract",
        dumps(schedule_json_doc()).replace(b'"tags"', b'"abstract": ' + deep(300).encode() + b', "tags"', 1),
    )
    yield "schedule-json-nan", dumps(schedule_json_doc({"id": float("nan"), "duration": float("inf")}))


# Sessionize ----------------------------------------------------------------------------------------------


def sessionize_all_doc(session: dict[str, Any] | None = None, top: dict[str, Any] | None = None) -> dict[str, Any]:
    sessions = []
    for number in range(3):
        fields: dict[str, Any] = {
            "id": str(500 + number),
            "title": f"Session {number}",
            "description": "About it",
            "startsAt": f"2024-10-31T{number + 9:02d}:00:00",
            "endsAt": f"2024-10-31T{number + 9:02d}:45:00",
            "roomId": 1,
            "speakers": ["s1"],
            "categoryItems": [10],
        }
        if number == 1:
            fields.update(session or {})
        sessions.append(fields)
    doc: dict[str, Any] = {
        "sessions": sessions,
        "speakers": [{"id": "s1", "fullName": "Lin Wu", "bio": "Builds things.", "tagLine": "Acme"}],
        "rooms": [{"id": 1, "name": "Hall"}],
        "categories": [{"title": "Track", "items": [{"id": 10, "name": "Mobile"}]}],
    }
    doc.update(top or {})
    return doc


def sessionize_grid_doc(session: dict[str, Any] | None = None) -> list[Any]:
    doc = sessionize_all_doc(session)
    for raw in doc["sessions"]:
        raw["speakers"] = [{"id": "s1", "name": "Lin Wu"}]
        raw["categories"] = [{"name": "Track", "categoryItems": [{"name": "Mobile"}]}]
    return [{"date": "2024-10-31T00:00:00", "rooms": [{"id": 1, "name": "Hall", "sessions": doc["sessions"]}]}]


def sessionize_variants() -> Iterator[tuple[str, bytes]]:
    for field in ("id", "title", "startsAt", "endsAt", "speakers", "categoryItems", "roomId", "description"):
        for value in WRONG_TYPES:
            label = json.dumps(value)[:12]
            yield f"sessionize-all-{field}-{label}", dumps(sessionize_all_doc({field: value}))
            yield f"sessionize-grid-{field}-{label}", dumps(sessionize_grid_doc({field: value}))
    for field in ("speakers", "rooms", "categories"):
        for value in WRONG_TYPES:
            yield f"sessionize-all-top-{field}-{json.dumps(value)[:12]}", dumps(sessionize_all_doc(top={field: value}))
    for value in DATES:
        yield f"sessionize-all-startsAt-{value[:12]}", dumps(sessionize_all_doc({"startsAt": value}))
        yield f"sessionize-all-endsAt-{value[:12]}", dumps(sessionize_all_doc({"endsAt": value}))
    for name, value in TEXTS.items():
        yield f"sessionize-all-title-{name}", dumps(sessionize_all_doc({"title": value}))
    for value in IDS:
        yield f"sessionize-all-id-{value[:8]!r}", dumps(sessionize_all_doc({"id": value}))
    yield "sessionize-sessions-view-wrong", dumps([{"sessions": 5}, {"sessions": [5, {"id": []}]}])
    yield "sessionize-grid-rooms-number", dumps([{"date": "2024-10-31", "rooms": 5}])


# iCalendar -----------------------------------------------------------------------------------------------


def ical(lines: dict[str, str] | None = None, head: str = "", extra: str = "") -> bytes:
    events = []
    for number in range(3):
        props = {
            "UID": f"ev{number}@example.org",
            "DTSTART": f"DTSTART:2025052{number}T090000Z",
            "DTEND": f"DTEND:2025052{number}T100000Z",
            "SUMMARY": f"Talk {number}",
            "URL": f"https://example.org/{number}",
            "LOCATION": "Room 1",
        }
        if number == 1:
            props.update(lines or {})
        body = "".join(
            (value if key in ("DTSTART", "DTEND", "DURATION", "RAW") else f"{key}:{value}") + "\r\n"
            for key, value in props.items()
            if value is not None
        )
        events.append(f"BEGIN:VEVENT\r\n{body}{extra if number == 1 else ''}END:VEVENT\r\n")
    text = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//hostile//EN\r\n{head}{''.join(events)}END:VCALENDAR\r\n"
    return text.encode("utf-8", "surrogatepass")


def ical_variants() -> Iterator[tuple[str, bytes]]:
    starts = [
        "DTSTART:notadate",
        "DTSTART:99999999T000000Z",
        "DTSTART:00010101T000000Z",
        "DTSTART;TZID=Mars/Olympus:20250521T090000",
        "DTSTART;VALUE=DATE:00010101",
        "DTSTART:20250521T090000Z\r\nDTSTART:20250522T090000Z",
        "DTSTART:",
        "DTSTART:20250230T090000Z",
    ]
    for value in starts:
        yield f"ical-dtstart-{value[8:20]}", ical({"DTSTART": value})
    for value in ("DURATION:P99999999D", "DURATION:PT-5M", "DURATION:Pxyz", "DURATION:P8D", "DURATION:-P1D"):
        yield f"ical-duration-{value[9:]}", ical({"DTEND": None, "DURATION": value})
    yield "ical-dtend-before", ical({"DTEND": "DTEND:20200101T000000Z"})
    yield "ical-dtend-9999", ical({"DTEND": "DTEND:99991231T233000Z"})
    for value in URLS:
        safe = value.replace("\r\n", "\\n")
        yield f"ical-url-{value[:12]}", ical({"URL": safe})
    for value in IDS:
        yield f"ical-uid-{value[:8]!r}", ical({"UID": value.replace("\x00", "")})
    for name, value in TEXTS.items():
        yield f"ical-summary-{name}", ical({"SUMMARY": value.replace("\u2028", "")})
    for value in ZONES:
        yield f"ical-zone-{value[:8]!r}", ical(head=f"X-WR-TIMEZONE:{value}\r\n")
    yield "ical-organizer-no-cn", ical(extra="ORGANIZER:mailto:x@example.org\r\n")
    yield "ical-categories-twice", ical(extra="CATEGORIES:a,b\r\nCATEGORIES:c\r\n")
    yield "ical-uid-twice", ical(extra="UID:second\r\n")
    yield "ical-unterminated", b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:2025"
    yield "ical-nested-deep", b"BEGIN:VCALENDAR\r\n" + b"BEGIN:VEVENT\r\n" * 5_000 + b"END:VCALENDAR\r\n"


# CSV -----------------------------------------------------------------------------------------------------

CSV_HEADER = ["id", "title", "start", "end", "duration", "room", "speakers", "url", "abstract"]


def csv_table(
    header: list[str], row_for: Callable[[int], dict[str, str]], cells: dict[str, str] | None, raw_row: str | None
) -> bytes:
    """Three rows under `header`; the middle one takes `cells`, or is replaced by `raw_row` as written."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for number in range(3):
        row = row_for(number)
        if number == 1 and raw_row is not None:
            out.write(raw_row + "\n")
            continue
        if number == 1:
            row.update(cells or {})
        writer.writerow([row[h] for h in header])
    return out.getvalue().encode("utf-8", "surrogatepass")


def csv_text(cells: dict[str, str] | None = None, raw_row: str | None = None) -> bytes:
    def row_for(number: int) -> dict[str, str]:
        return {
            "id": f"c{number}",
            "title": f"Talk {number}",
            "start": f"2025-09-01T1{number}:00:00+02:00",
            "end": "",
            "duration": "45",
            "room": "Hall",
            "speakers": "Zoe Park; Lin Wu",
            "url": f"https://example.org/{number}",
            "abstract": "Words, with a comma",
        }

    return csv_table(CSV_HEADER, row_for, cells, raw_row)


def csv_variants() -> Iterator[tuple[str, bytes]]:
    for field in ("title", "room", "speakers", "abstract"):
        for name, value in TEXTS.items():
            yield f"csv-{field}-{name}", csv_text({field: value})
    for value in URLS:
        yield f"csv-url-{value[:12]}", csv_text({"url": value})
    for value in DATES:
        yield f"csv-start-{value[:12]}", csv_text({"start": value})
    for value in ("999999999h", "99999999", "1000000 min", "-5", "1h99999999", "soon", "999:00"):
        yield f"csv-duration-{value}", csv_text({"duration": value})
    for value in IDS:
        yield f"csv-id-{value[:8]!r}", csv_text({"id": value})
    yield "csv-unbalanced-quote", csv_text(raw_row='c1,"Broken title,2025-09-01T11:00:00+02:00,,45,Hall,Zoe,,x')
    later = 'c1,"Broken,2025-09-01T11:00:00+02:00,,45,Hall,"Zoe",,x'
    yield "csv-unbalanced-quote-later-quotes", csv_text(raw_row=later)
    yield "csv-cell-too-large", csv_text({"abstract": "w" * 200_000})
    yield "csv-ragged", csv_text(raw_row="c1")
    yield "csv-extra-columns", csv_text(raw_row="c1,T," + ",".join(["x"] * 5_000))
    yield "csv-header-only-delimiters", b",,,,\n,,,\n"
    yield "csv-nul", csv_text({"title": "a\x00b"})


FORMATS: dict[str, tuple[str, Callable[[], Iterator[tuple[str, bytes]]]]] = {
    "frab XML": (".xml", frab_xml_variants),
    "schedule.json": (".json", schedule_json_variants),
    "Sessionize": (".json", sessionize_variants),
    "iCalendar": (".ics", ical_variants),
    "CSV": (".csv", csv_variants),
}


def all_formats() -> dict[str, tuple[str, Callable[[], Iterator[tuple[str, bytes]]]]]:
    """FORMATS and the readers added later, whose variants live in tests/hostile_more.py."""
    from tests import hostile_more

    return {
        **FORMATS,
        "pretalx JSON": (".json", hostile_more.pretalx_variants),
        "schedule.json v2": (".json", hostile_more.v2_variants),
        "CSV local dates": (".csv", hostile_more.csv_forms_variants),
    }


def variants() -> Iterator[tuple[str, str, bytes]]:
    """(format, file name, content) for every hostile variant of every format."""
    for fmt, (suffix, make) in all_formats().items():
        for number, (name, data) in enumerate(make()):
            yield fmt, f"{number:03d}-{_safe(name)}{suffix}", data


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)[:60]


# The curated corpus kept as files: (file name, content, outcome, text the outcome must mention).
# outcome "error": one line, exit 1, store unchanged. "warning": imported, the problem named in a warning.
# "imported": imported within limits (a wrong type read as nothing, a surrogate replaced).
CORPUS: list[tuple[str, Callable[[], bytes], str, str]] = [
    ("frab-duration-999999999h.xml", lambda: frab_xml({"duration": "999999999:00:00"}), "warning", "event 101"),
    ("frab-date-year-9999.xml", lambda: frab_xml({"date": "9999-12-31T23:30-14:00"}), "warning", "year 9999"),
    ("frab-url-channel.xml", lambda: frab_xml({"url": "!channel"}), "warning", "not http(s)"),
    ("frab-url-crlf.xml", lambda: frab_xml({"url": "https://ok.example/a\r\nX: 1"}), "warning", "line breaks"),
    ("frab-id-5000-digits.xml", lambda: frab_xml({"id": "1" * 5_000}), "warning", "5,000 characters"),
    ("frab-zone-offset-99.xml", lambda: frab_xml(conference={"time_zone_name": "+99:00"}), "error", "24 hours"),
    ("frab-deep-nesting.xml", lambda: frab_xml(raw_abstract="<a>" * 20_000 + "</a>" * 20_000), "imported", ""),
    ("frab-title-huge.xml", lambda: frab_xml({"title": "T" * 60_000}), "warning", "cut to 1,000"),
    ("json-persons-number.json", lambda: dumps(schedule_json_doc({"persons": 5})), "imported", ""),
    (
        "json-id-5000-digit-number.json",
        lambda: dict(schedule_json_variants())["schedule-json-id-5000-digit-number"],
        "warning",
        "5,000 characters",
    ),
    ("json-surrogate-title.json", lambda: dumps(schedule_json_doc({"title": "Talk \ud800"})), "imported", ""),
    ("json-url-mention.json", lambda: dumps(schedule_json_doc({"url": "@U123"})), "warning", "not http(s)"),
    (
        "json-url-javascript.json",
        lambda: dumps(schedule_json_doc({"url": "javascript:alert(1)"})),
        "warning",
        "not http(s)",
    ),
    ("json-duration-huge.json", lambda: dumps(schedule_json_doc({"duration": "99999999:00"})), "warning", "7 days"),
    ("json-nested-100000.json", lambda: dict(schedule_json_variants())["schedule-json-deep"], "error", "nested"),
    ("json-days-number.json", lambda: dumps(schedule_json_doc(conference={"days": 5})), "error", "days"),
    (
        "json-every-event-broken.json",
        lambda: dumps(
            schedule_json_doc(
                conference={
                    "days": [{"date": "2024-06-10", "rooms": {"Main": [{"id": 1, "date": "9999-12-31T23:30-14:00"}]}}]
                }
            )
        ),
        "error",
        "year 9999",
    ),
    ("sessionize-speakers-number.json", lambda: dumps(sessionize_all_doc(top={"speakers": 5})), "imported", ""),
    (
        "sessionize-startsAt-object.json",
        lambda: dumps(sessionize_all_doc({"startsAt": {"a": 1}})),
        "warning",
        "no time",
    ),
    ("ical-dtstart-broken.ics", lambda: ical({"DTSTART": "DTSTART:99999999T000000Z"}), "warning", "ev1"),
    (
        "ical-duration-P99999999D.ics",
        lambda: ical({"DTEND": None, "DURATION": "DURATION:P99999999D"}),
        "warning",
        "7 days",
    ),
    ("ical-url-javascript.ics", lambda: ical({"URL": "javascript:alert(1)"}), "warning", "not http(s)"),
    ("ical-year-0001.ics", lambda: ical({"DTSTART": "DTSTART:00010101T000000Z"}), "warning", "year 1"),
    ("csv-unbalanced-quote.csv", lambda: dict(csv_variants())["csv-unbalanced-quote"], "error", "row 3"),
    (
        "csv-unbalanced-quote-later-quotes.csv",
        lambda: dict(csv_variants())["csv-unbalanced-quote-later-quotes"],
        "error",
        "row 3",
    ),
    ("csv-duration-huge.csv", lambda: csv_text({"duration": "999999999h"}), "warning", "row 3"),
    ("csv-start-year-9999.csv", lambda: csv_text({"start": "9999-12-31T23:30-14:00"}), "warning", "year 9999"),
    ("csv-url-here.csv", lambda: csv_text({"url": "<!here>"}), "warning", "markup characters"),
]


def write_corpus(folder: Path = CORPUS_DIR) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["# file\toutcome\tmentions (written by `python -m tests.hostile`)"]
    for name, make, outcome, mentions in CORPUS:
        (folder / name).write_bytes(make())
        assert outcome in ("error", "warning", "imported"), name
        lines.append(f"{name}\t{outcome}\t{mentions}")
    (folder / "MANIFEST.tsv").write_text("\n".join(lines) + "\n")


def survey() -> dict[str, tuple[int, int, int, int]]:
    """Per format: variants, imported and stored, refused in one line, ended in another exception (a traceback)."""
    import tempfile

    from bot.store import CatalogStore, open_database
    from catalog.errors import CatalogError
    from catalog.load import load

    counts: dict[str, list[int]] = {}
    store = CatalogStore(open_database(":memory:"))
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, name, data in variants():
            row = counts.setdefault(fmt, [0, 0, 0, 0])
            path = Path(tmp) / name
            path.write_bytes(data)
            row[0] += 1
            try:
                store.save(load(str(path), timezone="Europe/London"))
                row[1] += 1
            except CatalogError:
                row[2] += 1
            except Exception:  # noqa: BLE001 - counting exactly these is the point
                row[3] += 1
    return {fmt: (row[0], row[1], row[2], row[3]) for fmt, row in counts.items()}


if __name__ == "__main__":
    import sys

    if "--survey" in sys.argv:
        print("| format | variants | imported and stored | one-line error | traceback |")
        print("|---|---:|---:|---:|---:|")
        for fmt, (total, ok, refused, crashed) in survey().items():
            print(f"| {fmt} | {total} | {ok} | {refused} | {crashed} |")
    else:
        write_corpus()
