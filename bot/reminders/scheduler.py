"""APScheduler only wakes the dispatcher; SQLite says what is due. Rebuilt from the store at start-up.

One date job sits at the next due time; an interval tick catches what other processes changed and recomputes
the next wake in full. Both call the same `wake`, and the dispatcher runs one `run_due` at a time, so a tick
and a due wake-up never deliver side by side. `poke()` after a chat message is cheap: it asks the
dispatcher's thread which reminders changed since it last looked (O(changes)) and only ever moves the
wake-up earlier; the full recompute runs after each delivery pass and on the tick, off the event loop.
Every job sets `misfire_grace_time` and `coalesce` explicitly: APScheduler's default grace of one second
would silently drop a wake-up that comes a little late, and a late wake-up is exactly when reminders matter.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from datetime import UTC, datetime, timedelta

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
        self.next_at: datetime | None = None  # where the next-due job sits
        self._loop: asyncio.AbstractEventLoop | None = None
        self._checking = False
        self._recheck = False
        self.last_tick: float | None = None  # time.monotonic() of the last wake-up: health reads how stale it is

    def start(self) -> None:
        """Must run inside the asyncio loop that will serve the bot."""
        self._loop = asyncio.get_running_loop()
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
        self.last_tick = time.monotonic()
        self.place(self.dispatcher.next_wake())

    def place(self, wake: datetime | None) -> None:
        """Put the next-due job at `wake` (or remove it)."""
        self.next_at = wake
        if not self.scheduler.running:
            return
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

    def earlier(self, wake: datetime | None) -> None:
        """Move the wake-up earlier, never later: a later one might skip what the last full look found."""
        if wake is not None and (self.next_at is None or wake < self.next_at):
            self.place(wake)

    def poke(self, hint: datetime | None = None) -> None:
        """Something changed (a saved session, a snooze, a lead time, a sync): move the wake-up if it must go
        earlier. Returns at once; the check runs on the dispatcher's own thread and connection."""
        if hint is not None:
            self.earlier(hint)
            return
        if self._loop is None or self._loop.is_closed():
            self.earlier(self.dispatcher.changed())
            return
        if self._checking:  # one check at a time; the one running looks again when it is done
            self._recheck = True
            return
        self._checking = True
        self.dispatcher.changed_future().add_done_callback(self._checked_in_thread)

    def _checked_in_thread(self, done: Future[datetime | None]) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._checked, done)

    def _checked(self, done: Future[datetime | None]) -> None:
        self._checking = False
        try:
            self.earlier(done.result())
        except Exception:  # noqa: BLE001 - a failed look is retried by the tick
            log.exception("checking what changed failed")
        if self._recheck:
            self._recheck = False
            self.poke()

    async def wake(self) -> None:
        self.last_tick = time.monotonic()
        if self.dispatcher.running:  # the pass under way looks again, then places the next wake-up itself
            await self.dispatcher.run_due()
            return
        try:
            outcomes = await self.dispatcher.run_due()
            if outcomes:
                log.info("delivered: %s", {o.state for o in outcomes})
        finally:
            self.place(await self.dispatcher.next_wake_async())

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
