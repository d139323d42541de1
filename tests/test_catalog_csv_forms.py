"""Spreadsheets as people write them: day-first dates, 12-hour times, separate date and time columns, German,
French and Spanish headers, a row without a title; and iCalendar speakers given as ORGANIZER or ATTENDEE names.
Bad input ends in one line, exit 1, and the store exactly as it was."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.store import CatalogStore, open_database
from catalog.errors import CatalogError
from catalog.formats.csv_times import clock, date_order, read_date
from catalog.load import load
from tests.conftest import FIXTURES, CliRunner, dump

BERLIN = ZoneInfo("Europe/Berlin")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN)


def by_title(path: Path, **options: str) -> dict[str, object]:
    catalog = load(str(path), timezone="Europe/Berlin", **options)  # type: ignore[arg-type]
    return {s.title: s for s in catalog.sessions}


def test_german_headers_dotted_dates_and_a_row_without_title() -> None:
    catalog = load(str(FIXTURES / "csv-german.csv"), timezone="Europe/Berlin")
    sessions = {s.title: s for s in catalog.sessions}
    assert set(sessions) == {"Eröffnung", "Keine Zeit zu verlieren", "Abschluss"}
    talk = sessions["Keine Zeit zu verlieren"]
    assert (talk.start, talk.end, talk.room) == (at("2025-06-10T09:45"), at("2025-06-10T10:30"), "Saal B")
    assert talk.speaker_names == ("Otto Berg", "Lena Fuchs")
    assert sessions["Abschluss"].start == at("2025-06-11T16:00")
    assert any("row 4" in w and "no title" in w for w in catalog.warnings)


def test_french_headers_month_first_dates_found_from_the_file_and_12_hour_times() -> None:
    sessions = by_title(FIXTURES / "csv-french-12h.csv")
    talk = sessions["Données ouvertes"]
    assert talk.start == at("2025-06-13T14:00") and talk.end == at("2025-06-13T15:00")  # type: ignore[attr-defined]
    assert talk.speaker_names == ("Paul Dubois", "Anne Roy")  # type: ignore[attr-defined]
    assert sessions["Clôture"].start == at("2025-06-13T17:00")  # type: ignore[attr-defined]
    assert sessions["Ouverture"].room == "Amphi"  # type: ignore[attr-defined]


def test_spanish_headers_and_time_ranges_in_one_cell() -> None:
    catalog = load(str(FIXTURES / "csv-spanish.csv"), timezone="Europe/Berlin")
    long_talk = next(s for s in catalog.sessions if s.title == "Charla larga")
    assert (long_talk.start, long_talk.end) == (at("2018-10-08T10:00"), at("2018-10-08T11:15"))
    assert long_talk.room == "Aula 2" and long_talk.speaker_names == ("Luis Mar", "Sara Paz")
    assert any("day first" in w and "--date-order" in w for w in catalog.warnings)


def test_month_names_and_weekdays_in_english_and_spanish() -> None:
    sessions = by_title(FIXTURES / "csv-month-names.csv")
    assert sessions["Keynote"].start == at("2018-10-07T09:30")  # type: ignore[attr-defined]
    assert sessions["Closing"].start == at("2018-10-08T17:00")  # type: ignore[attr-defined]
    assert sessions["Charla"].start == at("2018-10-08T11:00")  # type: ignore[attr-defined]


def test_date_order_given_wins_over_the_guess() -> None:
    catalog = load(str(FIXTURES / "csv-spanish.csv"), timezone="Europe/Berlin", date_order="mdy")
    assert next(s for s in catalog.sessions if s.title == "Bienvenida").start == at("2018-07-10T09:00")
    assert not any("day first" in w for w in catalog.warnings)


def test_ambiguous_dates_ask_for_the_order_then_import(cli: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    source = FIXTURES / "csv-ambiguous-date.csv"
    refused = cli("import", source, "--db", db, "--timezone", "Europe/Berlin")
    assert refused.code == 1 and len(refused.err.strip().splitlines()) == 1
    assert "'05/06/2025'" in refused.err and "--date-order" in refused.err
    done = cli("import", source, "--db", db, "--timezone", "Europe/Berlin", "--date-order", "dmy")
    assert done.code == 0, done.err
    session = CatalogStore(open_database(db)).session("csv-ambiguous-date", "only-talk")
    assert session is not None and session.start == at("2025-06-05T10:00")
    # sync reads the file again the same way, without being told the order again
    assert cli("sync", "--db", db).code == 0
    again = CatalogStore(open_database(db)).session("csv-ambiguous-date", "only-talk")
    assert again is not None and again.start == at("2025-06-05T10:00")


def test_ical_speakers_from_organizer_and_attendee_names() -> None:
    catalog = load(str(FIXTURES / "ical-people.ics"))
    speakers = {s.title: s.speaker_names for s in catalog.sessions}
    assert speakers["Two voices"] == ("Valeria Luna", "Gabriel Zubiri")
    assert speakers["Panel"] == ("Jakob Sem", "Ute Groß", "Ada Frei")
    assert speakers["Typed Python"] == ("Ann Lee", "Bo Ray")  # '(talk by …)' leaves the title, names the speakers


def test_import_from_standard_input(cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    db = tmp_path / "s.db"
    raw = (FIXTURES / "csv-german.csv").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    result = cli("import", "-", "--name", "tagung", "--timezone", "Europe/Berlin", "--db", db)
    assert result.code == 0, result.err
    assert "Imported tagung" in result.out
    assert len(CatalogStore(open_database(db)).sessions("tagung")) == 3
    assert cli("import", FIXTURES / "mini.schedule.json", "--db", db).code == 0
    synced = cli("sync", "--db", db)
    # Nothing to read again is not a failure: said once, exit 0, and the other conference still syncs.
    assert synced.code == 0 and synced.err == ""
    assert "tagung: imported from standard input, nothing to sync; import it again to update it\n" in synced.out
    assert "jsoncon: no changes" in synced.out
    assert len(CatalogStore(open_database(db)).sessions("tagung")) == 3
    logged = open_database(db).execute("SELECT count(*) FROM sync_log WHERE conference = 'tagung'").fetchone()[0]
    assert logged == 0  # nor is it logged, or told to admins' channels, at every sync


@pytest.mark.parametrize(("fixture", "slug"), [("searchcon.schedule.json", "searchcon-2026"), ("mini-frab.xml", None)])
def test_standard_input_is_stored_under_the_schedules_own_name(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixture: str, slug: str | None
) -> None:
    import io
    import sys

    db = tmp_path / "s.db"
    from_file = cli("import", FIXTURES / fixture, "--db", tmp_path / "f.db")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((FIXTURES / fixture).read_bytes())))
    piped = cli("import", "-", "--db", db)
    assert piped.code == 0 and piped.out.splitlines()[0] == from_file.out.splitlines()[0]
    assert [c.slug for c in CatalogStore(open_database(db)).conferences()] != ["conference"]
    if slug:
        assert piped.out.startswith(f"Imported {slug}:")


def test_standard_input_that_names_no_conference_needs_a_name(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import sys

    db = tmp_path / "s.db"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((FIXTURES / "pretalx-talks.json").read_bytes())))
    result = cli("import", "-", "--db", db)
    assert result.code == 1 and result.err.strip().endswith(
        "(standard input): the schedule names no conference; pass --name SLUG, e.g. --name mycon-2026"
    )
    assert len(result.err.strip().splitlines()) == 1 and not db.exists()


def test_import_and_catalogs_show_the_same_days(cli: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    imported = cli("import", FIXTURES / "hub-v2.schedule.json", "--db", db)
    assert imported.code == 0, imported.err
    listed = cli("catalogs", "--db", db)
    # the last event starts after midnight in Berlin: the conference says it ends on the 28th, and so do both
    assert "2025-12-27 to 2025-12-28" in imported.out and "2025-12-27 to 2025-12-28" in listed.out


def bad_cases(tmp: Path) -> dict[str, tuple[list[str], str]]:
    bad_time = tmp / "bad-time.csv"
    bad_time.write_text("Titel,Datum,Uhrzeit\nVortrag,10.06.2025,neun Uhr\n")
    bad_date = tmp / "bad-date.csv"
    bad_date.write_text("title,date,start\nTalk,31.31.2025,09:00\n")
    mixed = tmp / "mixed.csv"
    mixed.write_text("title,date,start\nA,13/01/2025,09:00\nB,01/13/2025,10:00\n")
    page = tmp / "schedule.html"
    page.write_text('<!DOCTYPE html>\n<html><head><meta name="generator" content="pretalx"></head></html>')
    csv = str(FIXTURES / "csv-german.csv")
    return {
        "ftp url": (["ftp://example.org/schedule.xml"], "ftp:// addresses are not supported"),
        "slug with spaces": ([csv, "--name", "my conf"], "letters, digits and dashes"),
        "slug with slash": ([csv, "--name", "../x"], "letters, digits and dashes"),
        "time in words": ([str(bad_time)], "'neun Uhr'"),
        "impossible date": ([str(bad_date)], "'31.31.2025'"),
        "mixed date orders": ([str(mixed)], "write all dates the same way"),
        "ambiguous dates": ([str(FIXTURES / "csv-ambiguous-date.csv")], "--date-order"),
        "a web page": ([str(page)], "a web page, not a schedule"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "ftp url",
        "slug with spaces",
        "slug with slash",
        "time in words",
        "impossible date",
        "mixed date orders",
        "ambiguous dates",
        "a web page",
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(cli: CliRunner, tmp_path: Path, case: str) -> None:
    db = tmp_path / "store.db"
    assert cli("import", FIXTURES / "mini-frab.xml", "--db", db).code == 0
    before = dump(db)
    args, expected = bad_cases(tmp_path)[case]
    result = cli("import", *args, "--db", db, "--timezone", "Europe/Berlin")
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.err
    assert "Traceback" not in result.err
    assert dump(db) == before


def test_a_wrong_time_names_the_row_and_quotes_the_cell(tmp_path: Path) -> None:
    bad = tmp_path / "tagung.csv"
    bad.write_text((FIXTURES / "csv-german.csv").read_text().replace("9:45 Uhr", "viertel vor zehn"))
    catalog = load(str(bad), timezone="Europe/Berlin")
    assert len(catalog.sessions) == 2
    said = next(w for w in catalog.warnings if "row 3" in w)
    # the cell as written, not glued to its date into something the person never typed
    assert "time 'viertel vor zehn' is not a time of day" in said and "10.06.2025" not in said


# Properties of the date and time readers: what a person writes in any order comes back as what they meant.

DAYS = st.dates(min_value=date(1971, 1, 1), max_value=date(2199, 12, 31))


def written(day: date, order: str, sep: str = "/") -> str:
    parts = {"dmy": (day.day, day.month, day.year), "mdy": (day.month, day.day, day.year)}[order]
    return sep.join(f"{p:02d}" for p in parts)


@settings(max_examples=200, deadline=None)
@given(day=DAYS, order=st.sampled_from(["dmy", "mdy"]))
def test_a_date_written_in_a_given_order_reads_back(day: date, order: str) -> None:
    assert read_date(written(day, order), order, "x") == day
    assert read_date(day.isoformat(), order, "x") == day  # ISO is ISO whatever the order


@settings(max_examples=200, deadline=None)
@given(at=st.times().map(lambda t: t.replace(second=0, microsecond=0)), style=st.sampled_from(["a.m.", "am", " PM"]))
def test_a_time_of_day_reads_back_in_12_and_24_hour_forms(at: time, style: str) -> None:
    hour = at.hour % 12 or 12
    half = style.replace("p", "a").replace("P", "A") if at.hour < 12 else style.replace("a", "p").replace("A", "P")
    assert clock(f"{hour}:{at.minute:02d}{half}") == at
    assert clock(f"{at.hour:02d}:{at.minute:02d}") == at
    assert clock(f"{at.hour}h{at.minute:02d}") == at


@settings(max_examples=200, deadline=None)
@given(first=DAYS, length=st.integers(0, 5), order=st.sampled_from(["dmy", "mdy"]))
def test_the_order_found_never_misreads_a_conference(first: date, length: int, order: str) -> None:
    days = [first + timedelta(days=n) for n in range(length + 1)]
    try:
        found, _ = date_order([written(d, order) for d in days], "", "x")
    except CatalogError as exc:
        assert "--date-order" in str(exc)  # undecidable: it asks, never guesses
        return
    assert [read_date(written(d, order), found, "x") for d in days] == days


def test_a_date_that_cannot_be_read_is_said_not_only_counted_as_no_time(cli: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text("Titel,Datum\nFoo,notadate\n", encoding="utf-8")
    done = cli("import", "--db", tmp_path / "s.db", path)
    assert done.code == 0, done.err
    assert (
        "warning: 1 session: the date 'notadate' could not be read (column Datum); it was imported without a time"
        in (done.out)
    )
    assert "warning: 1 of 1 session has no time yet" in done.out


def test_unreadable_dates_of_many_rows_are_one_line_and_readable_ones_no_word(tmp_path: Path) -> None:
    path = tmp_path / "agenda.csv"
    path.write_text(
        "Titel,Datum,Beginn\nA,notadate,\nB,2026-01-31,10:00\nC,31.02.2026,\nD,notadate,\nE,2026-02-01,\n",
        encoding="utf-8",
    )
    warnings = [w for w in load(str(path), timezone="Europe/Berlin").warnings if "could not be read" in w]
    assert warnings == [
        "3 sessions: the dates 'notadate', '31.02.2026' could not be read (column Datum); "
        "they were imported without a time"
    ]
