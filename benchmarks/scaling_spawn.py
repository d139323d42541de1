"""Starting a probe process and timing it from spawn to its first answer, with what it held in memory."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from benchmarks.common import ROOT

NOW = "2026-01-31T11:00:00+01:00"  # FOSDEM 2026, as benchmarks/latency.py asks
FIRST = "rust"  # a question every size of store has answers to (fosdem-2025 is always in it)


@dataclass
class Probe:
    wall_s: float  # spawn to the first answer's line
    first: dict[str, Any]  # top, open_ms, hwm_mb at the first answer
    later: dict[str, Any] = field(default_factory=dict)  # ms (and fuzzy_ms) when queries were timed

    @property
    def peak_rss_mb(self) -> float:
        """The probe's own VmHWM at its end. Not wait4's ru_maxrss: Linux carries the parent's high-water mark
        across fork and exec into the child's, so a small child of a big harness would look big."""
        return float(self.later.get("hwm_mb", self.first["hwm_mb"]))


def probe(
    engine: str, path: str, *, conference: str | None = None, queries: str | None = None, first: str = FIRST
) -> Probe:
    """`python -m benchmarks.scaling_probe` in a fresh interpreter; raises SystemExit with its error if it fails."""
    command = [sys.executable, "-m", "benchmarks.scaling_probe", engine, path, "--now", NOW, "--first", first]
    if conference:
        command += ["--conference", conference]
    if queries:
        command += ["--queries", queries]
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stderr is not None
    line = child.stdout.readline()
    wall = time.perf_counter() - started
    rest = child.stdout.read()
    errors = child.stderr.read()
    child.wait()
    if child.returncode != 0 or not line:
        last = errors.strip().splitlines()[-1:] or ["no output"]
        raise SystemExit(f"scaling probe {engine} on {path} failed ({child.returncode}): {last[0]}")
    later = json.loads(rest) if rest.strip() else {}
    return Probe(wall, json.loads(line), later)
