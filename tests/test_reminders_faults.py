"""The fault-injection harness's fast cases: real dispatcher processes on one SQLite file, a fake platform that
fails and times out, and kill -9 from outside. Nothing lost; duplicates only where a send was cut off after
the platform had accepted it; `confbot reminders status` agrees with what the platform received."""

from __future__ import annotations

from dataclasses import replace

from benchmarks.faults import QUICK, run_scenario


def test_a_burst_in_one_process_arrives_once_each() -> None:
    result = run_scenario(QUICK[0])
    assert (result.lost, sum(result.duplicates.values())) == (0, 0)
    assert result.status_sent == result.delivered == result.expected


def test_kills_and_platform_faults_lose_nothing() -> None:
    result = run_scenario(QUICK[1], seed=3)
    assert result.kills == QUICK[1].kills
    assert result.lost == 0
    assert result.duplicates["other"] == 0  # only "killed after accept" and "timed out after accept"
    assert result.status_sent == result.delivered == result.expected


def test_a_platform_that_can_confirm_gets_no_duplicate_from_a_timeout() -> None:
    scenario = replace(QUICK[1], kills=0, faults=replace(QUICK[1].faults, p500=0.0, p_timeout_after=0.05, confirm=True))
    result = run_scenario(scenario, seed=5)
    assert result.lost == 0 and sum(result.duplicates.values()) == 0
    assert result.status_sent == result.expected
