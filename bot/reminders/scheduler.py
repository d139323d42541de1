"""APScheduler only wakes the dispatcher; SQLite says what is due. Rebuilt from the store at start-up.

One date job sits at the next due time and is moved whenever something changes ('poke'); an interval tick
catches what other processes changed; periodic sync jobs re-read catalogs that came from a URL. Every job
sets `misfire_grace_time` and `coalesce` explicitly: APScheduler's default grace of one second would silently
drop a wake-up that comes a little late, and a late wake-up is exactly when reminders matter.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.reminders.dispatcher import Dispatcher

log = logging.getLogger("confbot.scheduler")
MISFIRE_GRACE_SECONDS = 3600
TICK = timedelta(seconds=60)


class WakeScheduler:
    def __init__(
        self,
        dispatcher: Dispatcher,
        *,
        tick: timedelta = TICK,
        periodic: list[tuple[str, Callable[[], Awaitable[object]], timedelta]] | None = None,
    ) -> None:
        self.dispatcher = dispatcher
        self.tick = tick
        self.periodic = periodic or []
        self.scheduler = AsyncIOScheduler(
            timezone=UTC,
            job_defaults={"coalesce": True, "misfire_grace_time": MISFIRE_GRACE_SECONDS, "max_instances": 1},
        )

    def start(self) -> None:
        """Must run inside the asyncio loop that will serve the bot."""
        self.scheduler.add_job(
            self.wake,
            IntervalTrigger(seconds=self.tick.total_seconds()),
            id="tick",
            coalesce=True,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
            max_instances=1,
        )
        for name, job, every in self.periodic:
            self.scheduler.add_job(
                job,
                IntervalTrigger(seconds=every.total_seconds()),
                id=name,
                coalesce=True,
                misfire_grace_time=MISFIRE_GRACE_SECONDS,
                max_instances=1,
            )
        self.scheduler.start()
        self.poke()

    def poke(self) -> None:
        """Something changed (a saved session, a snooze, a sync): put the wake-up at the new next due time."""
        wake = self.dispatcher.next_wake()
        if wake is None:
            if self.scheduler.get_job("next-due"):
                self.scheduler.remove_job("next-due")
            return
        self.scheduler.add_job(
            self.wake,
            DateTrigger(run_date=wake),
            id="next-due",
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
            max_instances=1,
        )

    async def wake(self) -> None:
        try:
            outcomes = await self.dispatcher.run_due()
            if outcomes:
                log.info("delivered: %s", {o.state for o in outcomes})
        finally:
            self.poke()

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
