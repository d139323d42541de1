"""Re-importing one conference of a big store: how long until the index answers the new content, and whether a
kill -9 in the middle of it leaves the store and the index answering as before.

Both go through the real paths: `confbot import` in its own process (whatever the import does to keep an index
current happens there), then a fresh probe process asking for a word that only the changed title holds. The
changed catalog is fosdem-2025.xml with one made-up word put in front of its first session's title.
"""

from __future__ import annotations

import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import CATALOGS, ROOT
from benchmarks.scaling_spawn import probe
from benchmarks.scaling_store import SCOPED

MARKERS = ("zorblaxian", "quintrovex", "vaxmurple", "glentharic", "morquendil")
KILL_AT = 0.5  # of the quickest clean re-import


def _changed_catalog(folder: Path, marker: str) -> Path:
    xml = (CATALOGS / f"{SCOPED}.xml").read_text()
    at = xml.index("<title>", xml.index("<event")) + len("<title>")
    target = folder / marker / f"{SCOPED}.xml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(xml[:at] + marker + " " + xml[at:])
    return target


def _copy_store(store: Path, db: Path) -> None:
    """The store and whatever the bot keeps beside it (a saved index, say), so the copy opens as the original."""
    for path in store.parent.glob(store.name + "*"):
        target = db.with_name(db.name + path.name[len(store.name) :])
        if path.is_dir():
            shutil.copytree(path, target)
        else:
            shutil.copyfile(path, target)


def _import_command(source: Path, db: Path) -> list[str]:
    run_cli = "import sys; from adapters.cli import main; sys.exit(main())"
    return [sys.executable, "-c", run_cli, "import", str(source), "--name", SCOPED, "--db", str(db)]


def _quick_check(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("PRAGMA quick_check").fetchone()[0])
    finally:
        conn.close()


def _reimport(source: Path, db: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(_import_command(source, db), cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise SystemExit(f"scaling: confbot import of {source.name} into {db} failed ({done.returncode}): {last}")
    return time.perf_counter() - started


def _kill_midway(source: Path, db: Path, after: float) -> bool:
    """Start an import, SIGKILL it `after` seconds in; whether it had already ended by itself."""
    quiet = subprocess.DEVNULL
    child = subprocess.Popen(_import_command(source, db), cwd=ROOT, stdout=quiet, stderr=quiet)
    time.sleep(after)
    ended = child.poll() is not None
    child.send_signal(signal.SIGKILL)
    child.wait()
    return ended


def measure(store: Path, work: Path, rounds: int) -> dict[str, Any]:
    """Figures for re-importing SCOPED in a copy of `store`; the cached store itself is never changed."""
    rounds = max(1, min(rounds, len(MARKERS) - 1))
    db = work / "update.db"
    _copy_store(store, db)
    imports, unchanged, totals, answered = [], [], [], []
    for marker in MARKERS[:rounds]:
        started = time.perf_counter()
        imports.append(_reimport(_changed_catalog(work, marker), db))
        found = probe("confbot", str(db), first=marker)
        totals.append(time.perf_counter() - started)
        answered.append(marker in found.first["top"])
        # The baseline of the same run: the same import again, which changes nothing and finds every index folder
        # there. What it costs (start-up, reading the schedule, comparing it with the store) the changed import
        # pays too; the rest is the index update.
        unchanged.append(_reimport(_changed_catalog(work, marker), db))
    before, next_ = MARKERS[rounds - 1], MARKERS[rounds]
    kill_after = min(imports) * KILL_AT
    ended = _kill_midway(_changed_catalog(work, next_), db, kill_after)
    killed = time.perf_counter()
    asked = next_ if ended else before  # an import that ended before the kill must show its new title
    after = probe("confbot", str(db), first=asked)
    if asked in after.first["top"]:
        state = "new title (import ended before the kill)" if ended else "as before"
    else:
        state = f"not as before: {after.first['top'][:40]!r}"
    return {
        "reimport_s": statistics.median(imports),
        "unchanged_s": statistics.median(unchanged),
        "index_update_s": statistics.median(imports) - statistics.median(unchanged),
        "until_answered_s": statistics.median(totals),
        "new_content_answered": all(answered),
        "kill_after_s": kill_after,
        "after_kill_answer_s": time.perf_counter() - killed,
        "after_kill_state": state,
        "after_kill_quick_check": _quick_check(db),
    }
