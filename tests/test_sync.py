"""`confbot sync`: reminders follow moved sessions, people and channels are told, broken updates refused."""

from __future__ import annotations

import asyncio
import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from adapters.console.render import when
from bot.messages import Incoming
from bot.sync import sync_conference
from tests.conftest import FIXTURES, CliRunner
from tests.fakes import ME, Core, build_core

NOW = "2026-03-28T09:00:00+01:00"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "searchcon.schedule.json"
    shutil.copy(FIXTURES / "searchcon.schedule.json", path)
    return path


@pytest.fixture
def core(tmp_path: Path, source: Path) -> Core:
    from catalog.load import load

    core = build_core(tmp_path, NOW)
    core.catalogs.save(load(str(source)))  # the store now points at our own copy
    return core


def edit(source: Path, session_id: int, **changes: str) -> None:
    doc = json.loads(source.read_text())
    for day in doc["schedule"]["conference"]["days"]:
        for events in day["rooms"].values():
            for event in events:
                if event["id"] == session_id:
                    event.update(changes)
    source.write_text(json.dumps(doc))


def remove(source: Path, ids: set[int]) -> None:
    doc = json.loads(source.read_text())
    for day in doc["schedule"]["conference"]["days"]:
        for room, events in day["rooms"].items():
            day["rooms"][room] = [e for e in events if e["id"] not in ids]
    source.write_text(json.dumps(doc))


def deliver(core: Core) -> list[str]:
    asyncio.run(core.dispatcher.run_due())
    return [r.text for _, r in core.notifier.sent]


def test_moved_session_tells_the_person_and_moves_the_reminder(core: Core, source: Path) -> None:
    core.ask("remind 3")
    edit(source, 3, date="2026-03-28T16:00:00+01:00", room="Janson")
    report = sync_conference(core.catalogs, "searchcon-2026", core.clock.now())
    assert report.outcome == "updated" and report.notices == 1
    assert "0 added, 1 changed (1 moved), 0 removed" in report.message
    assert deliver(core) == [
        "📅 “Scaling PostgreSQL” changed: now Sat 28 Mar 16:00 CET in Janson (was Sat 28 Mar 14:00 CET in H.1302). "
        "Your reminder moved with it."
    ]
    assert core.dispatcher.next_wake() == datetime.fromisoformat("2026-03-28T15:50:00+01:00")
    sync_conference(core.catalogs, "searchcon-2026", core.clock.now())
    assert len(deliver(core)) == 1  # nothing new: told once


def test_a_notice_and_the_reminder_read_in_the_zone_the_person_chose(core: Core, source: Path) -> None:
    """The agenda shows 'Sat 28 Mar 13:00 GMT' to someone who chose London: so must a notice and a reminder."""
    assert "Europe/London" in core.ask("settings timezone Europe/London").text
    core.ask("remind 3")
    assert when(core.ask("agenda").cards[0]) == "Sat 28 Mar 13:00–13:40 GMT"  # 14:00 CET, as the agenda shows it
    edit(source, 3, date="2026-03-28T16:00:00+01:00")
    sync_conference(core.catalogs, "searchcon-2026", core.clock.now())
    [notice] = deliver(core)
    assert "now Sat 28 Mar 15:00 GMT in H.1302 (was Sat 28 Mar 13:00 GMT in H.1302)" in notice
    core.clock.advance(timedelta(hours=6, minutes=50))  # 15:50 CET: ten minutes before the moved session
    asyncio.run(core.dispatcher.run_due())
    reminder = core.notifier.sent[-1][1]
    assert reminder.text.startswith("⏰ Starting in 10 minutes") and reminder.cards[0].zone == "Europe/London"
    assert when(reminder.cards[0]).startswith("Sat 28 Mar 15:00–")  # the console's card, in London's time
    assert when(reminder.cards[0]).endswith(" GMT")


def test_removed_session_cancels_its_reminder_and_says_so(core: Core, source: Path) -> None:
    core.ask("remind 3")
    remove(source, {3})
    sync_conference(core.catalogs, "searchcon-2026", core.clock.now())
    removed = "❌ “Scaling PostgreSQL” was removed from the schedule: it is off your agenda, and no reminder will come."
    assert deliver(core) == [removed]
    core.clock.set(datetime.fromisoformat("2026-03-28T13:55:00+01:00"))
    assert len(deliver(core)) == 1


def test_announcement_channel_gets_one_summary(core: Core, source: Path) -> None:
    core.conversation.handle(Incoming(ME, "announce here", channel="C1", is_direct=False, is_admin=True))
    edit(source, 3, date="2026-03-28T16:00:00+01:00")
    edit(source, 4, title="RISC-V bring-up, revisited")
    sync_conference(core.catalogs, "searchcon-2026", core.clock.now())
    asyncio.run(core.dispatcher.run_due())
    bulletins = [r.text for t, r in core.notifier.sent if t.is_channel and r.text.startswith("📅")]
    assert len(bulletins) == 1
    assert bulletins[0].startswith("📅 Schedule update for SearchCon 2026: 0 added, 2 changed (1 moved), 0 removed")
    assert "“RISC-V bring-up on new boards” changed: is now called “RISC-V bring-up, revisited”." in bulletins[0]


def test_removing_too_much_is_refused_and_admins_are_told(core: Core, source: Path) -> None:
    core.conversation.handle(Incoming(ME, "announce here", channel="C1", is_direct=False, is_admin=True))
    core.conversation.handle(Incoming(ME, "databases track"))
    core.conversation.handle(Incoming(ME, "remind 1"))  # someone saved a session the new schedule drops
    saved = {int(row[0]) for row in core.catalogs.db.execute("SELECT session_id FROM agenda").fetchall()}
    assert len(saved) == 1
    before = core.catalogs.sessions("searchcon-2026")
    removed = {1, 2, 3, 4, 5} | saved
    remove(source, removed)
    report = sync_conference(core.catalogs, "searchcon-2026", core.clock.now())
    assert report.outcome == "refused"
    assert f"would remove {len(removed)} of 16 sessions" in report.message
    assert "affecting 1 person's saved sessions; refused" in report.message
    assert core.catalogs.sessions("searchcon-2026") == before
    admin = deliver(core)
    assert any(text.startswith("⚠ Schedule sync: SearchCon 2026: the new schedule would remove") for text in admin)
    forced = sync_conference(core.catalogs, "searchcon-2026", core.clock.now(), force=True)
    assert forced.outcome == "updated" and len(core.catalogs.sessions("searchcon-2026")) == 16 - len(removed)


def test_unreachable_source_keeps_the_last_good_copy(core: Core, source: Path) -> None:
    before = core.catalogs.sessions("searchcon-2026")
    source.write_text("{ this is not json")
    report = sync_conference(core.catalogs, "searchcon-2026", core.clock.now())
    assert report.outcome == "unreachable" and "kept the last good copy" in report.message
    assert core.catalogs.sessions("searchcon-2026") == before
    logged = core.catalogs.db.execute("SELECT outcome FROM sync_log").fetchall()
    assert logged == [("unreachable",)]


def test_cli_sync_and_status(cli: CliRunner, tmp_path: Path, source: Path) -> None:
    db = tmp_path / "cli.db"
    assert cli("import", source, "--db", db).code == 0
    unchanged = cli("sync", "--db", db)
    assert unchanged.code == 0 and unchanged.out == "searchcon-2026: no changes (16 sessions unchanged).\n"
    remove(source, {1, 2, 3, 4, 5, 6, 7})
    refused = cli("sync", "--db", db)
    assert refused.code == 1 and "refused" in refused.out
    assert cli("sync", "--db", db, "--force").code == 0
    status = cli("reminders", "status", "--db", db)
    assert status.code == 0 and "No deliveries yet." in status.out
    assert cli("sync", "--db", db, "--conference", "nope").code == 1


def test_cli_sync_names_a_conference_titled_like_its_slug_once(cli: CliRunner, tmp_path: Path) -> None:
    """'camp99: unchanged: camp99: no changes …' said the slug twice and the outcome twice."""
    source = tmp_path / "camp99.csv"
    shutil.copy(FIXTURES / "mini.csv", source)
    db = tmp_path / "csv.db"
    assert cli("import", source, "--db", db, "--timezone", "Europe/Berlin").code == 0
    synced = cli("sync", "--db", db)
    assert synced.code == 0
    assert synced.out.count("camp99") == 1 and synced.out.startswith("camp99: no changes (")
    assert "unchanged:" not in synced.out


def test_sync_reads_a_csv_again_with_the_column_names_it_was_imported_with(cli: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "agenda.csv"
    shutil.copy(FIXTURES / "mini-custom.csv", source)
    db = tmp_path / "csv.db"
    imported = cli("import", source, "--db", db, "--timezone", "Europe/Berlin", "--column", "abstract=Blurb")
    assert imported.code == 0
    source.write_text(source.read_text().replace("Advanced Helm", "Advanced Helm charts"))
    synced = cli("sync", "--db", db)
    assert synced.code == 0 and "0 added, 1 changed, 0 removed" in synced.out


def test_admins_sync_from_the_chat(core: Core, source: Path) -> None:
    member = core.conversation.handle(Incoming(ME, "sync", channel="C1", is_direct=False))
    assert member.text == "Only workspace admins can sync the schedule."
    edit(source, 3, date="2026-03-28T16:00:00+01:00")
    admin = core.conversation.handle(Incoming(ME, "sync", channel="C1", is_direct=False, is_admin=True))
    assert admin.text.startswith("SearchCon 2026: 0 added, 1 changed (1 moved)")


def test_sync_counts_one_session_as_one(cli: CliRunner, tmp_path: Path) -> None:
    db, source = tmp_path / "s.db", tmp_path / "solo.csv"
    source.write_text("id,title,start\na,Only talk,2026-01-31 10:00\n", encoding="utf-8")
    assert cli("import", source, "--db", db, "--timezone", "Europe/Berlin").code == 0
    assert cli("sync", "--db", db).out == "solo: no changes (1 session unchanged).\n"
    source.write_text("id,title,start\nb,Another talk,2026-01-31 10:00\n", encoding="utf-8")
    refused = cli("sync", "--db", db)
    assert refused.code == 1 and "would remove 1 of 1 session (100%)" in refused.out


def test_forget_all_counts_what_the_agenda_shows(core: Core, source: Path) -> None:
    """After a sync removed one of three saved sessions, 'agenda' listed 2 and 'forget all' offered to drop 3."""
    for number in (2, 3, 4):
        core.ask(f"remind {number}")
    remove(source, {3})
    sync_conference(core.catalogs, "searchcon-2026", core.clock.now())
    assert len(core.ask("agenda").cards) == 2
    assert core.ask("forget all").text.startswith("That would drop all 2 sessions from your agenda")
    assert core.ask("yes").text == "Done: your agenda is empty (2 sessions dropped, with their reminders)."
    assert core.ask("agenda").text.startswith("Your agenda is empty")
