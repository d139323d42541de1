"""The schedules other schedule apps test their readers with (../shared/peers, described in its SOURCES.tsv)
all import with every session; three sessions per format match what a plain reading of the file says.

The expected values come from the file through the standard library (ElementTree, json, csv, a line scan of the
iCalendar text), never through our readers. Skips when ../shared/peers is absent."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from catalog.errors import CatalogError
from catalog.load import load
from catalog.model import Catalog
from tests.conftest import SHARED

PEERS = SHARED / "peers"
pytestmark = pytest.mark.skipif(
    not (PEERS / "SOURCES.tsv").is_file(), reason="../shared/peers is not beside the project"
)


def sources() -> list[dict[str, str]]:
    if not (PEERS / "SOURCES.tsv").is_file():
        return []
    with (PEERS / "SOURCES.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    # A companion file (Sessionize's speakers.json) is read with its schedule, not on its own.
    return [r for r in rows if r["expected_sessions"].strip()]


def zone_for(row: dict[str, str]) -> str | None:
    """The real zone, only for files that carry none: a file's own zone must win without help."""
    return row["real_world_zone"] or None if row["carries_timezone"].strip() == "no" else None


@cache
def imported(name: str) -> Catalog:
    row = next(r for r in sources() if r["file"] == name)
    return load(str(PEERS / name), timezone=zone_for(row))


@pytest.mark.parametrize("row", sources(), ids=lambda r: r["file"])
def test_every_peer_schedule_imports_with_its_session_count(row: dict[str, str]) -> None:
    expected = int(row["expected_sessions"])
    try:
        catalog = imported(row["file"])
    except CatalogError as exc:
        # A file with no dates at all may be refused, but only in one line that says why.
        assert "camp99" in row["file"] and "\n" not in str(exc)
        return
    assert len(catalog.sessions) == expected, catalog.warnings
    assert len({s.id for s in catalog.sessions}) == expected
    for session in catalog.sessions:
        if session.start is not None:
            assert session.start.tzinfo is not None
            assert session.end is None or session.end >= session.start


@dataclass(frozen=True)
class Seen:
    """One session as the file states it."""

    id: str
    title: str
    start: datetime
    room: str
    speakers: tuple[str, ...]


def _utc(text: str, zone: str | None = None) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        assert zone, text
        value = value.replace(tzinfo=ZoneInfo(zone))
    return value.astimezone(UTC)


def _three(items: list[Seen]) -> list[Seen]:
    """First, middle and last: spread over the file, so a reader that drifts shows it."""
    return [items[0], items[len(items) // 2], items[-1]] if len(items) > 3 else items


def frab_xml(name: str) -> list[Seen]:
    root = ET.parse(PEERS / name).getroot()
    found = []
    for event in root.iter("event"):
        persons = tuple((p.text or "").strip() for p in event.iter("person"))
        found.append(
            Seen(
                event.get("id", ""),
                (event.findtext("title") or "").strip(),
                _utc(event.findtext("date") or ""),
                (event.findtext("room") or "").strip(),
                persons,
            )
        )
    return found


def schedule_json_v1(name: str) -> list[Seen]:
    doc = json.loads((PEERS / name).read_text(encoding="utf-8"))
    found = []
    for day in doc["schedule"]["conference"]["days"]:
        for room, events in day["rooms"].items():
            for e in events:
                people = tuple(p.get("public_name") or p.get("name") for p in e.get("persons", []))
                found.append(Seen(str(e["id"]), e["title"].strip(), _utc(e["date"]), room, people))
    return found


def schedule_json_v2(name: str) -> list[Seen]:
    doc = json.loads((PEERS / name).read_text(encoding="utf-8"))
    return [
        Seen(
            e["code"],
            e["title"],
            _utc(e["start"]),
            e["room"]["name"],
            tuple(p["name"] for p in e["participants"] if p.get("role") == "SPEAKER"),
        )
        for e in doc["schedule"]["events"]
    ]


def pretalx_widget(name: str) -> list[Seen]:
    doc = json.loads((PEERS / name).read_text(encoding="utf-8"))
    found = []
    for minutes in doc["schedule"].values():
        for rooms in minutes.values():
            for talk in rooms.values():
                slot = talk["slot"]
                found.append(
                    Seen(
                        talk["code"],
                        talk["title"],
                        _utc(slot["start"]),
                        slot["room"]["en"],
                        tuple(s["name"] for s in talk["speakers"]),
                    )
                )
    return sorted(found, key=lambda s: (s.start, s.id))


def sessionize_all(name: str, zone: str) -> list[Seen]:
    doc = json.loads((PEERS / name).read_text(encoding="utf-8"))
    rooms = {r["id"]: r["name"] for r in doc["rooms"]}
    people = {p["id"]: p["fullName"] for p in doc["speakers"]}
    return [
        Seen(
            str(s["id"]),
            s["title"].strip(),
            _utc(s["startsAt"], zone),
            rooms.get(s["roomId"], ""),
            tuple(people[p] for p in s["speakers"]),
        )
        for s in doc["sessions"]
        if s.get("startsAt")
    ]


def ical_lines(name: str) -> list[Seen]:
    """A line scan: unfold, then take UID, SUMMARY, DTSTART (UTC) and LOCATION of each VEVENT; speakers are
    the CN of ATTENDEE lines (kielux names its speakers that way)."""
    text = (PEERS / name).read_text(encoding="utf-8").replace("\r\n ", "").replace("\n ", "")
    found = []
    for block in text.split("BEGIN:VEVENT")[1:]:
        fields: dict[str, str] = {}
        names: list[str] = []
        for line in block.splitlines():
            key, _, value = line.partition(":")
            if key.startswith("ATTENDEE") and "CN=" in key:
                names.append(key.split("CN=", 1)[1].split(";", 1)[0].strip('"'))
            fields.setdefault(key.split(";", 1)[0], value)
        stamp = datetime.strptime(fields["DTSTART"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        found.append(
            Seen(fields["UID"], fields["SUMMARY"].replace("\\,", ","), stamp, fields.get("LOCATION", ""), tuple(names))
        )
    return found


def csv_rows(name: str, zone: str) -> list[Seen]:
    """sendezentrum-31c3.csv: day-first dates with two-digit years and 12-hour times."""
    found = []
    with (PEERS / name).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            title = row["Titel"].strip()
            if not title or title == "tbd":
                continue
            written, half = row["Time Start"].replace(".", "").lower().split()
            hour, minute = map(int, written.split(":"))
            day = datetime.strptime(row["Date "], "%d/%m/%y")
            local = day.replace(hour=hour % 12 + (12 if half == "pm" else 0), minute=minute, tzinfo=ZoneInfo(zone))
            found.append(
                Seen(
                    "",
                    title,
                    local.astimezone(UTC),
                    "",
                    tuple(n.strip() for n in row["Teilnehmer"].split(",") if n.strip()),
                )
            )
    return found


FORMATS: dict[str, tuple[str, Any]] = {
    "frab XML": ("ccc-39c3.xml", lambda: frab_xml("ccc-39c3.xml")),
    "schedule.json v1": ("camp2019-frab.json", lambda: schedule_json_v1("camp2019-frab.json")),
    "schedule.json v2": ("hub-schedule2.json", lambda: schedule_json_v2("hub-schedule2.json")),
    "pretalx JSON": ("pyconfr-2024-pretalx-widget.json", lambda: pretalx_widget("pyconfr-2024-pretalx-widget.json")),
    "Sessionize": ("scottish-summit-2026.json", lambda: sessionize_all("scottish-summit-2026.json", "Europe/London")),
    "iCalendar": ("kielux-2020.ics", lambda: ical_lines("kielux-2020.ics")),
    "CSV": ("sendezentrum-31c3.csv", lambda: csv_rows("sendezentrum-31c3.csv", "Europe/Berlin")),
}


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_three_sessions_per_format_match_the_file(fmt: str) -> None:
    name, read_plainly = FORMATS[fmt]
    catalog = imported(name)
    for seen in _three(read_plainly()):
        if seen.id:
            ours = next(s for s in catalog.sessions if s.id == seen.id)
        else:  # CSV rows carry no id: the title finds them
            ours = next(s for s in catalog.sessions if s.title == " ".join(seen.title.split()))
        assert ours.title == " ".join(seen.title.split())
        assert ours.start is not None and ours.start.astimezone(UTC) == seen.start
        assert ours.room == seen.room
        assert ours.speaker_names == seen.speakers


def test_csv_export_of_a_cfp_keeps_only_scheduled_talks_with_day_first_dates() -> None:
    catalog = imported("pycones-2018.csv")
    with (PEERS / "pycones-2018.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["day"] and r["title"]]
    keynote = next(r for r in rows if r["title"] == "Keynote" and r["name"] == "Lorena Mesa")
    ours = next(s for s in catalog.sessions if s.title == "Keynote" and s.speaker_names == ("Lorena Mesa",))
    day = datetime.strptime(keynote["day"], "%d/%m/%Y").date()
    hour, minute = map(int, keynote["start"].split(":"))
    expected = datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo("Europe/Madrid"))
    assert ours.start == expected and ours.end == expected + timedelta(hours=1)
    assert any("day first" in w for w in catalog.warnings)
    assert any("without a time slot" in w for w in catalog.warnings)


def test_ical_speaker_lists_are_split() -> None:
    moca = imported("moca-2024.ics")
    pairs = [s.speaker_names for s in moca.sessions if len(s.speakers) == 2]
    assert pairs and all(not n.startswith(" ") and "[" not in n for pair in pairs for n in pair)
    assert all(s.speakers for s in imported("kielux-2020.ics").sessions)


def test_ical_speakers_named_in_the_summary() -> None:
    text = (PEERS / "pyconuk-2015.ics").read_text(encoding="utf-8").replace("\r\n ", "").replace("\n ", "")
    said = {}
    for line in text.splitlines():
        if line.startswith("SUMMARY:") and line.endswith(")") and " (talk by " in line:
            title, _, who = (
                line.removeprefix("SUMMARY:").replace("\\,", ",").replace("\\;", ";").rpartition(" (talk by ")
            )
            if not any(sep in who for sep in (" and ", ",", " & ")):
                said[" ".join(title.split())] = who.removesuffix(")").strip()
    ours = {s.title: s.speaker_names for s in imported("pyconuk-2015.ics").sessions}
    assert len(said) > 40
    for title, speaker in said.items():
        assert ours[title] == (speaker,)
