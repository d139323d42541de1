"""Exactly once under pressure: lead 0, one delivery loop, per-message records, deadlines, leases, compare-and-set
moves, and a poke that only reads what changed."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.messages import Person, Reply
from bot.notify import Target
from bot.outbox import Limits, Outbox
from bot.reminders import ledger
from bot.reminders.scheduler import WakeScheduler
from bot.reminders.service import make_dispatcher
from tests.fakes import Core, build_core

SAT_0900 = "2026-03-28T09:00:00+01:00"
SLUG = "searchcon-2026"


@pytest.fixture
def core(tmp_path: Path) -> Core:
    return build_core(tmp_path, SAT_0900)


def at(core: Core, text: str) -> None:
    core.clock.set(datetime.fromisoformat(text))


def people(n: int) -> list[Person]:
    return [Person("console", "local", f"p{i:04d}") for i in range(n)]


def states(core: Core) -> dict[str, int]:
    rows = core.catalogs.db.execute("SELECT state, count(*) FROM deliveries GROUP BY state").fetchall()
    return {state: count for state, count in rows}


@dataclass
class GatedNotifier:
    """Our notifier port: sends to people in `held` wait until `gate` opens; everyone else goes at once."""

    held: set[str] = field(default_factory=set)
    gate: asyncio.Event | None = None
    sent: list[tuple[Target, Reply]] = field(default_factory=list)
    started: list[str] = field(default_factory=list)

    async def send(self, target: Target, reply: Reply) -> None:
        self.started.append(target.address)
        await asyncio.sleep(0.001)
        if target.address in self.held:
            assert self.gate is not None
            await self.gate.wait()
        self.sent.append((target, reply))


def test_lead_zero_reminds_at_the_start(core: Core) -> None:
    core.ask("settings lead 0")
    core.ask("remind 3")  # Scaling PostgreSQL, Sat 14:00
    assert core.dispatcher.next_wake() == datetime.fromisoformat("2026-03-28T14:00:00+01:00")
    at(core, "2026-03-28T14:00:00+01:00")
    assert [o.state for o in asyncio.run(core.dispatcher.run_due())] == ["sent"]
    assert core.notifier.sent[0][1].text.startswith("⏰ Starting now in H.1302")


def test_a_late_reminder_within_the_grace_says_it_started(core: Core) -> None:
    core.ask("settings lead 0")
    core.ask("remind 3")
    at(core, "2026-03-28T14:03:00+01:00")  # down at 14:00, back three minutes later
    assert [o.state for o in asyncio.run(core.dispatcher.run_due())] == ["sent"]
    assert core.notifier.sent[0][1].text.startswith("⏰ Started 3 minutes ago in H.1302")


def test_a_burst_longer_than_one_pass_goes_once_even_when_run_due_overlaps(core: Core) -> None:
    for person in people(300):
        core.agenda.save(person, SLUG, "3", core.clock.now())
    at(core, "2026-03-28T13:50:00+01:00")

    async def tick_and_wake_at_once() -> list[list[str]]:
        runs = await asyncio.gather(*(core.dispatcher.run_due() for _ in range(3)))
        return [[o.state for o in run] for run in runs]

    runs = asyncio.run(tick_and_wake_at_once())
    assert sorted(len(r) for r in runs) == [0, 0, 300]  # one loop delivered; the others only asked it to look again
    addresses = [t.address for t, _ in core.notifier.sent]
    assert len(addresses) == 300 and len(set(addresses)) == 300
    assert states(core) == {"sent": 300}


def test_each_send_is_recorded_as_it_lands_and_a_slow_one_holds_back_no_one(tmp_path: Path) -> None:
    core = build_core(tmp_path, SAT_0900)
    crowd = people(40)
    for person in crowd:
        core.agenda.save(person, SLUG, "3", core.clock.now())
    notifier = GatedNotifier(held={crowd[0].user})
    dispatcher = make_dispatcher(core.catalogs, core.agenda, notifier, core.clock, "gated")
    at(core, "2026-03-28T13:50:00+01:00")

    async def scenario() -> dict[str, int]:
        notifier.gate = asyncio.Event()
        running = asyncio.create_task(dispatcher.run_due())
        for _ in range(200):
            await asyncio.sleep(0.01)
            if len(notifier.sent) == 39 and states(core).get("sent") == 39:
                break
        seen = states(core)  # the slow send is still in flight: everyone else is already recorded
        notifier.gate.set()
        await running
        return seen

    assert asyncio.run(scenario()) == {"sent": 39, "claimed": 1}
    assert states(core) == {"sent": 40}


def test_a_hung_send_is_abandoned_at_its_deadline_and_retried(tmp_path: Path) -> None:
    core = build_core(tmp_path, SAT_0900)
    notifier = GatedNotifier(held={"me"}, gate=None)
    dispatcher = make_dispatcher(core.catalogs, core.agenda, notifier, core.clock, "hung", send_timeout=0.2)
    core.ask("remind 3")
    at(core, "2026-03-28T13:50:00+01:00")

    async def hang_then_recover() -> tuple[list[str], list[str]]:
        notifier.gate = asyncio.Event()  # never set: the platform never answers
        first = [o.state for o in await dispatcher.run_due()]
        notifier.held.clear()
        at(core, "2026-03-28T13:50:05+01:00")  # the backoff after a first failure
        second = [o.state for o in await dispatcher.run_due()]
        return first, second

    first, second = asyncio.run(hang_then_recover())
    assert first == ["failed"] and second == ["sent"]
    error = core.catalogs.db.execute("SELECT state, attempts FROM deliveries").fetchone()
    assert error == ("sent", 1)


def test_a_lease_is_renewed_while_a_send_runs_so_no_one_else_takes_it(tmp_path: Path) -> None:
    core = build_core(tmp_path, SAT_0900)
    core.ask("remind 3")
    slow = GatedNotifier(held={"me"})
    lease = timedelta(seconds=0.4)  # renewed every 0.1 s of real time, with the clock's time
    first = make_dispatcher(core.catalogs, core.agenda, slow, core.clock, "first", lease=lease, send_timeout=30)
    second = make_dispatcher(core.catalogs, core.agenda, core.notifier, core.clock, "second", lease=lease)
    at(core, "2026-03-28T13:50:00+01:00")

    async def both() -> list[str]:
        slow.gate = asyncio.Event()
        sending = asyncio.create_task(first.run_due())
        while not slow.started:
            await asyncio.sleep(0.01)
        core.clock.advance(timedelta(minutes=5))  # long past the lease...
        await asyncio.sleep(0.3)  # ...but the first dispatcher is alive and renews it
        other = [o.state for o in await second.run_due()]
        slow.gate.set()
        await sending
        return other

    assert asyncio.run(both()) == ["busy"]
    assert len(slow.sent) == 1 and core.notifier.sent == []
    assert states(core) == {"sent": 1}


def test_state_changes_are_compare_and_set(core: Core) -> None:
    core.ask("remind 3")
    at(core, "2026-03-28T13:50:00+01:00")
    due = core.dispatcher.candidates(core.clock.now())[0]
    conn, now, lease = core.catalogs.db.conn, core.clock.now(), timedelta(minutes=2)
    assert [d.key for d, _ in ledger.claim(conn, [due], "a", now, lease, set())] == [due.key]
    assert ledger.claim(conn, [due], "b", now, lease, set()) == []  # a fresh claim is not taken
    assert not ledger.skip(conn, due, now, "late", lease)  # nor skipped under its holder
    later = now + timedelta(minutes=3)
    assert len(ledger.claim(conn, [due], "b", later, lease, set())) == 1  # an abandoned lease is
    assert not ledger.record_sent(conn, due.key, "a", later)  # the old holder cannot record over the new one
    assert ledger.record_sent(conn, due.key, "b", later)
    assert not ledger.skip(conn, due, later + timedelta(hours=1), "late", lease)  # 'sent' is never overwritten
    assert ledger.record_failure(conn, due.key, "b", later, "boom", None, False) is None
    assert states(core) == {"sent": 1}


def test_a_worker_never_retakes_its_own_claim_in_flight(core: Core) -> None:
    core.ask("remind 3")
    at(core, "2026-03-28T13:50:00+01:00")
    due = core.dispatcher.candidates(core.clock.now())[0]
    conn, lease = core.catalogs.db.conn, timedelta(minutes=2)
    ledger.claim(conn, [due], "a", core.clock.now(), lease, set())
    much_later = core.clock.now() + timedelta(minutes=3)
    assert ledger.claim(conn, [due], "a", much_later, lease, {due.key}) == []


def test_poke_moves_the_wake_up_earlier_from_what_changed(core: Core) -> None:
    scheduler = WakeScheduler(core.dispatcher)
    core.ask("remind 3")  # 14:00 -> 13:50
    scheduler.poke()
    assert scheduler.next_at == datetime.fromisoformat("2026-03-28T13:50:00+01:00")
    core.ask("settings lead 30")  # a lead change moves it earlier
    scheduler.poke()
    assert scheduler.next_at == datetime.fromisoformat("2026-03-28T13:30:00+01:00")
    core.ask("remind 1")  # 10:00 talk: earlier still
    scheduler.poke()
    first = scheduler.next_at
    assert first is not None and first < datetime.fromisoformat("2026-03-28T13:30:00+01:00")
    core.ask("hello")  # nothing changed: nothing moves
    scheduler.poke()
    assert scheduler.next_at == first


def test_the_outbox_abandons_a_hung_attempt_and_forgets_idle_buckets() -> None:
    clock = [0.0]

    @dataclass
    class Hanging:
        async def send(self, target: Target, reply: Reply) -> None:
            if target.address == "hang":
                await asyncio.sleep(10)

    outbox = Outbox(Hanging(), {"slack": Limits(per_channel=1.0)}, attempt_timeout=0.1, now=lambda: clock[0])
    for i in range(50):
        asyncio.run(outbox.send(Target("slack", "T1", f"D{i}"), Reply("hi")))
    assert len(outbox.buckets) == 50
    clock[0] = 60.0
    asyncio.run(outbox.send(Target("slack", "T1", "D-new"), Reply("hi")))
    assert list(outbox.buckets) == [("channel", "slack", "T1", "D-new")]
    with pytest.raises(Exception, match="timeout: no answer within 0.1 s"):
        asyncio.run(outbox.send(Target("slack", "T1", "hang"), Reply("hi")))


def test_everyones_first_reminder_goes_before_anyones_second_and_workspaces_take_turns() -> None:
    from bot.reminders.dispatcher import spread
    from bot.reminders.due import Due

    start = datetime.fromisoformat("2026-03-28T14:00:00+01:00")

    def due(workspace: str, user: str, session: str) -> Due:
        key = f"reminder|slack|{workspace}|{user}|{session}"
        return Due(key, "reminder", "slack", workspace, user, SLUG, session, start, start, start)

    queue = [due(w, u, s) for w in ("T1", "T2") for u in ("a", "b") for s in ("1", "2")]
    order = [(d.workspace, d.address, d.session_id) for d in spread(queue)]
    assert [o[:2] for o in order[:4]] == [("T1", "a"), ("T2", "a"), ("T1", "b"), ("T2", "b")]
    assert {o[2] for o in order[:4]} == {"1"} and {o[2] for o in order[4:]} == {"2"}


def test_a_short_429_is_retried_within_the_same_pass(tmp_path: Path) -> None:
    from bot.notify import DeliveryError

    core = build_core(tmp_path, SAT_0900)
    core.ask("remind 3")
    at(core, "2026-03-28T13:50:00+01:00")

    class Ticking:  # our clock port: each look at it is a second later, as real time would be
        def now(self) -> datetime:
            return core.clock.advance(timedelta(seconds=1))

    dispatcher = make_dispatcher(core.catalogs, core.agenda, core.notifier, Ticking(), "ticking")
    core.notifier.fail_with = [DeliveryError("ratelimited", retry_after=0.05)] * 2
    assert [o.state for o in asyncio.run(dispatcher.run_due())] == ["sent"]
    assert len(core.notifier.sent) == 1
    assert core.catalogs.db.execute("SELECT state, attempts FROM deliveries").fetchone() == ("sent", 2)
