"""/metrics as Prometheus scrapes it: questions by command and adapter, search time, reminders by outcome
(sent, late, skipped, failed), the outbox's queue and 429s, and sync outcomes, counted by the real bots."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from adapters.discord.notifier import count_rate_limits
from bot import metrics
from bot.clock import VirtualClock
from bot.metrics import PrometheusMetrics
from bot.store import CatalogStore, open_database
from bot.sync import sync_conference
from catalog.load import load
from tests.conftest import FIXTURES
from tests.test_discord import running_bot
from tests.test_health import http_health
from tests.test_slack import SlackBot, slack_bot

DUE = "2026-03-28T13:50:00+01:00"  # ten minutes before session 3 starts


@pytest.fixture
def counters() -> Iterator[PrometheusMetrics]:
    installed = PrometheusMetrics()
    previous = metrics.install(installed)
    yield installed
    metrics.install(previous)


def sample(text: str, name: str, **labels: str) -> float:
    """One series' value from the exposition text; 0 when the series is absent (nothing counted yet)."""
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        match = re.fullmatch(r"([a-z_]+)(?:\{(.*)\})? (\S+)", line)
        if not match or match[1] != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', match[2] or ""))
        if found == labels:
            return float(match[3])
    return 0.0


async def scrape(bot: SlackBot) -> str:
    async with bot.http.get(f"{bot.url}/metrics") as response:
        assert response.status == 200 and response.content_type == "text/plain"
        return await response.text()


async def test_slack_metrics_count_a_slash_command_and_a_reminder(tmp_path: Path, counters: PrometheusMetrics) -> None:
    async with slack_bot(tmp_path, http_health, counters) as bot:
        await bot.command("talks on horovod")
        await bot.command("remind 3", user="U3")
        text = await scrape(bot)
        assert sample(text, "confbot_questions_total", command="search", adapter="slack") == 1
        assert sample(text, "confbot_questions_total", command="remind", adapter="slack") == 1
        assert sample(text, "confbot_search_seconds_count") == 1
        assert sample(text, "confbot_reminders_total", outcome="sent") == 0

        bot.clock.set(datetime.fromisoformat(DUE))
        await bot.runtime.dispatcher.run_due()
        text = await scrape(bot)
        assert sample(text, "confbot_reminders_total", outcome="sent") == 1
        assert sample(text, "confbot_outbox_queue") == 0  # nothing left waiting


async def test_late_skipped_and_rate_limited_reminders(tmp_path: Path, counters: PrometheusMetrics) -> None:
    async with slack_bot(tmp_path, http_health, counters) as bot:
        await bot.command("remind 3", user="U4")
        bot.standin.rate_limit_next = 1  # Slack answers 429 once; slack-sdk waits Retry-After and sends again
        bot.clock.set(datetime.fromisoformat("2026-03-28T13:55:00+01:00"))  # five minutes after it was due
        await bot.runtime.dispatcher.run_due()
        await bot.command("remind 4", user="U5")  # RISC-V bring-up, 15:00: due 14:50, while nothing runs
        bot.clock.set(datetime.fromisoformat("2026-03-28T15:20:00+01:00"))  # the session has started
        await bot.runtime.dispatcher.run_due()
        text = await scrape(bot)
    assert sample(text, "confbot_reminders_total", outcome="late") == 1
    assert sample(text, "confbot_reminders_total", outcome="skipped") == 1
    assert sample(text, "confbot_reminders_total", outcome="sent") == 0
    assert sample(text, "confbot_rate_limited_total", platform="slack") == 1


async def test_outbox_queue_shows_a_send_in_flight(tmp_path: Path, counters: PrometheusMetrics) -> None:
    async with slack_bot(tmp_path, http_health, counters) as bot:
        await bot.command("remind 3", user="U6")
        bot.standin.lose_answer_next, bot.standin.lost_answer, bot.standin.hang_after_post = 1, "hang", 1.0
        bot.clock.set(datetime.fromisoformat(DUE))
        delivering = asyncio.create_task(bot.runtime.dispatcher.run_due())
        for _ in range(100):
            if sample(await scrape(bot), "confbot_outbox_queue") == 1:
                break
            await asyncio.sleep(0.01)
        else:
            raise AssertionError("the send in flight never showed in confbot_outbox_queue")
        await delivering
        assert sample(await scrape(bot), "confbot_outbox_queue") == 0


def test_sync_outcomes_are_counted(tmp_path: Path, counters: PrometheusMetrics) -> None:
    catalogs = CatalogStore(open_database(tmp_path / "sync.db"))
    catalogs.save(load(str(FIXTURES / "searchcon.schedule.json")))
    slug = catalogs.conferences()[0].slug
    sync_conference(catalogs, slug, datetime.fromisoformat(DUE))
    with pytest.raises(Exception, match="no conference"):
        sync_conference(catalogs, "no-such-conference", datetime.fromisoformat(DUE))
    text = counters.exposition()[0].decode()
    assert sample(text, "confbot_syncs_total", outcome="unchanged") == 1
    assert sample(text, "confbot_syncs_total", outcome="failed") == 1


async def test_discord_metrics_count_a_slash_command_and_a_retried_429(
    tmp_path: Path, counters: PrometheusMetrics
) -> None:
    count_rate_limits()
    db = open_database(tmp_path / "discord.db")
    CatalogStore(db).save(load(str(FIXTURES / "searchcon.schedule.json")))
    async with running_bot(db, VirtualClock(datetime.fromisoformat("2026-03-28T09:00:00+01:00"))) as bot:
        await bot.command("search", [{"name": "query", "type": 3, "value": "talks on horovod"}])
        await bot.command("remind", [{"name": "session", "type": 3, "value": "searchcon-2026:3"}], guild=False)
        bot.standin.rate_limit_messages = 1
        bot.clock.set(datetime.fromisoformat(DUE))
        outcomes = await bot.runtime.dispatcher.run_due()
    assert [o.state for o in outcomes] == ["sent"]
    text = counters.exposition()[0].decode()
    assert sample(text, "confbot_questions_total", command="search", adapter="discord") == 1
    assert sample(text, "confbot_reminders_total", outcome="sent") == 1
    assert sample(text, "confbot_rate_limited_total", platform="discord") == 1
