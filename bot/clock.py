"""The only way the core learns the time, so tests, the demo and the console can replay a conference day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class VirtualClock:
    """A clock that only moves when told: `set` jumps, `advance` moves forward."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("a virtual clock needs a timezone-aware start")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("times given to the clock must carry a zone or offset")
        self._now = moment

    def advance(self, delta: timedelta) -> datetime:
        self._now += delta
        return self._now


def parse_moment(text: str, zone: tzinfo | None = None) -> datetime:
    """An ISO 8601 moment; without an offset it is read in `zone` (the conference's), else as UTC.

    Raises ValueError with a usable message.
    """
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(f"{text!r} is not an ISO 8601 time such as 2026-01-31T09:30:00+01:00") from exc
    return value if value.tzinfo else value.replace(tzinfo=zone or UTC)
