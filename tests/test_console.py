"""The console adapter, driven by scripted input: rendering, the virtual clock, deliveries and exports."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from adapters.cli_chat import build_app
from adapters.console.app import parse_duration
from adapters.console.render import render_reply
from bot.messages import Card, Reply
from catalog.model import Session, Speaker
from tests.conftest import FIXTURES, CliRunner, chat_process


def recorded(tmp_path: Path, now: str = "2026-03-28T09:00:00+01:00"):  # type: ignore[no-untyped-def]
    from bot.store import CatalogStore, open_database
    from catalog.load import load

    db = tmp_path / "console.db"
    CatalogStore(open_database(db)).save(load(str(FIXTURES / "searchcon.schedule.json")))
    console = Console(record=True, width=120, color_system=None)
    app = build_app(db, console, now, None)
    app.export_dir = tmp_path
    return app, console


def test_script_with_clock_and_reminder(tmp_path: Path) -> None:
    app, console = recorded(tmp_path)
    app.run(["databases track", "remind 2", "agenda", ":wait 5h", ":quit", "agenda"], echo=True)
    out = console.export_text()
    assert "» databases track" in out and "3 sessions in track Databases:" in out
    assert "Saved “Scaling PostgreSQL”. I'll remind you at Sat 28 Mar 13:50 (10 minutes before)." in out
    assert "reminder Sat 13:50" in out
    assert "🔔 [Sat 28 Mar 13:50 CET] direct message" in out
    assert "⏰ Starting in 10 minutes in H.1302: “Scaling PostgreSQL” with Jana Čermák." in out
    assert "(now 2026-03-28T14:00:00+01:00)" in out
    assert out.count("Your agenda:") == 1  # nothing after :quit


def test_time_sets_the_clock_and_delivers_overdue(tmp_path: Path) -> None:
    app, console = recorded(tmp_path)
    app.run(["remind 3", ":time 2026-03-28T13:56:00+01:00", ":time", ":time not-a-time", ":wait soon"])
    out = console.export_text()
    assert "Clock set to 2026-03-28T13:56:00+01:00" in out
    assert "⏰ Starting in 4 minutes" in out
    assert "It is 2026-03-28T13:56:00+01:00" in out
    assert "is not an ISO 8601 time" in out
    assert ":wait takes a duration such as 90m" in out


def test_export_writes_the_file(tmp_path: Path) -> None:
    app, console = recorded(tmp_path)
    app.run(["remind 12", "export"])
    assert (tmp_path / "confbot-agenda.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert f"Written to {tmp_path / 'confbot-agenda.ics'}" in console.export_text()


def test_durations() -> None:
    assert parse_duration("90m").total_seconds() == 5400  # type: ignore[union-attr]
    assert parse_duration("10h").total_seconds() == 36000  # type: ignore[union-attr]
    assert parse_duration("1h30m").total_seconds() == 5400  # type: ignore[union-attr]
    assert parse_duration("2d").total_seconds() == 172800  # type: ignore[union-attr]
    assert parse_duration("soon") is None and parse_duration("") is None


def test_schedule_text_is_never_console_markup() -> None:
    session = Session(id="x", title="[bold red]Pwned[/] <script>", speakers=(Speaker("[link=http://evil]me"),))
    text = render_reply(Reply("[blink]hi", (Card("c", session, "UTC", number=1),)))
    console = Console(record=True, width=100, color_system=None)
    console.print(text)
    out = console.export_text()
    assert "[bold red]Pwned[/] <script>" in out and "[link=http://evil]me" in out and "[blink]hi" in out


def test_chat_reads_a_script_from_standard_input(cli: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "chat.db"
    assert cli("import", FIXTURES / "searchcon.schedule.json", "--db", db).code == 0
    out = chat_process(db, "talks on horovod\nremind 1\n:wait 40h\n", "2026-03-29T12:00:00+02:00")
    assert "Saved “Hands-on Horovod”" in out
    assert "⏰ Starting in 10 minutes in K.3.201: “Hands-on Horovod” with Jo Dowling." in out


def test_chat_rejects_a_bad_clock_in_one_line(cli: CliRunner, tmp_path: Path) -> None:
    result = cli("chat", "--db", tmp_path / "x.db", "--now", "tuesday")
    assert result.code == 1 and "--now 'tuesday' is not an ISO 8601 time" in result.err


def test_chat_on_a_missing_store_names_it_and_creates_nothing(cli: CliRunner, tmp_path: Path) -> None:
    typo = tmp_path / "typo.db"
    result = cli("chat", "--db", typo, "--now", "2026-03-28T09:00:00+01:00")
    assert result.code == 1 and result.out == "" and "Traceback" not in result.err
    assert result.err.strip().splitlines() == [
        f"confbot: error: {typo}: no such database; import a schedule into it first "
        f"(confbot import PATH_OR_URL --db {typo}) or choose another --db"
    ]
    assert list(tmp_path.iterdir()) == []
    assert cli("import", FIXTURES / "searchcon.schedule.json", "--db", typo).code == 0  # import still creates it
