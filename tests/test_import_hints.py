"""A schedule that gives every time in UTC and names no zone is shown in UTC: the import says so, and how to fix it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import CliRunner

HINT = (
    "  hint: times are in UTC; if the conference is elsewhere, import again with --timezone Area/City so people "
    "see local times\n"
)


def calendar(tmp_path: Path, header: str = "") -> Path:
    """A one-talk calendar as a conference website exports it: 09:30 in Bristol, written as 08:30 UTC."""
    path = tmp_path / "bristol-week.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//confbot tests//EN\r\nX-WR-CALNAME:Bristol Week\r\n"
        f"{header}BEGIN:VEVENT\r\nUID:python@bristol\r\nDTSTART:20250602T083000Z\r\nDTEND:20250602T113000Z\r\n"
        "SUMMARY:Introduction to Python\r\nLOCATION:Training room\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    return path


def test_utc_only_calendar_gets_one_hint_and_timezone_fixes_it(cli: CliRunner, tmp_path: Path) -> None:
    db, source = tmp_path / "s.db", calendar(tmp_path)
    first = cli("import", source, "--db", db)
    assert first.code == 0 and "time zone unknown" in first.out
    assert first.out.endswith(HINT) and first.out.count("hint:") == 1
    assert "Mon 02 Jun 08:30" in cli("search", "--db", db, "python").out
    again = cli("import", source, "--db", db, "--timezone", "Europe/London")
    assert again.code == 0 and "time zone Europe/London" in again.out and "hint:" not in again.out
    assert "Mon 02 Jun 09:30" in cli("search", "--db", db, "python").out


def test_no_hint_when_the_zone_is_known(cli: CliRunner, tmp_path: Path) -> None:
    named = calendar(tmp_path, header="X-WR-TIMEZONE:Europe/London\r\n")
    result = cli("import", named, "--db", tmp_path / "a.db")
    assert result.code == 0 and "time zone Europe/London" in result.out and "hint:" not in result.out
    told = cli("import", calendar(tmp_path), "--db", tmp_path / "b.db", "--timezone", "Europe/London")
    assert told.code == 0 and "hint:" not in told.out


def test_json_carries_the_hint_as_a_field(cli: CliRunner, tmp_path: Path) -> None:
    answer = json.loads(cli("import", calendar(tmp_path), "--db", tmp_path / "s.db", "--json").out)
    assert answer["hints"] == [HINT.strip().removeprefix("hint: ")]
    assert answer["timezone"] == "" and answer["sessions"] == 1


def test_a_missing_zone_is_suggested_from_the_schedule_name(cli: CliRunner, tmp_path: Path) -> None:
    """droidcon-london-2024/ was told to pass '--timezone Europe/Brussels', an example from another city."""
    floating = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//confbot tests//EN\r\nBEGIN:VEVENT\r\nUID:kotlin@droid\r\n"
        "DTSTART:20241031T093000\r\nDTEND:20241031T101500\r\nSUMMARY:Kotlin everywhere\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    named, plain = tmp_path / "droidcon-london-2024.ics", tmp_path / "droidcon-2024.ics"
    for path in (named, plain):
        path.write_text(floating)
    guessed = cli("import", named, "--db", tmp_path / "s.db")
    assert guessed.code == 1 and len(guessed.err.strip().splitlines()) == 1
    assert "pass --timezone Europe/London (if it takes place in London, as its name suggests)" in guessed.err
    unknown = cli("import", plain, "--db", tmp_path / "s.db")
    assert "--timezone ZONE (for example" in unknown.err and "London" not in unknown.err


def test_a_file_named_generically_takes_its_slug_from_the_title(cli: CliRunner, tmp_path: Path) -> None:
    """'de.csv --title Testkonf' run in /tmp/nc7 was stored as 'nc7': the working folder's name."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    rows = "Titel,Datum,Uhrzeit,Raum\nTest Vortrag,2024-12-28,14:00,Saal 1\n"
    (folder / "de.csv").write_text(rows)
    (folder / "minicon.csv").write_text(rows)
    db = tmp_path / "s.db"
    named = cli("import", folder / "de.csv", "--db", db, "--timezone", "Europe/Berlin", "--title", "Testkonf")
    assert named.code == 0 and named.out.startswith("Imported testkonf: Testkonf")
    own = cli("import", folder / "minicon.csv", "--db", db, "--timezone", "Europe/Berlin", "--title", "Mini Con")
    assert own.out.startswith("Imported minicon: Mini Con")  # a file that names itself keeps its name
    again = cli("import", folder / "de.csv", "--db", db, "--timezone", "Europe/Berlin", "--title", "Testkonf")
    assert again.out.startswith("Imported testkonf")  # the same conference again, not a third one


def test_a_title_made_from_a_file_name_leaves_out_the_export_words(cli: CliRunner, tmp_path: Path) -> None:
    """'pyconfr-2024-pretalx-widget.json' was titled 'Pyconfr 2024 Pretalx Widget'."""
    source = tmp_path / "minicon-2026-pretalx-schedule-export.csv"
    source.write_text("Titel,Datum,Uhrzeit,Raum\nTest Vortrag,2026-05-02,14:00,Saal 1\n")
    result = cli("import", source, "--db", tmp_path / "s.db", "--timezone", "Europe/Berlin")
    assert result.code == 0 and ": Minicon 2026\n" in result.out, result.out
