"""Import every shared catalog into one store: total time and peak memory, beside a parse-only floor.

The baseline is what the standard library alone needs just to parse the same files (ElementTree, json, csv,
bytes for iCalendar): the part of the work no importer can avoid.
"""

from __future__ import annotations

import csv
import io
import json
import resource
import tempfile
import time
import tracemalloc
import xml.etree.ElementTree as ET
from pathlib import Path

from benchmarks.common import ZONES, print_table, shared_catalogs
from bot.store import CatalogStore, open_database
from catalog.load import load


def _parse_only(path: Path) -> None:
    target = path / "schedule-grid.json" if path.is_dir() else path
    data = target.read_bytes()
    if data.lstrip()[:1] == b"<":
        ET.fromstring(data)
    elif data.lstrip()[:1] in (b"{", b"["):
        json.loads(data)
    elif data.startswith(b"BEGIN:VCALENDAR"):
        data.decode("utf-8", "replace").splitlines()
    else:
        list(csv.reader(io.StringIO(data.decode("utf-8"))))


def _import_all(paths: list[Path], db_path: Path) -> int:
    store = CatalogStore(open_database(db_path))
    total = 0
    for path in paths:
        catalog = load(str(path), timezone=ZONES.get(path.name))
        store.save(catalog)
        total += len(catalog.sessions)
    return total


def run() -> dict[str, float]:
    paths = shared_catalogs()
    started = time.perf_counter()
    for path in paths:
        _parse_only(path)
    floor = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        sessions = _import_all(paths, Path(tmp) / "timed.db")
        elapsed = time.perf_counter() - started
        tracemalloc.start()
        _import_all(paths, Path(tmp) / "traced.db")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print_table(
        f"Import: {len(paths)} shared catalogs, {sessions} sessions, into one store (target < 5 s)",
        ["what", "seconds", "sessions/s", "peak MiB (Python heap)", "max RSS MiB (process)"],
        [
            [
                "confbot import (read, detect, parse, store)",
                f"{elapsed:.2f}",
                f"{sessions / elapsed:,.0f}",
                f"{peak / 1_048_576:.1f}",
                f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}",
            ],
            ["baseline: stdlib parse only, no model/store", f"{floor:.2f}", f"{sessions / floor:,.0f}", "-", "-"],
        ],
    )
    return {"import_seconds": elapsed, "parse_floor_seconds": floor, "peak_mib": peak / 1_048_576}


if __name__ == "__main__":
    run()
