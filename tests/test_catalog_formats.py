"""Each published format, read from a small fixture the project wrote: fields, times, zones and text."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from catalog.errors import CatalogError
from catalog.formats.ical import unfold
from catalog.load import load
from tests.conftest import FIXTURES


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def by_id(catalog, sid):  # type: ignore[no-untyped-def]
    return next(s for s in catalog.sessions if s.id == sid)


def test_frab_xml_fields_times_and_text() -> None:
    cat = load(str(FIXTURES / "mini-frab.xml"))
    assert cat.conference.slug == "minicon-2025"
    assert cat.conference.title == "MiniCon 2025"
    assert cat.conference.timezone == "Europe/Brussels"
    assert cat.conference.venue == "Town Hall, Ghent"
    rust = by_id(cat, "101")
    assert rust.title == "Rust & the kernel"
    assert rust.subtitle == "Why now?"
    assert rust.speaker_names == ("Miguel Ojeda", "Jana Čermák")
    assert rust.start == utc(2025, 3, 1, 9, 0) and rust.end == utc(2025, 3, 1, 9, 45)
    assert str(rust.start.tzinfo) == "Europe/Brussels"
    assert rust.abstract.startswith("Memory safety & drivers.")
    assert "- one\n- two" in rust.abstract
    assert "A longer story about Rust in Linux." in rust.abstract
    assert "<" not in rust.abstract
    assert rust.url == "https://example.org/minicon/101"


def test_frab_xml_event_after_midnight_lands_on_the_next_day() -> None:
    late = by_id(load(str(FIXTURES / "mini-frab.xml")), "102")
    assert late.start == utc(2025, 3, 2, 0, 30)
    assert late.room == "Aula"


def test_frab_xml_room_from_parent_when_event_has_none() -> None:
    assert by_id(load(str(FIXTURES / "mini-frab.xml")), "103").room == "Small room"


def test_duplicate_ids_are_kept_and_reported() -> None:
    cat = load(str(FIXTURES / "mini-frab.xml"))
    ids = [s.id for s in cat.sessions]
    assert ids.count("103") == 1 and "103#2" in ids
    assert by_id(cat, "103#2").title == "PostgreSQL tuning (repeat)"
    assert any("103" in w and "more than once" in w for w in cat.warnings)


def test_schedule_json() -> None:
    cat = load(str(FIXTURES / "mini.schedule.json"))
    assert cat.conference.slug == "jsoncon"
    opening = by_id(cat, "7")
    assert opening.abstract == "Hello & welcome"
    assert opening.speakers[0].name == "Grace Hopper" and opening.speakers[0].bio == "Pioneer."
    assert opening.start == utc(2024, 6, 10, 13, 0)
    graphs = by_id(cat, "8")
    assert graphs.end == utc(2024, 6, 10, 15, 0)
    assert graphs.tags == ("graphs", "databases")
    assert graphs.abstract == "Graph databases\n\nNeo4j and friends"


def test_sessionize_grid_with_speakers_beside_it() -> None:
    cat = load(str(FIXTURES / "sessionize-grid"), timezone="Europe/London")
    assert cat.conference.slug == "sessionize-grid"
    talk = by_id(cat, "9001")
    assert talk.level == "Advanced" and talk.type == "Talk"
    assert talk.tags == ("Jetpack Compose", "Kotlin")
    assert talk.speakers[0].bio == "Builds UIs." and talk.speakers[0].company == "Engineer at Example"
    assert talk.start == utc(2024, 10, 31, 9, 10)  # GMT after the October change
    assert talk.abstract == "Jetpack Compose in depth.\nSecond line."
    assert by_id(cat, "b1").type == "service"


def test_sessionize_grid_file_path_finds_speakers_too() -> None:
    cat = load(str(FIXTURES / "sessionize-grid" / "schedule-grid.json"), timezone="Europe/London")
    assert by_id(cat, "9001").speakers[0].bio == "Builds UIs."
    assert cat.conference.slug == "sessionize-grid"


def test_sessionize_all_in_one() -> None:
    cat = load(str(FIXTURES / "sessionize-all.json"), timezone="Europe/Madrid")
    talk = by_id(cat, "501")
    assert talk.track == "Backend" and talk.tags == ("Serverless",)
    assert talk.room == "Room 7"
    assert [s.name for s in talk.speakers] == ["Ines Ortega", "Bo Li"]
    assert talk.abstract == "Functions without servers"
    assert talk.start == utc(2025, 5, 20, 12, 0)


ICS = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nX-WR-CALNAME:Ical Fest\r\n"
    b"X-WR-TIMEZONE:Europe/Paris\r\n"
    b"BEGIN:VEVENT\r\nUID:ev1@example.org\r\n"
    b"DTSTART;TZID=Europe/Paris:20220517T140000\r\nDTEND;TZID=Europe/Paris:20220517T150000\r\n"
    # folded in the middle of the two bytes of 'e' acute
    b"SUMMARY:Num\xc3\r\n \xa9rique responsable\r\n"
    b"LOCATION:Amphith\xc3\xa9\xc3\xa2tre 1600\r\n"
    b"DESCRIPTION:Speakers: Marie Curie and Paul Langevin\\nA talk about <b>sobri\r\n \xc3\xa9t\xc3\xa9</b>.\r\n"
    b"CATEGORIES:Sustainability,Green IT\r\n"
    b"URL:https://example.org/ev1\r\nEND:VEVENT\r\n"
    b"BEGIN:VEVENT\r\nUID:ev2@example.org\r\nDTSTART:20220518T080000Z\r\nDURATION:PT45M\r\n"
    b"SUMMARY:Morning keynote\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def test_icalendar_unfolds_bytes_before_decoding(tmp_path: Path) -> None:
    path = tmp_path / "fest.ics"
    path.write_bytes(ICS)
    cat = load(str(path))
    assert cat.conference.timezone == "Europe/Paris" and cat.conference.title == "Ical Fest"
    ev = by_id(cat, "ev1@example.org")
    assert ev.title == "Numérique responsable"
    assert ev.room == "Amphithéâtre 1600"
    assert ev.speaker_names == ("Marie Curie", "Paul Langevin")
    assert ev.abstract == "A talk about sobriété."
    assert ev.track == "Sustainability" and ev.tags == ("Green IT",)
    assert ev.start == utc(2022, 5, 17, 12, 0)
    keynote = by_id(cat, "ev2@example.org")
    assert keynote.end == utc(2022, 5, 18, 8, 45)
    assert str(keynote.start.tzinfo) == "Europe/Paris"


def test_unfold_handles_stray_carriage_returns() -> None:
    assert unfold(b"A:one \r\r\n two\r\nB:x") == b"A:one two\nB:x"


def test_csv_standard_headers() -> None:
    cat = load(str(FIXTURES / "mini.csv"), timezone="Europe/Berlin")
    assert cat.conference.slug == "mini"
    t2 = by_id(cat, "t2")
    assert t2.title == "Searching schedules, fast"
    assert t2.speaker_names == ("Zoe Park", "Lin Wu")
    assert t2.tags == ("search", "fuzzy")
    assert t2.start == utc(2025, 9, 1, 7, 30)


def test_csv_columns_by_alias_and_mapping() -> None:
    cat = load(
        str(FIXTURES / "mini-custom.csv"),
        timezone="Europe/Berlin",
        csv_columns=(("abstract", "Blurb"), ("speakers", "Who")),
    )
    c1 = by_id(cat, "c1")
    assert c1.title == "Intro to Kubernetes"
    assert c1.track == "Cloud" and c1.room == "Room 1"
    assert c1.speaker_names == ("Ann Lee", "Bob Ray")
    assert c1.abstract == "Pods & services"
    assert c1.tags == ("k8s", "containers")
    assert c1.start == utc(2025, 9, 1, 7, 0) and c1.end == utc(2025, 9, 1, 7, 45)


def test_csv_mapping_to_a_missing_column_says_which() -> None:
    with pytest.raises(CatalogError, match="no column named 'Nope'"):
        load(str(FIXTURES / "mini.csv"), timezone="UTC", csv_columns=(("title", "Nope"),))


def test_catalog_without_times_still_imports(tmp_path: Path) -> None:
    path = tmp_path / "untimed.csv"
    path.write_text("id,title,track\nu1,Future talk,AI\n", encoding="utf-8")
    cat = load(str(path))
    assert cat.sessions[0].start is None
    assert any("no time yet" in w for w in cat.warnings)


def test_naive_times_need_a_zone_and_say_which_option() -> None:
    with pytest.raises(CatalogError, match="--timezone"):
        load(str(FIXTURES / "naive.schedule.json"))
    cat = load(str(FIXTURES / "naive.schedule.json"), timezone="Asia/Tokyo")
    assert cat.sessions[0].start == utc(2025, 1, 1, 1, 0)
    assert cat.conference.timezone == "Asia/Tokyo"


def test_format_is_detected_from_content_not_name(tmp_path: Path) -> None:
    disguised = tmp_path / "schedule.txt"
    disguised.write_bytes((FIXTURES / "mini-frab.xml").read_bytes())
    assert load(str(disguised)).conference.slug == "minicon-2025"
