"""`make bench`: every benchmark in one run, each table with its baseline beside it."""

from __future__ import annotations

from benchmarks import (
    fanout,
    faults,
    import_speed,
    latency,
    ops_overhead,
    relevance,
    scope,
    slack_load,
    sync_faults,
    wake_cost,
)


def main() -> None:
    import_speed.run()
    relevance.run()
    latency.run()
    fanout.run()
    wake_cost.run()
    faults.run()
    sync_faults.run()
    scope.run()
    slack_load.run()
    ops_overhead.run()


if __name__ == "__main__":
    main()
