"""What every benchmark needs: where the shared catalogs are, and the zones the files themselves do not give."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = ROOT.parent / "shared" / "catalogs"
EVAL = ROOT.parent / "shared" / "eval"
# Files whose times carry no zone: the zone is a fact about the conference, given as --timezone would be.
ZONES = {
    "fosdem-2019.xml": "Europe/Brussels",
    "fosdem-2020.xml": "Europe/Brussels",
    "droidcon-london-2024": "Europe/London",
}
SKIP = {"SOURCES.md", "frab-schedule.schema.json", "frab-schedule.xml.xsd"}


def shared_catalogs() -> list[Path]:
    if not CATALOGS.is_dir():
        raise SystemExit(f"benchmarks need {CATALOGS} (the shared folder beside the project)")
    return sorted(p for p in CATALOGS.iterdir() if p.name not in SKIP)


def print_table(title: str, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def time_queries(search: Callable[[str], object], queries: list[str]) -> list[float]:
    out = []
    for q in queries:
        started = time.perf_counter()
        search(q)
        out.append((time.perf_counter() - started) * 1000)
    return out
