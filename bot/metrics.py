"""What the core counts for an operator, behind one small port so the logic never depends on how it is exported.

The core calls `current()` and reports events (a question answered, a search's duration, a reminder's fate,
the outbox's queue, a sync's outcome). By default nothing is kept (`NullMetrics`); a long-running adapter
installs `PrometheusMetrics` at start-up and serves its registry on /metrics. prometheus_client is imported
here only, and only when that class is built, so the logic runs without it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from time import perf_counter
from typing import Protocol

# Seconds: most searches answer in milliseconds; Slack and Discord give up at 3 s.
SEARCH_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
LATE_SECONDS = 60.0  # a reminder sent more than this after it was due counts as late


class Metrics(Protocol):
    def answered(self, command: str, adapter: str) -> None: ...

    def searched(self, seconds: float) -> None: ...

    def reminder(self, outcome: str) -> None:
        """outcome: sent (on time), late, skipped, failed."""

    def queued(self, change: int) -> None:
        """The outbox's queue (waiting for a token or in flight) grew or shrank by `change`."""

    def rate_limited(self, platform: str) -> None: ...

    def synced(self, outcome: str) -> None:
        """outcome: updated, unchanged, refused, unreachable, failed."""


class NullMetrics:
    """Counts nothing: the console, the one-shot commands and most tests."""

    def answered(self, command: str, adapter: str) -> None:
        pass

    def searched(self, seconds: float) -> None:
        pass

    def reminder(self, outcome: str) -> None:
        pass

    def queued(self, change: int) -> None:
        pass

    def rate_limited(self, platform: str) -> None:
        pass

    def synced(self, outcome: str) -> None:
        pass


class PrometheusMetrics:
    """The same events as Prometheus series, in a registry of its own (one per running bot, one per test)."""

    def __init__(self) -> None:
        from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

        self.registry = CollectorRegistry()
        self._questions = Counter(
            "confbot_questions",
            "Questions answered, by command and adapter",
            ["command", "adapter"],
            registry=self.registry,
        )
        self._search = Histogram(
            "confbot_search_seconds", "Time to answer a search", buckets=SEARCH_BUCKETS, registry=self.registry
        )
        self._reminders = Counter(
            "confbot_reminders",
            "Reminders and announcements by outcome: sent, late, skipped, failed",
            ["outcome"],
            registry=self.registry,
        )
        self._queue = Gauge(
            "confbot_outbox_queue", "Messages waiting in the outbox or in flight", registry=self.registry
        )
        self._limited = Counter(
            "confbot_rate_limited",
            "Answers of 429 (rate limited) from a platform",
            ["platform"],
            registry=self.registry,
        )
        self._syncs = Counter("confbot_syncs", "Catalog syncs by outcome", ["outcome"], registry=self.registry)

    def answered(self, command: str, adapter: str) -> None:
        self._questions.labels(command=command, adapter=adapter).inc()

    def searched(self, seconds: float) -> None:
        self._search.observe(seconds)

    def reminder(self, outcome: str) -> None:
        self._reminders.labels(outcome=outcome).inc()

    def queued(self, change: int) -> None:
        self._queue.inc(change)

    def rate_limited(self, platform: str) -> None:
        self._limited.labels(platform=platform).inc()

    def synced(self, outcome: str) -> None:
        self._syncs.labels(outcome=outcome).inc()

    def exposition(self) -> tuple[bytes, str]:
        """The text a Prometheus scrape reads, and its content type."""
        from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

        return generate_latest(self.registry), CONTENT_TYPE_LATEST


_current: Metrics = NullMetrics()


def current() -> Metrics:
    return _current


def install(metrics: Metrics) -> Metrics:
    """Make `metrics` the one the core reports to; returns the previous one, so a test can put it back."""
    global _current
    previous, _current = _current, metrics
    return previous


@contextmanager
def timed_search() -> Iterator[None]:
    started = perf_counter()
    try:
        yield
    finally:
        _current.searched(perf_counter() - started)


def reminder_outcome(state: str, late_by: float) -> str:
    """A delivery's state as the operator reads it: a send more than LATE_SECONDS after its due time is late."""
    if state == "sent" and late_by > LATE_SECONDS:
        return "late"
    return state
