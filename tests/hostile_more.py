"""Hostile variants of the readers added for issue 14: pretalx's widget JSON and API pages, C3VOC's
schedule.json v2, and CSV with local dates and times in their own columns. Same rule as tests/hostile.py:
a catalog within limits, or one line of error, never a traceback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from tests.hostile import DATES, IDS, TEXTS, URLS, WRONG_TYPES, ZONES, csv_table, deep, dumps


def pretalx_widget_doc(talk: dict[str, Any] | None = None, top: dict[str, Any] | None = None) -> dict[str, Any]:
    talks = []
    for number in range(3):
        fields: dict[str, Any] = {
            "code": f"CODE{number}",
            "title": f"Talk {number}",
            "abstract": "About things.",
            "speakers": ["SPK1"],
            "track": 1,
            "room": 1,
            "start": f"2025-06-12T1{number}:00:00+02:00",
            "end": f"2025-06-12T1{number}:30:00+02:00",
        }
        if number == 1:
            fields.update(talk or {})
        talks.append(fields)
    doc: dict[str, Any] = {
        "timezone": "Europe/Paris",
        "talks": talks,
        "rooms": [{"id": 1, "name": {"en": "Amphi"}}],
        "tracks": [{"id": 1, "name": {"en": "Data"}}],
        "speakers": [{"code": "SPK1", "name": "Ana Lima", "biography": "Bio."}],
    }
    doc.update(top or {})
    return doc


def pretalx_page_doc(talk: dict[str, Any] | None = None) -> dict[str, Any]:
    results = []
    for number in range(3):
        fields: dict[str, Any] = {
            "code": f"API{number}",
            "title": f"Talk {number}",
            "speakers": [{"code": "S1", "name": "Eli Novak", "biography": ""}],
            "submission_type": {"en": "Talk"},
            "track": {"en": "Web"},
            "slot": {"room": {"en": "Hall"}, "start": f"2025-09-04T1{number}:00:00+02:00", "end": None},
        }
        if number == 1:
            fields.update(talk or {})
        results.append(fields)
    return {"count": 3, "next": None, "previous": None, "results": results}


def pretalx_variants() -> Iterator[tuple[str, bytes]]:
    for field in ("title", "abstract"):
        for name, value in TEXTS.items():
            yield f"pretalx-{field}-{name}", dumps(pretalx_widget_doc({field: value}))
    for field in ("code", "title", "speakers", "track", "room", "start", "end", "tags", "slots", "state"):
        for value in WRONG_TYPES:
            yield f"pretalx-{field}-{json.dumps(value)[:12]}", dumps(pretalx_widget_doc({field: value}))
            yield f"pretalx-api-{field}-{json.dumps(value)[:12]}", dumps(pretalx_page_doc({field: value}))
    for value in WRONG_TYPES:
        yield f"pretalx-api-slot-{json.dumps(value)[:12]}", dumps(pretalx_page_doc({"slot": value}))
        for key in ("rooms", "speakers", "tracks", "timezone"):
            yield f"pretalx-{key}-{json.dumps(value)[:12]}", dumps(pretalx_widget_doc(top={key: value}))
    for value in DATES:
        yield f"pretalx-start-{value[:12]}", dumps(pretalx_widget_doc({"start": value}))
    for value in URLS:
        yield f"pretalx-url-{value[:12]}", dumps(pretalx_widget_doc({"url": value}))
    for value in IDS:
        yield f"pretalx-code-{value[:8]!r}", dumps(pretalx_widget_doc({"code": value or "x"}))
    for value in ZONES:
        yield f"pretalx-zone-{value[:8]!r}", dumps(pretalx_widget_doc(top={"timezone": value}))
    yield "pretalx-deep", b'{"talks": ' + deep(100_000).encode() + b"}"
    yield "pretalx-speaker-cycle", dumps(pretalx_widget_doc({"speakers": ["SPK1"] * 5_000}))
    yield "pretalx-end-before-start", dumps(pretalx_widget_doc({"end": "2025-06-12T08:00:00+02:00"}))


def v2_doc(event: dict[str, Any] | None = None, conference: dict[str, Any] | None = None) -> dict[str, Any]:
    events = []
    for number in range(3):
        fields: dict[str, Any] = {
            "guid": f"g{number}",
            "code": f"V2{number}",
            "start": f"2025-12-27T1{number}:00:00+01:00",
            "end": f"2025-12-27T1{number}:40:00+01:00",
            "room": {"name": "Saal 1"},
            "title": f"Talk {number}",
            "track": {"slug": "hw"},
            "participants": [{"guid": "p1", "name": "Greta Holm", "role": "SPEAKER"}],
        }
        if number == 1:
            fields.update(event or {})
        events.append(fields)
    conf: dict[str, Any] = {"acronym": "v2hostile", "time_zone_name": "Europe/Berlin", "tracks": [{"slug": "hw"}]}
    conf.update(conference or {})
    return {"schedule": {"version": "1", "conference": conf, "events": events, "persons": []}}


def v2_variants() -> Iterator[tuple[str, bytes]]:
    for field in ("title", "subtitle", "abstract"):
        for name, value in TEXTS.items():
            yield f"v2-{field}-{name}", dumps(v2_doc({field: value}))
    for field in ("guid", "code", "start", "end", "room", "track", "participants", "type", "language"):
        for value in WRONG_TYPES:
            yield f"v2-{field}-{json.dumps(value)[:12]}", dumps(v2_doc({field: value}))
    for value in WRONG_TYPES:
        for key in ("tracks", "start", "end", "time_zone_name"):
            yield f"v2-conference-{key}-{json.dumps(value)[:12]}", dumps(v2_doc(conference={key: value}))
    for value in DATES:
        yield f"v2-start-{value[:12]}", dumps(v2_doc({"start": value}))
    for value in ZONES:
        yield f"v2-zone-{value[:8]!r}", dumps(v2_doc(conference={"time_zone_name": value}))
    yield "v2-end-before-start", dumps(v2_doc({"end": "2025-12-27T08:00:00+01:00"}))


CSV_FORMS_HEADER = ["Titel", "Datum", "Beginn", "Ende", "Raum", "Referent", "Status"]


def csv_forms_text(cells: dict[str, str] | None = None) -> bytes:
    def row_for(number: int) -> dict[str, str]:
        return {
            "Titel": f"Vortrag {number}",
            "Datum": f"1{number}.06.2025",
            "Beginn": f"{number + 1}:00 p.m.",
            "Ende": f"{number + 1}:45 p.m.",
            "Raum": "Saal",
            "Referent": "Jana Krüger, Otto Berg",
            "Status": "accepted",
        }

    return csv_table(CSV_FORMS_HEADER, row_for, cells, None)


CLOCKS = ["99:99", "13:00 p.m.", "0 am", "12:60", "9" * 400, "1:00 x.m.", "24:00", "-1:00", "tbd", "2pm-", "2pm-99pm"]
DAYS = [
    "31.02.2025",
    "00.00.0000",
    "1.1.1",
    "99/99/99",
    "2025/13/45",
    "31/12/99999",
    "01.01.1900",
    "tba",
    "12/13/2025",
    "31 February 2025",
    "October 99, 2018",
    "Sunday, Octember 8, 2018",
    "Mo " + "x" * 400,
    "7 Oct 99999",
]


def csv_forms_variants() -> Iterator[tuple[str, bytes]]:
    for value in CLOCKS:
        yield f"csv-forms-start-{value[:12]}", csv_forms_text({"Beginn": value})
        yield f"csv-forms-end-{value[:12]}", csv_forms_text({"Ende": value})
    for value in DAYS:
        yield f"csv-forms-date-{value[:12]}", csv_forms_text({"Datum": value})
    for name, value in TEXTS.items():
        yield f"csv-forms-title-{name}", csv_forms_text({"Titel": value})
        yield f"csv-forms-status-{name}", csv_forms_text({"Status": value})
    yield "csv-forms-rejected", csv_forms_text({"Status": "rejected"})
    yield "csv-forms-no-title-no-track", csv_forms_text({"Titel": ""})
