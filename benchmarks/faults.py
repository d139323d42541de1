"""Fault injection: the real outbox, wake scheduler and dispatcher in real OS processes on one SQLite file,
a fake platform that fails, hangs and limits like a real one (benchmarks/fault_platform.py), and kill -9
from outside.

Each dispatcher process is `python -m benchmarks.faults worker ...`: it wires the runtime's own pieces
(open_database, Outbox, make_dispatcher, WakeScheduler) around the fake platform. The harness saves
reminders, starts the processes, SIGKILLs them at random moments (restarting each), and compares what the
platform accepted with what was due: lost, duplicated (by cause: killed after the platform accepted, timed
out after it accepted, other), lateness p50/p99, the achieved rate, and whether `confbot reminders status`
agrees with the platform.
The baseline in the same run is a naive sender: every due reminder sent once, on time, with no retry.

`python -m benchmarks.faults` runs every scenario; `python -m benchmarks.faults --quick` a small version.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.common import print_table
from benchmarks.fault_platform import PLATFORM, FakePlatform, Faults, burst, create_platform, worker

ROOT = Path(__file__).resolve().parent.parent
# A copy counts as "killed after accept" only if its process was killed within this many seconds of the
# platform accepting it: "sent" is recorded milliseconds after acceptance, so a later kill cannot explain it.
KILL_WINDOW = 10.0


@dataclass(frozen=True)
class Scenario:
    name: str
    people: int
    sessions_each: int = 1
    workspaces: int = 1
    slots: int = 1  # distinct session start times
    span: float = 0.0  # seconds between the first and the last start
    leads: tuple[int, ...] = (0,)  # minutes; each person gets one at random
    start_in: float = 8.0  # seconds from setup to the first due time
    dispatchers: int = 1
    kills: int = 0
    faults: Faults = field(default_factory=Faults)
    outbox_rate: float = 200.0  # what the outbox allows per workspace (set at or under the platform's rate)
    lease: float = 30.0  # seconds (production default: 120)
    attempt_timeout: float = 8.0  # seconds per request in the outbox (production default: 20)
    tick: float = 5.0  # seconds between full looks (production default: 60)
    limit: float = 240.0  # seconds to wait for everything before giving up (what is missing then is lost)
    kill_after: float = 10.0  # kills fall between the first due time and this long after the last


# ---------------------------------------------------------------------------------------------- the harness
@dataclass
class Result:
    scenario: Scenario
    expected: int
    delivered: int
    lost: int
    duplicates: Counter[str]
    max_per_kill: int
    late_p50: float
    late_p99: float
    late_p99_others: float  # excluding deliveries whose first attempt hung or timed out
    rate: float  # messages a second while sending, over the platform's whole allowed rate
    status_sent: int
    kills: int
    seconds: float


def _catalog(scenario: Scenario, first_start: datetime) -> object:
    from catalog.demo import DEMO_CATALOG
    from catalog.load import load

    catalog = load(str(DEMO_CATALOG))
    template = catalog.sessions[0]
    step = scenario.span / max(1, scenario.slots - 1)
    sessions = []
    for i in range(scenario.slots):
        start = (first_start + timedelta(seconds=round(i * step))).replace(microsecond=0)
        sessions.append(
            replace(template, id=f"f{i}", title=f"Fault talk {i}", start=start, end=start + timedelta(hours=1))
        )
    return replace(catalog, sessions=tuple(sessions))


def _setup(scenario: Scenario, folder: Path, seed: int) -> dict[str, datetime]:
    """The store, with every reminder saved; returns each expected delivery key with its due time."""
    from bot.reminders.due import reminder_key
    from bot.store import CatalogStore, open_database

    rng = random.Random(seed)
    db = open_database(folder / "bot.db")
    biggest_lead = max(scenario.leads)
    first_start = datetime.now(UTC) + timedelta(seconds=scenario.start_in, minutes=biggest_lead)
    catalog = _catalog(scenario, first_start)
    CatalogStore(db).save(catalog)  # type: ignore[arg-type]
    slug = catalog.conference.slug  # type: ignore[attr-defined]
    sessions = catalog.sessions  # type: ignore[attr-defined]
    agenda_rows, settings_rows, expected = [], [], {}
    saved_at = datetime.now(UTC).isoformat()  # before every due time: a session saved too late gets no reminder
    for person in range(scenario.people):
        workspace = f"W{person % scenario.workspaces}"
        user = f"U{person:06d}"
        lead = rng.choice(scenario.leads)
        settings_rows.append((PLATFORM, workspace, user, lead, ""))
        for session in rng.sample(list(sessions), scenario.sessions_each):
            agenda_rows.append((PLATFORM, workspace, user, slug, session.id, saved_at))
            key = reminder_key(PLATFORM, workspace, user, slug, session.id, session.start)
            expected[key] = session.start - timedelta(minutes=lead)
    with db.conn:
        db.execute("BEGIN")
        db.conn.executemany(
            "INSERT INTO agenda (platform, workspace, user, conference, session_id, saved_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            agenda_rows,
        )
        db.conn.executemany(
            "INSERT INTO settings (platform, workspace, user, lead_minutes, timezone) VALUES (?, ?, ?, ?, ?)",
            settings_rows,
        )
    db.conn.close()
    create_platform(folder / "platform.db")
    return expected


def _start(folder: Path, scenario: Scenario, seed: int) -> subprocess.Popen[bytes]:
    log = open(folder / f"worker-{seed}.log", "wb")  # noqa: SIM115 - lives as long as the process
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "benchmarks.faults",
            "worker",
            str(folder / "bot.db"),
            str(folder / "platform.db"),
            json.dumps(asdict(scenario)),
            str(seed),
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _accepted(folder: Path) -> list[tuple[str, str, float, int, str]]:
    conn = sqlite3.connect(str(folder / "platform.db"), timeout=60)
    try:
        return conn.execute("SELECT key, workspace, at, pid, answered FROM accepted ORDER BY at").fetchall()
    finally:
        conn.close()


def _settled(folder: Path, expected: Iterable[str]) -> bool:
    """The store has nothing left to do (no claim, no retry pending) and the platform has every reminder.
    The store is asked first, by an indexed query, so polling costs the machine almost nothing."""
    conn = sqlite3.connect(str(folder / "bot.db"), timeout=60)
    try:
        busy = conn.execute(
            "SELECT 1 FROM deliveries WHERE state IN ('pending', 'claimed') "
            "OR (state = 'failed' AND next_attempt_at != '') LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    return not busy and {row[0] for row in _accepted(folder)}.issuperset(expected)


def _first_offer(folder: Path) -> float | None:
    """When the platform was first sent anything (accepted or not)."""
    conn = sqlite3.connect(str(folder / "platform.db"), timeout=60)
    try:
        return conn.execute("SELECT min(at) FROM offered").fetchone()[0]
    finally:
        conn.close()


def _troubled(folder: Path) -> set[str]:
    """Keys with a send that hung or timed out before the platform accepted it."""
    conn = sqlite3.connect(str(folder / "platform.db"), timeout=60)
    try:
        return {row[0] for row in conn.execute("SELECT key FROM troubled")}
    finally:
        conn.close()


def _status_sent(folder: Path) -> int:
    """`confbot reminders status`, the real command, read back: how many reminders it says were sent."""
    done = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "reminders", "status", "--db", str(folder / "bot.db")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    for line in done.stdout.splitlines():
        parts = line.split()
        if parts[:2] == ["reminder", "sent"]:
            return int(parts[2])
    return 0


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run_scenario(scenario: Scenario, seed: int = 7) -> Result:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="confbot-faults-") as tmp:
        folder = Path(tmp)
        expected = _setup(scenario, folder, seed)
        started = time.monotonic()
        serial = 0
        procs = []
        for _ in range(scenario.dispatchers):
            serial += 1
            procs.append(_start(folder, scenario, serial))
        first_due, last_due = min(expected.values()), max(expected.values())
        window = max(3.0, (last_due - first_due).total_seconds() + scenario.kill_after)
        kill_at = sorted(
            rng.uniform(0, window) + max(0.0, (first_due - datetime.now(UTC)).total_seconds())
            for _ in range(scenario.kills)
        )
        killed: dict[int, float] = {}
        try:
            while time.monotonic() - started < scenario.limit:
                elapsed = time.monotonic() - started
                if kill_at and elapsed >= kill_at[0]:
                    kill_at.pop(0)
                    victim = rng.randrange(len(procs))
                    os.kill(procs[victim].pid, signal.SIGKILL)
                    killed[procs[victim].pid] = time.time()
                    procs[victim].wait()
                    serial += 1
                    procs[victim] = _start(folder, scenario, serial)
                    continue
                if not kill_at and datetime.now(UTC) > last_due and _settled(folder, expected.keys()):
                    break
                time.sleep(0.2 if kill_at else 0.5)
        finally:
            for proc in procs:
                proc.kill()
                proc.wait()
        seconds = time.monotonic() - started
        rows = _accepted(folder)
        troubled = _troubled(folder)
        offered = _first_offer(folder)
        status = _status_sent(folder)
    return _analyse(scenario, expected, rows, troubled, killed, status, seconds, offered)


def _analyse(
    scenario: Scenario,
    expected: dict[str, datetime],
    rows: list[tuple[str, str, float, int, str]],
    troubled: set[str],
    killed: dict[int, float],
    status: int,
    seconds: float,
    offered: float | None = None,
) -> Result:
    by_key: dict[str, list[tuple[float, int, str]]] = defaultdict(list)
    for key, _, at, pid, answered in rows:
        by_key[key].append((at, pid, answered))
    causes: Counter[str] = Counter()
    per_kill: Counter[int] = Counter()
    for copies in by_key.values():
        for earlier, _ in zip(copies, copies[1:], strict=False):
            at, pid, answered = earlier
            if answered == "timeout":  # the platform never answered that send: its sender could not know
                causes["timed out after accept"] += 1
            elif pid in killed and 0 <= killed[pid] - at <= KILL_WINDOW:
                causes["killed after accept"] += 1
                per_kill[pid] += 1
            else:
                causes["other"] += 1
    late = [by_key[k][0][0] - due.timestamp() for k, due in expected.items() if k in by_key]
    troubled = troubled | {k for k, copies in by_key.items() if copies[0][2] != "ok"}
    others = [by_key[k][0][0] - due.timestamp() for k, due in expected.items() if k in by_key and k not in troubled]
    times = sorted(at for at, _, _ in (c for copies in by_key.values() for c in copies))
    # The rate is measured over the time the platform was offered work (from the first request, accepted or
    # not, to the last acceptance), against everything it allowed in that time: its rate per workspace for
    # the whole span plus the burst its buckets start with.
    start = min(times[0], offered) if times and offered is not None else (times[0] if times else 0.0)
    span = times[-1] - start if len(times) > 1 else 0.0
    rate_limit = scenario.faults.rate
    allowed = rate_limit * scenario.workspaces * span + burst(rate_limit) * scenario.workspaces
    rate = len(times) / allowed if span and rate_limit else float("nan")
    return Result(
        scenario,
        len(expected),
        len(expected.keys() & by_key.keys()),
        len(expected.keys() - by_key.keys()),
        causes,
        max(per_kill.values(), default=0),
        _percentile(late, 0.5),
        _percentile(late, 0.99),
        _percentile(others, 0.99),
        rate,
        status,
        len(killed),
        seconds,
    )


# --------------------------------------------------------------------------------------------- the baseline
async def _naive(scenario: Scenario, seed: int) -> tuple[int, int]:
    """Every reminder sent once, at once, no retry, no record: (delivered, lost)."""
    from bot.messages import Reply
    from bot.notify import DeliveryError, Target

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "platform.db"
        create_platform(path)
        platform = FakePlatform(path, replace(scenario.faults, hang=min(scenario.faults.hang, 3.0)), seed)
        total = scenario.people * scenario.sessions_each

        async def one(i: int) -> None:
            target = Target(PLATFORM, f"W{i % scenario.workspaces}", f"U{i}", key=f"k{i}")
            with contextlib.suppress(DeliveryError, TimeoutError):
                async with asyncio.timeout(scenario.attempt_timeout / 2):
                    await platform.send(target, Reply("reminder"))

        await asyncio.gather(*(one(i) for i in range(total)))
        delivered = platform.conn.execute("SELECT count(DISTINCT key) FROM accepted").fetchone()[0]
        return delivered, total - delivered


# --------------------------------------------------------------------------------------------- the scenarios
FAULTY = Faults(p429=0.05, p500=0.05, p_timeout_before=0.01, p_timeout_after=0.01, latency=0.01)

SCENARIOS = [
    Scenario("burst 3,000, one workspace, one process, no faults", people=3000, outbox_rate=300.0, limit=120),
    Scenario(
        "12,000 over 3 min, 10 workspaces, 2 dispatchers, 45 kills, 5% 429 / 5% 500 / 2% timeouts",
        people=6000,
        sessions_each=2,
        workspaces=10,
        slots=30,
        span=120.0,
        leads=(0, 1),
        dispatchers=2,
        kills=45,
        faults=FAULTY,
        limit=420,
    ),
    Scenario(
        "0.5% of sends hang 130 s, 3,000 over 30 s, 2 dispatchers",
        people=3000,
        workspaces=3,
        slots=10,
        span=30.0,
        leads=(0, 1),
        dispatchers=2,
        faults=Faults(p_hang=0.005, hang=130.0),
        limit=240,
    ),
    Scenario(
        "100,000 people x 2 sessions in one slot, platform allows 500/s per workspace x 2",
        people=100_000,
        sessions_each=2,
        workspaces=2,
        slots=2,
        span=0.0,
        leads=(10,),
        start_in=20.0,
        faults=Faults(rate=500.0, latency=0.002),
        outbox_rate=500.0,
        limit=600,
    ),
]

# The same kills and faults against a platform that can say whether it already has a message (as a Discord
# nonce or a Slack metadata lookup could): a send that timed out, or was cut off by a kill, is checked first.
SCENARIOS.append(
    replace(
        SCENARIOS[1],
        name=SCENARIOS[1].name + ", platform can confirm",
        faults=replace(FAULTY, confirm=True),
    )
)

QUICK = [
    # The quick cases end as soon as everything has settled (seconds); the limit only bounds a loaded test machine.
    Scenario("burst 300, one process, no faults", people=300, outbox_rate=300.0, start_in=3.0, limit=180),
    Scenario(
        "300 over 8 s, 3 workspaces, 2 dispatchers, 4 kills, 5% 429 / 5% 500 / 2% timeouts",
        people=150,
        sessions_each=2,
        workspaces=3,
        slots=4,
        span=6.0,
        leads=(0,),
        start_in=3.0,
        dispatchers=2,
        kills=4,
        faults=FAULTY,
        lease=4.0,
        attempt_timeout=1.5,
        tick=1.0,
        limit=180,
        kill_after=3.0,
    ),
]


def report(results: list[Result], baselines: list[tuple[int, int]]) -> None:
    for result, (naive_delivered, naive_lost) in zip(results, baselines, strict=True):
        dup = result.duplicates
        print_table(
            f"Faults: {result.scenario.name} ({result.expected:,} reminders; targets: 0 lost, duplicates only "
            "from kills after acceptance, status = platform)",
            [
                "sender",
                "delivered",
                "lost",
                "duplicated (killed after accept / timed out after accept / other)",
                "max dup per kill",
                "late p50 s",
                "late p99 s",
                "p99 others s",
                "of allowed rate",
                "status sent",
                "kills",
                "seconds",
            ],
            [
                [
                    "confbot: outbox + scheduler + dispatcher processes",
                    f"{result.delivered:,}",
                    str(result.lost),
                    f"{sum(dup.values())} ({dup['killed after accept']} / {dup['timed out after accept']} / "
                    f"{dup['other']})",
                    str(result.max_per_kill),
                    f"{result.late_p50:.1f}",
                    f"{result.late_p99:.1f}",
                    f"{result.late_p99_others:.1f}",
                    "-" if result.rate != result.rate else f"{result.rate:.1%}",
                    f"{result.status_sent:,}"
                    + (" (matches)" if result.status_sent == result.delivered else " (DIFFERS)"),
                    str(result.kills),
                    f"{result.seconds:.0f}",
                ],
                ["baseline: naive sender, once, no retry", f"{naive_delivered:,}", str(naive_lost)] + ["-"] * 9,
            ],
        )


def run(quick: bool = False) -> list[Result]:
    chosen = QUICK if quick else SCENARIOS
    results = [run_scenario(s) for s in chosen]
    baselines = [asyncio.run(_naive(s, 11)) for s in chosen]
    report(results, baselines)
    return results


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "worker":
        worker(args[1], args[2], args[3], int(args[4]))
        return
    parser = argparse.ArgumentParser(prog="python -m benchmarks.faults", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="the small scenarios the tests also run")
    parser.add_argument("--only", type=int, help="run only scenario N (1-based)")
    options = parser.parse_args(args)
    if options.only:
        chosen = (QUICK if options.quick else SCENARIOS)[options.only - 1]
        result = run_scenario(chosen)
        report([result], [asyncio.run(_naive(chosen, 11))])
        return
    run(options.quick)


if __name__ == "__main__":
    main()
