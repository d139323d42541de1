"""`make bench`: every benchmark in one run, each table with its baseline beside it."""

from __future__ import annotations

from benchmarks import (
    fanout,
    faults,
    import_speed,
    latency,
    ops_overhead,
    peers,
    relevance,
    scaling,
    scope,
    slack_load,
    store_ops,
    sync_faults,
    wake_cost,
)


def main() -> None:
    import_speed.run()
    peers.run()
    relevance.run()
    latency.run()
    fanout.run()
    wake_cost.run()
    faults.run()
    sync_faults.run()
    scope.run()
    slack_load.run()
    store_ops.run()
    scaling.run()
    ops_overhead.run()


if __name__ == "__main__":
    main()
