"""`confbot demo` (what `make demo` runs): unattended it walks through every step and exits 0."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_demo_runs_unattended() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "demo"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for caption in (
        "Find talks on a topic",
        "Find a speaker's sessions",
        "Browse a track",
        "What starts next",
        "Save a talk",
        "confbot warns",
        "Your agenda",
        "Export the agenda",
        "Let time pass",
    ):
        assert caption in out
    assert "3 sessions for 'horovod':" in out
    assert "⚠ It overlaps" in out
    assert "BEGIN:VCALENDAR" in out
    assert out.count("⏰ Starting in 10 minutes") == 2
    assert "Traceback" not in done.stderr
