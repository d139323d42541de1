"""The scaling table of issue 16: start-up, memory and query time from 1k to 100k sessions (300k with --big),
confbot beside SQLite FTS5 and tantivy-py over the same sessions, measured in the same run.

Each figure is the median of `--runs` fresh processes (benchmarks/scaling_probe.py), so what a `confbot search`,
a chat start or a bot restart pays is what is measured: interpreter start, imports, opening the store and the
index, one answer. Stores are made once from the shared catalogs and cached (benchmarks/scaling_store.py).
Query times are over the same ~500 questions for every engine: generated from the sessions the way
benchmarks/latency.py makes them (a third with a typo) plus the dev queries of ../shared/eval.

    python -m benchmarks.scaling [--sizes 1000,10000,100000] [--big] [--runs 3] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks import scaling_update
from benchmarks.common import ROOT, percentile, print_table
from benchmarks.latency import dev_queries, queries_from
from benchmarks.scaling_spawn import Probe, probe
from benchmarks.scaling_store import SCOPED, catalogs_key, distinct_sessions, fts5_path, store_path, tantivy_path

SIZES = (1_000, 10_000, 100_000)
BIG = 300_000
UPDATE_SIZE = 100_000  # the store the re-import and kill -9 figures are about
NOT_INSTALLED = "not installed: pip install -e '.[bench]'"


def questions(size: int, count: int) -> list[str]:
    """About `count` questions: the dev queries at every size, the rest about sessions this store holds, so a small
    store is not asked only about conferences it lacks."""
    sessions = distinct_sessions(size)
    speakers = sorted({name for s in sessions for name in s.speaker_names})
    dev = sorted(set(dev_queries()))
    generated = queries_from(sessions, speakers, max(count - len(dev), count // 2))
    return sorted(set(generated) | set(dev))


def _median(probes: list[Probe], pick: Callable[[Probe], float]) -> float:
    return statistics.median(pick(p) for p in probes)


def _query_figures(probes: list[Probe], key: str = "ms") -> dict[str, float]:
    return {
        "p50_ms": _median(probes, lambda p: percentile(p.later[key], 50)),
        "p99_ms": _median(probes, lambda p: percentile(p.later[key], 99)),
    }


def _baseline(probes: list[Probe]) -> dict[str, float]:
    return {
        "open_ms": _median(probes, lambda p: float(p.first["open_ms"])),
        "startup_s": _median(probes, lambda p: p.wall_s),
        "rss_mb": _median(probes, lambda p: p.peak_rss_mb),
        **_query_figures(probes),
    }


def measure_size(size: int, runs: int, count: int, work: Path) -> dict[str, Any]:
    store = store_path(size)
    fts5 = fts5_path(store)
    tantivy = tantivy_path(store)
    asked = work / f"questions-{size}.txt"
    asked.write_text("\n".join(questions(size, count)) + "\n")
    # Unmeasured: whatever a store's first open does once (an index saved beside it, the page cache filled)
    # is paid here, as `confbot import` or the first start after an upgrade would pay it.
    first_open = probe("confbot", str(store)).wall_s
    found: dict[str, list[Probe]] = {"whole": [], "scoped": [], "fts5": [], "tantivy": []}
    for _ in range(runs):  # engines interleaved, so a noisy moment on a shared machine hits all of them alike
        found["whole"].append(probe("confbot", str(store), queries=str(asked)))
        found["scoped"].append(probe("confbot", str(store), conference=SCOPED))
        found["fts5"].append(probe("fts5", str(fts5), queries=str(asked)))
        if tantivy is not None:
            found["tantivy"].append(probe("tantivy", str(tantivy), queries=str(asked)))
    whole, scoped = found["whole"], found["scoped"]
    figures: dict[str, Any] = {
        "sessions": size,
        "questions": len(whole[0].later["ms"]),
        "first_open_s": first_open,
        "startup_s": _median(whole, lambda p: p.wall_s),
        "peak_rss_mb": _median(whole, lambda p: float(p.first["hwm_mb"])),
        "scoped_conference": SCOPED,
        "scoped_startup_s": _median(scoped, lambda p: p.wall_s),
        "scoped_rss_mb": _median(scoped, lambda p: float(p.first["hwm_mb"])),
        **_query_figures(whole),
        "fts5": _baseline(found["fts5"]),
        "tantivy": None,
    }
    if found["tantivy"]:
        figures["tantivy"] = {**_baseline(found["tantivy"]), "fuzzy": _query_figures(found["tantivy"], "fuzzy_ms")}
    return figures


def _label(size: int) -> str:
    return f"{size // 1000}k" if size >= 1000 and size % 1000 == 0 else str(size)


def _row(f: dict[str, Any]) -> list[str]:
    fts5, tantivy = f["fts5"], f["tantivy"]
    tantivy_cell = NOT_INSTALLED
    if tantivy:
        tantivy_cell = (
            f"{tantivy['open_ms']:.1f} ms, {tantivy['rss_mb']:.0f} MB, {tantivy['p50_ms']:.2f} / "
            f"{tantivy['p99_ms']:.2f}, {tantivy['fuzzy']['p50_ms']:.2f}"
        )
    return [
        _label(f["sessions"]),
        f"{f['startup_s']:.2f} s",
        f"{f['peak_rss_mb']:,.0f} MB",
        f"{f['scoped_startup_s']:.2f} s, {f['scoped_rss_mb']:,.0f} MB",
        f"{f['p50_ms']:.2f} / {f['p99_ms']:.2f}",
        f"{fts5['open_ms']:.1f} ms, {fts5['rss_mb']:.0f} MB, {fts5['p50_ms']:.2f} / {fts5['p99_ms']:.2f}",
        tantivy_cell,
    ]


HEADER = [
    "sessions",
    "start-up to first answer",
    "peak RSS",
    f"scoped to {SCOPED}: start-up, RSS",
    "p50 / p99 ms",
    "FTS5 open, RSS, p50 / p99 ms",
    "tantivy open, RSS, p50 / p99, fuzzy p50 ms",
]


def print_update(size: int, u: dict[str, Any]) -> None:
    print_table(
        f"Re-import {SCOPED} (one title changed) in the {_label(size)} store, then ask a fresh process for it "
        "(targets: index updated <= 2 s; after kill -9, answering as before)",
        ["what", "seconds", "outcome"],
        [
            ["confbot import of the changed catalog", f"{u['reimport_s']:.2f}", "-"],
            ["the same import again (nothing changed: no index work)", f"{u['unchanged_s']:.2f}", "baseline"],
            ["index update: the difference", f"{u['index_update_s']:.2f}", "target <= 2 s"],
            [
                "import until a fresh process answers the new title",
                f"{u['until_answered_s']:.2f}",
                "new title found" if u["new_content_answered"] else "new title NOT found",
            ],
            [
                f"kill -9 of the next import at {u['kill_after_s']:.2f} s, then a fresh process answers",
                f"{u['after_kill_answer_s']:.2f}",
                f"{u['after_kill_state']}; quick_check {u['after_kill_quick_check']}",
            ],
        ],
    )


def _commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def run(
    sizes: Sequence[int] = SIZES, runs: int = 3, count: int = 500, json_path: Path | None = None, update: bool = True
) -> dict[str, Any]:
    key = catalogs_key()
    results: dict[str, Any] = {"commit": _commit(), "catalogs_key": key, "runs": runs, "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="confbot-scaling-") as tmp:
        work = Path(tmp)
        results["sizes"] = []
        for size in sizes:
            print(f"  scaling: {_label(size)} sessions ...", flush=True)
            results["sizes"].append(measure_size(size, runs, count, work))
        print_table(
            f"Scaling: median of {runs} fresh processes per figure, {results['sizes'][0]['questions']} questions "
            f"(targets at 100k: start-up <= 0.5 s, RSS <= 400 MB, scoped <= 150 MB, p50 <= 1 ms, p99 <= 5 ms)",
            HEADER,
            [_row(f) for f in results["sizes"]],
        )
        firsts = ", ".join(f"{_label(f['sessions'])} {f['first_open_s']:.2f} s" for f in results["sizes"])
        print(f"first open of each store, before the figures above (whatever is built once beside it): {firsts}")
        if update:
            target = UPDATE_SIZE if UPDATE_SIZE in sizes else max(sizes)
            results["update"] = {"sessions": target, **scaling_update.measure(store_path(target, key), work, runs)}
            print_update(target, results["update"])
    if json_path is not None:
        json_path.write_text(json.dumps(results, indent=2) + "\n")
        print(f"\nfigures written to {json_path}")
    return results


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scaling", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="session counts, comma-separated")
    parser.add_argument("--big", action="store_true", help=f"add a {BIG:,}-session store (minutes per figure)")
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per figure; the median is reported")
    parser.add_argument("--questions", type=int, default=500, help="questions timed per engine and size")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every figure to FILE")
    parser.add_argument("--no-update", action="store_true", help="skip the re-import and kill -9 figures")
    args = parser.parse_args(argv)
    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes takes whole numbers separated by commas, e.g. 1000,10000; not {args.sizes!r}")
    if not sizes or min(sizes) < 1 or args.runs < 1:
        parser.error("--sizes and --runs need at least one positive number each")
    if args.json is not None and not args.json.parent.is_dir():
        parser.error(f"--json {args.json}: folder {args.json.parent} does not exist; create it or choose another file")
    run(sorted(set(sizes + ([BIG] if args.big else []))), args.runs, args.questions, args.json, not args.no_update)


if __name__ == "__main__":
    main()
