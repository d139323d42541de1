"""Sync under faults: kills at random points, chats writing while sync runs, many processes opening a new file.

1. Kills: a schedule of 600 sessions, people who saved 10 each, one announcement channel. Each round moves 60
   sessions in the source file, starts `confbot sync` as a real process and SIGKILLs it before it writes,
   while it writes, or after it committed (a third each, at a random moment in that stretch), then runs sync
   again as a restart would. At the end the real dispatcher delivers everything to a recording platform, and
   every notice the moves call for is counted: delivered once, lost, or twice.
2. Locks: 6 chat processes save, forget and change settings through the real Conversation while `confbot
   sync` runs 6 times; every "database is locked" is counted, in the syncs and in the chats.
3. Opens: 40 processes open the same database file, which does not exist yet, at the same moment.
4. Big: how long a chat write waits while a 70,000-session conference syncs (the write lock's hold).

The baseline in the same run is the behaviour before issue 10 (benchmarks/sync_children.py keeps it): the
catalog committed before the notices, deferred transactions, an unguarded WAL switch and migrations.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.common import ROOT, print_table
from benchmarks.sync_children import SESSIONS, first_day, seed_store, session_start, write_schedule
from bot.messages import Reply
from bot.notify import Target

PEOPLE = 600
PER_PERSON = 10
MOVED = 60
BIG = 70_000
STAGES = ("before", "during", "after")
_CHANGED = re.compile(r"“Talk (\d+)” changed: now \w{3} \d{2} \w{3} (\d{2}:\d{2})")


def child(*args: str) -> list[str]:
    return [sys.executable, "-m", "benchmarks.sync_children", *args]


@dataclass
class Recording:
    """The platform: keeps every message it accepts."""

    received: list[tuple[Target, Reply]] = field(default_factory=list)

    async def send(self, target: Target, reply: Reply) -> None:
        self.received.append((target, reply))


@dataclass
class KillReport:
    mode: str
    kills: Counter[str] = field(default_factory=Counter)
    expected: int = 0
    delivered: int = 0
    lost: int = 0
    twice: int = 0
    unexpected: int = 0
    seconds: float = 0.0


class Run:
    """One child process whose standard error is read as it comes, with the moment each line arrived."""

    def __init__(self, args: list[str]) -> None:
        self.started = time.monotonic()
        self.proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.lines: list[tuple[float, str]] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append((time.monotonic() - self.started, line.strip()))

    def seen(self, word: str) -> float | None:
        return next((at for at, line in self.lines if word in line), None)

    def wait_for(self, word: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while self.seen(word) is None and self.proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.0005)

    def kill(self) -> str:
        """SIGKILL; returns where it landed: before the sync wrote, while it wrote, or after it committed."""
        self.proc.kill()
        return self.finish()

    def finish(self) -> str:
        self.proc.wait()
        self.reader.join()
        return "after" if self.seen("committed") else "during" if self.seen("writing") else "before"

    @property
    def text(self) -> str:
        return "\n".join(line for _, line in self.lines)


def _complete(args: list[str]) -> Run:
    run = Run(args)
    run.finish()
    if run.proc.returncode != 0:
        raise SystemExit(f"sync failed ({run.proc.returncode}): {run.text[-500:]}")
    return run


def _deliver(db_path: Path) -> Recording:
    """The real dispatcher, after the restarts: sends whatever the store says is due."""
    from bot.clock import SystemClock
    from bot.reminders.service import make_dispatcher
    from bot.store import AgendaStore, CatalogStore, open_database

    db = open_database(db_path)
    platform = Recording()
    dispatcher = make_dispatcher(CatalogStore(db), AgendaStore(db), platform, SystemClock())
    for _ in range(1000):
        outcomes = asyncio.run(dispatcher.run_due())
        if not any(o.state in ("sent", "failed") for o in outcomes):
            break
    db.close()
    return platform


def kill_rounds(mode: str, folder: Path, kills: int, seed: int = 1, people: int = PEOPLE) -> KillReport:
    """Sync killed `kills` times at random points, restarted each time; then every notice delivered once?"""
    started = time.monotonic()
    source, db_path = folder / f"{mode}.schedule.json", folder / f"{mode}.db"
    day = first_day()
    write_schedule(source, day, SESSIONS)
    savers = seed_store(db_path, source, people, PER_PERSON)
    rng = random.Random(seed)
    moves: dict[int, int] = {}
    expected: Counter[tuple[str, str, str]] = Counter()
    report = KillReport(mode)
    until_writing, write_span = 0.3, 0.05
    sync = child("sync", mode, str(db_path))
    for round_ in range(kills + 1):
        for sid in rng.sample(range(1, SESSIONS + 1), MOVED):
            moves[sid] = moves.get(sid, 0) + 5 * (round_ + 1)
            moved_to = session_start(day, sid, moves[sid]).strftime("%H:%M")
            expected.update((user, str(sid), moved_to) for user in savers.get(sid, []))
        write_schedule(source, day, SESSIONS, moves)
        if round_ == 0:  # the first round runs whole: how long writing takes tells where "during" is
            calibration = _complete(sync)
            until_writing = calibration.seen("writing") or until_writing
            write_span = max(0.002, (calibration.seen("committed") or 0) - until_writing)
            continue
        run = Run(sync)
        target = STAGES[round_ % 3]
        if target == "before":
            time.sleep(rng.uniform(0.0, until_writing))  # starting up, reading the source
        else:
            run.wait_for("writing" if target == "during" else "committed")
            time.sleep(rng.uniform(0.0, write_span if target == "during" else 0.02))
        report.kills[run.kill()] += 1
        _complete(sync)  # the restart
    platform = _deliver(db_path)
    got: Counter[tuple[str, str, str]] = Counter()
    for target, reply in platform.received:
        found = _CHANGED.search(reply.text)
        if target.is_channel:
            got[(target.address, "summary", reply.text)] += 1
        else:
            got[(target.address, found.group(1), found.group(2)) if found else (target.address, reply.text, "")] += 1
    summaries = [key for key in got if key[1] == "summary"]
    report.expected = sum(expected.values()) + kills + 1  # and one summary to the channel per round
    report.delivered = sum(1 for key in expected if got[key]) + min(len(summaries), kills + 1)
    report.lost = report.expected - report.delivered
    report.twice = sum(n - 1 for n in got.values() if n > 1)
    report.unexpected = sum(n for key, n in got.items() if key not in expected and key[1] != "summary")
    report.unexpected += max(0, len(summaries) - kills - 1)
    report.seconds = time.monotonic() - started
    return report


@dataclass
class LockReport:
    mode: str
    syncs: int = 0
    syncs_locked: int = 0
    chat_ops: int = 0
    chat_locked: int = 0
    chat_other: int = 0
    errors: list[str] = field(default_factory=list)


def chats_during_syncs(mode: str, folder: Path, writers: int = 6, syncs: int = 6, seed: int = 2) -> LockReport:
    source, db_path, stop = folder / f"{mode}-lock.schedule.json", folder / f"{mode}-lock.db", folder / f"{mode}.stop"
    day = first_day()
    write_schedule(source, day, SESSIONS)
    seed_store(db_path, source, PEOPLE, PER_PERSON)
    chats = [
        subprocess.Popen(
            child("writer", mode, str(db_path), str(stop), str(i)),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(writers)
    ]
    for proc in chats:
        assert proc.stdout is not None
        proc.stdout.readline()  # "ready": each has its store and search index, and is writing from now on
    report = LockReport(mode, syncs=syncs)
    rng = random.Random(seed)
    moves: dict[int, int] = {}
    for round_ in range(syncs):
        for sid in rng.sample(range(1, SESSIONS + 1), MOVED):
            moves[sid] = moves.get(sid, 0) + 5 * (round_ + 1)
        write_schedule(source, day, SESSIONS, moves)
        run = Run(child("sync", mode, str(db_path)))
        run.finish()
        if run.proc.returncode != 0:
            report.syncs_locked += "locked" in run.text
            report.errors.append(run.text.splitlines()[-1] if run.text else f"exit {run.proc.returncode}")
    stop.touch()
    for proc in chats:
        out, err = proc.communicate(timeout=120)
        counts = json.loads(out.strip().splitlines()[-1]) if out.strip() else {"ops": 0, "locked": 0, "other": 1}
        report.chat_ops += counts["ops"]
        report.chat_locked += counts["locked"]
        report.chat_other += counts["other"] + (proc.returncode != 0)
        report.errors += counts.get("errors", []) + ([err.strip().splitlines()[-1]] if proc.returncode else [])
    return report


def concurrent_opens(mode: str, folder: Path, processes: int = 40) -> tuple[int, str]:
    """`processes` processes open one file that does not exist yet, all at once; returns failures, first error."""
    path = folder / f"{mode}-open-{time.time_ns()}.db"
    procs = [
        subprocess.Popen(
            child("open", mode, str(path)), cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        for _ in range(processes)
    ]
    for proc in procs:
        assert proc.stdout is not None
        proc.stdout.readline()  # ready: imported, waiting for the go
    for proc in procs:  # the go, to all of them within a millisecond or so
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    failures, first = 0, ""
    for proc in procs:
        out, _ = proc.communicate(timeout=120)
        if proc.returncode != 0:
            failures += 1
            first = first or out.strip().splitlines()[-1]
    return failures, first


def chat_waits_during_big_sync(mode: str, folder: Path, sessions: int = BIG) -> tuple[float, float, str]:
    """A chat saving settings every 5 ms while `confbot sync` runs on a conference of `sessions` with 500 moved:
    the longest and the 99th-percentile wait of a chat write, and how long the sync took."""
    from bot.messages import Person
    from bot.store import AgendaStore, CatalogStore, open_database
    from bot.store.agenda import Settings
    from catalog.load import load

    source, db_path = folder / f"{mode}-big.schedule.json", folder / f"{mode}-big.db"
    day = first_day()
    write_schedule(source, day, sessions)
    CatalogStore(open_database(db_path)).save(load(str(source)))
    write_schedule(source, day, sessions, {sid: 30 for sid in range(1, 501)})
    chat = AgendaStore(open_database(db_path))
    waits: list[float] = []
    stop = threading.Event()

    def write() -> None:
        while not stop.is_set():
            started = time.monotonic()
            chat.update_settings(Person("bench", "W1", "chatter"), Settings(len(waits) % 30))
            waits.append(time.monotonic() - started)
            time.sleep(0.005)

    writer = threading.Thread(target=write)
    writer.start()
    started = time.monotonic()
    run = Run(child("sync", mode, str(db_path)))  # its own process, as cron or the bot's worker would be
    run.finish()
    outcome = "done" if run.proc.returncode == 0 else "died: " + (run.text.splitlines() or ["?"])[-1][-40:]
    took = time.monotonic() - started
    stop.set()
    writer.join()
    waits.sort()
    return waits[-1], waits[int(len(waits) * 0.99)], f"{took:.1f} ({outcome})"


def run(kills: int = 20, open_trials: int = 3) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        killed = [kill_rounds(mode, folder, kills) for mode in ("new", "old")]
        locks = [chats_during_syncs(mode, folder) for mode in ("new", "old")]
        opens = {mode: [concurrent_opens(mode, folder) for _ in range(open_trials)] for mode in ("new", "old")}
        big = {mode: chat_waits_during_big_sync(mode, folder) for mode in ("new", "old")}
    names = {"new": "confbot sync (one transaction)", "old": "baseline: catalog first, notices after"}
    print_table(
        f"Sync killed {kills} times (SIGKILL before / during / after its write), restarted, then delivered "
        f"({MOVED} of {SESSIONS} sessions moved per round, {PEOPLE} people x {PER_PERSON} saved; "
        "target: 0 lost, 0 twice)",
        ["sync", "kills before/during/after", "notices expected", "delivered", "lost", "twice", "unexpected", "s"],
        [
            [
                names[k.mode],
                "/".join(str(k.kills[s]) for s in STAGES),
                f"{k.expected:,}",
                f"{k.delivered:,}",
                f"{k.lost:,}",
                str(k.twice),
                str(k.unexpected),
                f"{k.seconds:.0f}",
            ]
            for k in killed
        ],
    )
    writers = {"new": "confbot (BEGIN IMMEDIATE)", "old": "baseline: deferred sqlite-utils writes"}
    print_table(
        "6 chat processes saving / forgetting / changing settings during 6 `confbot sync` runs "
        "(target: 0 'database is locked')",
        ["store", "syncs died locked", "chat writes", "chat writes locked", "other errors", "first error"],
        [
            [
                writers[r.mode],
                f"{r.syncs_locked} of {r.syncs}",
                f"{r.chat_ops:,}",
                str(r.chat_locked),
                str(r.chat_other),
                (r.errors[0][:60] if r.errors else "-"),
            ]
            for r in locks
        ],
    )
    openers = {"new": "open_database (WAL retried, migrations locked)", "old": "baseline: unguarded"}
    print_table(
        f"40 processes opening one new database file at once, {open_trials} trials (target: 0 failures)",
        ["opener", "failed", "first error"],
        [
            [
                openers[mode],
                f"{sum(f for f, _ in trials)} of {40 * open_trials}",
                next((e for _, e in trials if e), "-")[:80],
            ]
            for mode, trials in opens.items()
        ],
    )
    print_table(
        f"A chat writing every 5 ms while a {BIG:,}-session conference syncs with 500 sessions moved "
        "(lower is better: a write waits while the sync holds the lock)",
        ["sync", "longest chat write wait s", "p99 wait s", "sync s (outcome)"],
        [[names[mode], f"{longest:.3f}", f"{p99:.3f}", took] for mode, (longest, p99, took) in big.items()],
    )
    new_kill, new_lock = killed[0], locks[0]
    return {
        "lost": new_kill.lost,
        "twice": new_kill.twice,
        "locked": new_lock.syncs_locked + new_lock.chat_locked,
        "open_failures": sum(f for f, _ in opens["new"]),
        "big_sync_longest_wait": big["new"][0],
    }


if __name__ == "__main__":
    run()
