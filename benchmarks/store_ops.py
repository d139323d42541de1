"""What the store's safety costs an operator: the damage check on every open, `doctor`, and `backup` under load.

Baselines from the same run: opening without the check (what every command did before), a plain file copy
(what an operator would otherwise cron, unsafe while the bot writes), and the bot's write rate with no backup
running (a backup must not stall the bot: in WAL mode the backup is a reader and writers go on).
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.common import print_table
from bot.store import CatalogStore, open_database
from bot.store.maintenance import backup, check
from catalog.demo import DEMO_CATALOG
from catalog.load import load

SIZES = (1_500, 20_000)
REPEAT = 15


def _store(folder: Path, sessions: int) -> Path:
    path = folder / f"store-{sessions}.db"
    db = open_database(path)
    catalog = load(str(DEMO_CATALOG))
    first = datetime(2030, 6, 1, 8, tzinfo=UTC)
    base = catalog.sessions[0]
    filler = (base.abstract or "A talk about data and machine learning. ") * 3
    made = tuple(
        replace(
            base,
            id=f"s{i}",
            title=f"{base.title} {i}",
            abstract=f"{filler} {i}",
            start=first + timedelta(minutes=30 * (i % 400)),
            end=first + timedelta(minutes=30 * (i % 400) + 25),
        )
        for i in range(sessions)
    )
    CatalogStore(db).save(replace(catalog, sessions=made))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


def _median_ms(fn: object, repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _open(path: Path, verify: bool) -> None:
    open_database(path, verify=verify).close()


def _writes_during(path: Path, target: Path) -> tuple[float, float, float]:
    """A writer like the bot's (one committed agenda row at a time) runs throughout; its commits a second are
    counted while a backup runs, and over a window as long with no backup (the baseline)."""
    db = open_database(path)
    stop = threading.Event()
    count = 0

    def write() -> None:
        nonlocal count
        while not stop.is_set():
            db.execute(
                "INSERT INTO agenda (platform, workspace, user, conference, session_id) VALUES ('b', 'b', ?, 'x', 's')",
                [f"{time.perf_counter_ns()}"],
            )
            count += 1

    def window(fn: object | None, seconds: float = 0.0) -> tuple[float, float]:
        c0, t0 = count, time.perf_counter()
        if fn is None:
            time.sleep(seconds)
        else:
            fn()  # type: ignore[operator]
        return (count - c0) / (time.perf_counter() - t0), time.perf_counter() - t0

    thread = threading.Thread(target=write)
    thread.start()
    time.sleep(0.2)
    source = open_database(path)
    during, took = window(lambda: backup(source, path, target))
    alone, _ = window(None, took)
    stop.set()
    thread.join()
    source.close()
    db.close()
    return alone, during, took * 1000


def run() -> None:
    rows, copies = [], []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for size in SIZES:
            path = _store(folder, size)
            mb = path.stat().st_size / 1e6
            plain = _median_ms(lambda p=path: _open(p, False))
            checked = _median_ms(lambda p=path: _open(p, True))
            db = open_database(path, verify=False)
            doctor = _median_ms(lambda d=db, p=path: check(d, p), repeat=5)
            target = folder / "copy.db"
            api = _median_ms(lambda d=db, p=path, t=target: backup(d, p, t), repeat=5)
            db.close()
            cp = _median_ms(lambda p=path, t=target: shutil.copyfile(p, t), repeat=5)
            rows.append(
                [f"{size:,}", f"{mb:.1f}", f"{plain:.2f}", f"{checked:.2f}", f"{checked - plain:+.2f}", f"{doctor:.1f}"]
            )
            alone, loaded, took = _writes_during(path, target)
            copies.append([f"{size:,}", f"{cp:.1f}", f"{api:.1f}", f"{took:.1f}", f"{alone:,.0f}", f"{loaded:,.0f}"])
    print_table(
        "Opening a store: the damage check every command now makes (median ms; baseline: open without it)",
        ["sessions", "MB", "open (baseline)", "open + quick_check", "difference", "doctor (integrity_check)"],
        rows,
    )
    print_table(
        "confbot backup: SQLite's backup API vs a plain file copy, and the bot's writes while it runs (median ms)",
        [
            "sessions",
            "cp (baseline)",
            "backup",
            "backup under writes",
            "writes/s, no backup (baseline)",
            "writes/s during backup",
        ],
        copies,
    )


if __name__ == "__main__":
    run()
