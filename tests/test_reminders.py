"""Reminders on time, once: due times, lead changes, snooze, moves, downtime, restarts and rate limits."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.notify import DeliveryError
from bot.reminders.service import make_dispatcher
from catalog.load import load
from tests.conftest import FIXTURES, CliRunner
from tests.fakes import ME, Core, build_core

SAT_0900 = "2026-03-28T09:00:00+01:00"


def run(core: Core) -> list[str]:
    return [o.state for o in asyncio.run(core.dispatcher.run_due())]


def at(core: Core, text: str) -> None:
    core.clock.set(datetime.fromisoformat(text))


@pytest.fixture
def core(tmp_path: Path) -> Core:
    return build_core(tmp_path, SAT_0900)


def test_reminder_goes_at_start_minus_lead_and_only_once(core: Core) -> None:
    core.ask("remind 3")  # Scaling PostgreSQL, Sat 14:00 (+01:00)
    assert core.dispatcher.next_wake() == datetime.fromisoformat("2026-03-28T13:50:00+01:00")
    at(core, "2026-03-28T13:49:00+01:00")
    assert run(core) == [] and core.notifier.sent == []
    at(core, "2026-03-28T13:50:00+01:00")
    assert run(core) == ["sent"]
    target, reply = core.notifier.sent[0]
    assert (target.platform, target.workspace, target.address, target.is_channel) == ("console", "local", "me", False)
    assert reply.text == "⏰ Starting in 10 minutes in H.1302: “Scaling PostgreSQL” with Jana Čermák."
    assert [a.kind for a in reply.actions] == ["snooze", "forget"]
    at(core, "2026-03-28T13:55:00+01:00")
    assert run(core) == [] and len(core.notifier.sent) == 1
    assert core.dispatcher.next_wake() is None


def test_lead_time_change_moves_the_reminder(core: Core) -> None:
    core.ask("remind 3")
    core.ask("settings lead 30")
    assert core.dispatcher.next_wake() == datetime.fromisoformat("2026-03-28T13:30:00+01:00")


def test_reminders_are_right_across_the_dst_change(core: Core) -> None:
    core.ask("remind 14")  # Sunday 09:30 CEST, the morning after clocks went forward
    assert core.dispatcher.next_wake() == datetime.fromisoformat("2026-03-29T09:20:00+02:00")


def test_snooze_reminds_again_later(core: Core) -> None:
    core.ask("remind 3")
    at(core, "2026-03-28T13:50:00+01:00")
    run(core)
    reply = core.press("snooze", "searchcon-2026:3")
    assert reply.text == "OK, I'll remind you again about “Scaling PostgreSQL” at Sat 28 Mar 13:55."
    at(core, "2026-03-28T13:55:00+01:00")
    assert run(core) == ["sent"]
    assert core.notifier.sent[-1][1].text.startswith("⏰ Starting in 5 minutes")
    at(core, "2026-03-28T13:58:00+01:00")
    assert core.ask("snooze 5").text == "“Scaling PostgreSQL” starts before then; no later reminder."


def test_forgotten_session_is_not_reminded(core: Core) -> None:
    core.ask("remind 3")
    core.ask("forget 3")
    at(core, "2026-03-28T13:50:00+01:00")
    assert run(core) == [] and core.notifier.sent == []


def _reimport_with(core: Core, session_id: str, **changes: object) -> None:
    catalog = load(str(FIXTURES / "searchcon.schedule.json"))
    sessions = tuple(replace(s, **changes) if s.id == session_id else s for s in catalog.sessions)
    core.catalogs.save(replace(catalog, sessions=sessions))


def test_moved_session_moves_its_reminder(core: Core) -> None:
    core.ask("remind 3")
    start = datetime.fromisoformat("2026-03-28T16:00:00+01:00")
    _reimport_with(core, "3", start=start, end=start + timedelta(minutes=40))
    at(core, "2026-03-28T13:50:00+01:00")
    assert run(core) == []
    assert core.dispatcher.next_wake() == datetime.fromisoformat("2026-03-28T15:50:00+01:00")


def test_removed_session_has_no_reminder(core: Core) -> None:
    core.ask("remind 3")
    catalog = load(str(FIXTURES / "searchcon.schedule.json"))
    core.catalogs.save(replace(catalog, sessions=tuple(s for s in catalog.sessions if s.id != "3")))
    at(core, "2026-03-28T13:50:00+01:00")
    assert run(core) == [] and core.dispatcher.next_wake() is None


def test_after_downtime_late_reminder_says_the_true_time_left(core: Core) -> None:
    core.ask("remind 3")
    at(core, "2026-03-28T13:57:00+01:00")  # the bot was down at 13:50
    assert run(core) == ["sent"]
    assert core.notifier.sent[0][1].text.startswith("⏰ Starting in 3 minutes")


def test_after_downtime_a_started_session_is_skipped_and_logged(core: Core, caplog: pytest.LogCaptureFixture) -> None:
    core.ask("remind 3")
    at(core, "2026-03-28T14:05:00+01:00")
    with caplog.at_level("INFO", logger="confbot.reminders"):
        assert run(core) == ["skipped"]
    assert core.notifier.sent == []
    assert "the session started at 2026-03-28 14:00:00+01:00" in caplog.text
    state = core.catalogs.db.execute("SELECT state, error FROM deliveries").fetchone()
    assert state == ("skipped", "session already started")
    assert run(core) == []


def test_restart_between_claim_and_send_delivers_once(core: Core) -> None:
    core.ask("remind 3")
    at(core, "2026-03-28T13:50:00+01:00")
    due = core.dispatcher.candidates(core.clock.now())[0]
    assert core.dispatcher._claim_batch([due], core.clock.now()) == {due.key}  # claimed, then the process dies
    restarted = make_dispatcher(core.catalogs, core.agenda, core.notifier, core.clock, worker="after-restart")
    assert [o.state for o in asyncio.run(restarted.run_due())] == ["busy"]  # the claim is still fresh
    at(core, "2026-03-28T13:53:00+01:00")  # past the claim timeout: the claim is abandoned
    assert [o.state for o in asyncio.run(restarted.run_due())] == ["sent"]
    assert [o.state for o in asyncio.run(restarted.run_due())] == []
    assert len(core.notifier.sent) == 1


def test_two_dispatchers_on_one_store_never_both_send(core: Core) -> None:
    core.ask("remind 3")
    core.ask("remind 15")
    at(core, "2026-03-28T13:51:00+01:00")
    other = make_dispatcher(core.catalogs, core.agenda, core.notifier, core.clock, worker="second")

    async def both() -> None:
        await asyncio.gather(core.dispatcher.run_due(), other.run_due())

    asyncio.run(both())
    asyncio.run(both())
    keys = [r.text for _, r in core.notifier.sent]
    assert len(keys) == 1  # only Scaling PostgreSQL is due at 13:51; DuckDB (12:00) had already started
    rows = core.catalogs.db.execute("SELECT count(*) FROM deliveries WHERE state = 'sent'").fetchone()[0]
    assert rows == 1


def test_429_is_retried_after_retry_after_and_nothing_is_lost(core: Core) -> None:
    core.ask("remind 3")
    core.notifier.fail_with = [DeliveryError("rate limited", retry_after=30)]
    at(core, "2026-03-28T13:50:00+01:00")
    assert run(core) == ["failed"]
    assert core.dispatcher.next_wake() == datetime.fromisoformat("2026-03-28T13:50:30+01:00")
    at(core, "2026-03-28T13:50:10+01:00")
    assert run(core) == ["busy"] and core.notifier.sent == []
    at(core, "2026-03-28T13:50:30+01:00")
    assert run(core) == ["sent"]
    assert core.notifier.sent[0][1].text.startswith("⏰ Starting in 10 minutes")


def test_permanent_failure_is_recorded_not_retried(core: Core) -> None:
    core.ask("remind 3")
    core.notifier.fail_with = [DeliveryError("user left the workspace", permanent=True)]
    at(core, "2026-03-28T13:50:00+01:00")
    assert run(core) == ["failed"]
    assert run(core) == []
    row = core.catalogs.db.execute("SELECT state, attempts, error FROM deliveries").fetchone()
    assert row == ("failed", 1, "user left the workspace")


def test_notifier_crash_is_transient_with_backoff(core: Core) -> None:
    core.ask("remind 3")

    def boom(*_: object) -> None:
        raise ConnectionResetError("network went away")

    core.notifier.on_send = boom
    at(core, "2026-03-28T13:50:00+01:00")
    assert run(core) == ["failed"]
    assert core.dispatcher.next_wake() == datetime.fromisoformat("2026-03-28T13:50:05+01:00")
    core.notifier.on_send = None
    at(core, "2026-03-28T13:50:05+01:00")
    assert run(core) == ["sent"]


def test_reminders_of_different_people_are_separate(core: Core) -> None:
    from bot.messages import Person

    you = Person("console", "local", "you")
    core.ask("remind 3")
    core.ask("databases track", you)
    core.ask("remind 2", you)  # the second of DuckDB, Scaling PostgreSQL, Postgres replication
    at(core, "2026-03-28T13:50:00+01:00")
    assert run(core) == ["sent", "sent"]
    assert sorted(t.address for t, _ in core.notifier.sent) == ["me", "you"]


@pytest.mark.parametrize(
    ("said", "again"), [("snooze", "13:55"), ("snooze 1", "13:55"), ("snooze 3", "13:53"), ("snooze 1 7", "13:57")]
)
def test_snooze_right_after_a_reminder_is_about_that_reminder(core: Core, said: str, again: str) -> None:
    core.ask("remind 12")  # Sunday: nothing to do with the reminder below
    core.ask("databases track")  # a list whose first item is not the session reminded about
    core.ask("remind 2")  # Scaling PostgreSQL
    at(core, "2026-03-28T13:50:00+01:00")
    assert run(core) == ["sent"]
    reply = core.ask(said)
    assert reply.text == f"OK, I'll remind you again about “Scaling PostgreSQL” at Sat 28 Mar {again}."
    at(core, f"2026-03-28T{again}:00+01:00")
    assert run(core) == ["sent"] and "Scaling PostgreSQL" in core.notifier.sent[-1][1].text


def test_forget_it_right_after_a_reminder_drops_that_session(core: Core) -> None:
    core.ask("remind 12")
    core.ask("remind 3")
    core.ask("about 12")  # the conversation was last about Horovod; then the reminder came
    at(core, "2026-03-28T13:50:00+01:00")
    run(core)
    assert core.ask("forget it").text == "Removed “Scaling PostgreSQL” from your agenda."
    assert core.agenda.saved(ME) == [("searchcon-2026", "12")]


def test_once_something_else_is_said_a_number_is_the_list_again(core: Core) -> None:
    core.ask("databases track")
    core.ask("remind 2")
    core.ask("remind 3")  # Postgres replication, Sunday
    at(core, "2026-03-28T13:50:00+01:00")
    run(core)
    core.ask("agenda")
    assert core.ask("snooze 2").text.startswith("OK, I'll remind you again about “Postgres replication deep dive”")


def test_reminders_status_says_what_is_due_next(core: Core, cli: CliRunner) -> None:
    """Its --help promised 'what is due next'; it printed only what had been delivered."""
    from bot.messages import Person

    core.ask("remind 3")  # Scaling PostgreSQL, Sat 14:00 (+01:00)
    core.ask("remind 3", Person("console", "local", "ann"))
    status = cli("reminders", "status", "--db", core.db_path, "--now", SAT_0900)
    assert status.code == 0
    due = status.out.split("Due next:\n", 1)[1].splitlines()
    assert due[0].startswith("  2026-03-28 13:50 +01:00  searchcon-2026: ") and due[0].endswith("for 2 people")
    at(core, "2026-03-28T13:50:00+01:00")
    assert run(core) == ["sent", "sent"]
    after = cli("reminders", "status", "--db", core.db_path, "--now", "2026-03-28T13:51:00+01:00")
    assert "Nothing is due next" in after.out and "Due next:" not in after.out
    as_json = json.loads(cli("reminders", "status", "--db", core.db_path, "--json", "--now", SAT_0900).out)
    assert as_json["due_next"] == []  # both were sent: nothing left to send for them


def test_reminders_status_reads_a_zoneless_now_at_the_conference(core: Core, cli: CliRunner) -> None:
    """`search` and `chat` read --now 13:55 as 13:55 at the conference; `reminders status` read it as UTC (14:55
    in Brussels), so the 13:50 reminder it should still list was already 'due' at a different moment."""
    core.ask("remind 3")  # Scaling PostgreSQL, Sat 14:00 (+01:00): reminder 13:50
    early = cli("reminders", "status", "--db", core.db_path, "--now", "2026-03-28T13:45:00")
    assert "read in Europe/Brussels, the zone of SearchCon 2026" in early.err
    assert "2026-03-28 13:50 +01:00  searchcon-2026: " in early.out  # still to come at 13:45 Brussels time
    utc = cli("reminders", "status", "--db", core.db_path, "--now", "2026-03-28T13:45:00+00:00")
    assert "Due next:" not in utc.out and utc.err == ""  # 14:45 in Brussels: past it
