"""`make bench`: every benchmark in one run, each table with its baseline beside it."""

from __future__ import annotations

from benchmarks import fanout, import_speed, latency, relevance, scope


def main() -> None:
    import_speed.run()
    relevance.run()
    latency.run()
    fanout.run()
    scope.run()


if __name__ == "__main__":
    main()
