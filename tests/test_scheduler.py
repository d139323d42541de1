"""APScheduler wakes the dispatcher at the due time (real time here, a second or so) and is rebuilt from
the store at start-up."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.clock import SystemClock
from bot.reminders.scheduler import MISFIRE_GRACE_SECONDS, WakeScheduler
from bot.reminders.service import make_dispatcher
from bot.store import AgendaStore, CatalogStore, open_database
from catalog.load import load
from catalog.model import Session
from tests.conftest import FIXTURES
from tests.fakes import ME, FakeNotifier


def test_scheduler_wakes_the_dispatcher_when_a_reminder_is_due(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.db")
    catalogs, agenda = CatalogStore(db), AgendaStore(db)
    catalog = load(str(FIXTURES / "searchcon.schedule.json"))
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=10, seconds=2)
    from dataclasses import replace

    soon = replace(catalog.sessions[0], start=start, end=start + timedelta(minutes=30))
    catalogs.save(replace(catalog, sessions=(soon,) + tuple(catalog.sessions[1:])))
    agenda.save(ME, "searchcon-2026", soon.id)  # due in about two seconds: start minus the 10-minute lead
    notifier = FakeNotifier()
    dispatcher = make_dispatcher(catalogs, agenda, notifier, SystemClock())

    async def serve() -> WakeScheduler:
        scheduler = WakeScheduler(dispatcher)
        scheduler.start()  # rebuilt from the store: it finds the saved session on its own
        job = scheduler.scheduler.get_job("next-due")
        assert job is not None and job.misfire_grace_time == MISFIRE_GRACE_SECONDS and job.coalesce
        for _ in range(100):
            if notifier.sent:
                break
            await asyncio.sleep(0.05)
        scheduler.shutdown()
        return scheduler

    asyncio.run(serve())
    assert len(notifier.sent) == 1
    assert notifier.sent[0][1].text.startswith("⏰ Starting in 10 minutes")
    assert isinstance(soon, Session)
