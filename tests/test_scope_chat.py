"""Scope through the real Slack and Discord clients on loopback: a channel set to one conference, and a bot
started with --conference, never answer with a session of another."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from adapters.slack.server import SlackSettings, build_app, make_client, make_notifier, web_app
from bot.clock import VirtualClock
from bot.config import Config
from bot.runtime import build_runtime
from bot.store import open_database
from tests.conftest import CliRunner
from tests.loopback import serve
from tests.scope_fixtures import searchcon, store_with
from tests.slack_standin import BOT_TOKEN, SIGNING_SECRET, slack_standin
from tests.test_discord import DiscordBot, running_bot
from tests.test_slack import SlackBot

DURING_2026 = "2026-03-28T10:00:00+01:00"


def conferences_in(payload: object) -> set[str]:
    """Every conference a reply refers to, read from the session references in its buttons."""
    text = json.dumps(payload)
    return {slug for slug in ("searchcon-2025", "searchcon-2026") if f"{slug}:" in text}


@asynccontextmanager
async def slack_bot(tmp_path: Path, conference: str | None = None) -> AsyncIterator[SlackBot]:
    async with slack_standin() as standin:
        db = open_database(store_with(tmp_path / "slack.db", searchcon()))
        clock = VirtualClock(datetime.fromisoformat(DURING_2026))
        settings = SlackSettings(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=f"{standin.base}/api/")
        client = make_client(settings)
        runtime = build_runtime(db, make_notifier(settings, client), clock, Config(), conference)
        async with (
            serve(web_app(build_app(runtime, settings, client), settings.signing_secret)) as url,
            aiohttp.ClientSession() as http,
        ):
            yield SlackBot(url, standin, runtime, http, clock)
        runtime.scheduler.shutdown()


async def test_slack_channel_set_by_an_admin(tmp_path: Path) -> None:
    async with slack_bot(tmp_path) as slack:
        refused = await slack.command("settings conference searchcon-2025 everywhere", user="U1")
        assert "Only workspace admins" in json.dumps(refused)
        slack.standin.admins.add("U7")
        done = await slack.command("settings conference searchcon-2025", user="U7", channel="C1")
        assert "Done: in this channel I now answer about SearchCon 2025." in json.dumps(done)
        for question in ("talks on horovod", "databases", "next", "speaker ruth", "searchcon 2026 horovod"):
            answer = await slack.command(question, user="U1", channel="C1")
            assert conferences_in(answer) <= {"searchcon-2025"}, question
        assert conferences_in(await slack.command("talks on horovod", user="U1", channel="C1")) == {"searchcon-2025"}
        assert conferences_in(await slack.command("talks on horovod", user="U1", channel="C2")) == {"searchcon-2026"}


async def test_slack_run_with_a_conference_is_pinned(tmp_path: Path) -> None:
    async with slack_bot(tmp_path, conference="searchcon-2025") as slack:
        slack.standin.admins.add("U7")
        await slack.command("settings conference searchcon-2026", user="U7", channel="C1")
        for channel in ("C1", "C2", "D1"):
            answer = await slack.command("talks on horovod", user="U1", channel=channel)
            assert conferences_in(answer) == {"searchcon-2025"}, channel
        assert "started with --conference" in json.dumps(await slack.command("switch to searchcon 2026"))


@asynccontextmanager
async def discord_bot(tmp_path: Path, conference: str | None = None) -> AsyncIterator[DiscordBot]:
    db = open_database(store_with(tmp_path / "discord.db", searchcon()))
    async with running_bot(db, VirtualClock(datetime.fromisoformat(DURING_2026)), conference) as running:
        yield running


def search(query: str) -> list[dict[str, Any]]:
    return [{"name": "query", "type": 3, "value": query}]


def conference_option(slug: str) -> list[dict[str, Any]]:
    return [{"name": "conference", "type": 3, "value": slug}]


async def test_discord_channel_set_by_a_manager(tmp_path: Path) -> None:
    async with discord_bot(tmp_path) as bot:
        done = await bot.command("settings", conference_option("searchcon-2025"), manage=True)
        assert done["data"]["content"].startswith("Done: in this channel I now answer about SearchCon 2025.")
        for question in ("talks on horovod", "databases", "what's next", "searchcon 2026 horovod"):
            answer = await bot.command("search", search(question))
            assert conferences_in(answer) <= {"searchcon-2025"}, question
        assert conferences_in(await bot.command("search", search("horovod"))) == {"searchcon-2025"}
        assert conferences_in(await bot.command("search", search("horovod"), guild=False)) == {"searchcon-2026"}


async def test_discord_run_with_a_conference_is_pinned(tmp_path: Path) -> None:
    async with discord_bot(tmp_path, conference="searchcon-2025") as bot:
        await bot.command("settings", conference_option("searchcon-2026"), manage=True)
        assert conferences_in(await bot.command("search", search("horovod"))) == {"searchcon-2025"}
        assert conferences_in(await bot.command("search", search("horovod"), guild=False)) == {"searchcon-2025"}


@pytest.mark.parametrize("platform", ["slack", "discord"])
def test_run_refuses_an_unknown_conference_in_one_line(cli: CliRunner, tmp_path: Path, platform: str) -> None:
    db = store_with(tmp_path / "run.db", searchcon())
    result = cli("run", platform, "--db", db, "--conference", "pycon-2026")
    assert result.code == 1 and result.err.strip() == (
        "confbot: error: no conference 'pycon-2026' in the store; see 'confbot catalogs'"
    )


def test_slack_and_discord_cards_show_the_clock_and_the_edition() -> None:
    from adapters.discord.embeds import render as embeds
    from adapters.slack.blocks import render as blocks
    from bot.messages import Card, Reply
    from catalog.model import Session

    start = datetime.fromisoformat("2026-03-28T10:00:00+01:00")
    session = Session("1", "Rust in the Linux kernel", start=start, end=start.replace(hour=11))
    reply = Reply("x", (Card("c", session, "Europe/Brussels", 1, status="ended", label="SearchCon 2025"),))
    slack = json.dumps(blocks(reply))
    assert "SearchCon 2025 \\u00b7 <!date^" in slack and "\\u00b7 ended" in slack
    when = next(f for f in embeds(reply).embeds[0].fields if f.name == "When")
    assert when.value is not None and when.value.endswith(" · ended · SearchCon 2025")
