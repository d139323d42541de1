"""The real discord.py client against a stand-in Discord (REST and gateway) on loopback."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import discord
import pytest
import pytest_asyncio
from sqlite_utils import Database

from adapters.discord.bot import ConfbotClient
from adapters.discord.notifier import DiscordNotifier
from adapters.discord.server import DiscordSettings, point_at, settings_from
from bot.clock import VirtualClock
from bot.config import Config, ConfigError
from bot.messages import Person
from bot.runtime import Runtime, build_runtime
from bot.store import CatalogStore, open_database
from catalog.load import load
from tests.conftest import FIXTURES
from tests.discord_standin import APP_ID, BOT_ID, CHANNEL_ID, GUILD_ID, DiscordStandIn, discord_standin, message, user

ANN = "600000000000000001"


@dataclass
class DiscordBot:
    standin: DiscordStandIn
    client: ConfbotClient
    runtime: Runtime
    clock: VirtualClock

    async def until(self, check: Callable[[], Any], timeout: float = 5.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = check()
            if found:
                return found
            await asyncio.sleep(0.02)
        raise AssertionError("the stand-in never saw what the test waited for")

    def callbacks(self) -> list[Any]:
        return self.standin.named("POST", "/interactions/")

    async def publish_agenda_events(self) -> None:
        data = {
            "id": "1",
            "name": "talks",
            "type": 1,
            "options": [
                {
                    "name": "events",
                    "type": 2,
                    "options": [
                        {"name": "publish", "type": 1, "options": [{"name": "what", "type": 3, "value": "agenda"}]}
                    ],
                }
            ],
        }
        await self.standin.dispatch("INTERACTION_CREATE", self.standin.interaction(2, data, manage=True))

    async def command(self, sub: str, options: list[dict[str, Any]] | None = None, **kw: Any) -> dict[str, Any]:
        before = len(self.callbacks())
        data = {"id": "1", "name": "talks", "type": 1, "options": [{"name": sub, "type": 1, "options": options or []}]}
        await self.standin.dispatch("INTERACTION_CREATE", self.standin.interaction(2, data, **kw))
        return dict(await self.until(lambda: self.callbacks()[before:] and self.callbacks()[before]))


@asynccontextmanager
async def running_bot(db: Database, clock: VirtualClock, conference: str | None = None) -> AsyncIterator[DiscordBot]:
    """The real discord.py client over a store, against a fresh stand-in; the library's URLs restored after."""
    saved_base, saved_gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    async with discord_standin() as standin:
        point_at(DiscordSettings(token="t", api_url=standin.api, gateway_url=standin.gateway))
        notifier = DiscordNotifier()
        runtime = build_runtime(db, notifier, clock, Config(), conference)
        client = ConfbotClient(runtime)
        notifier.client = client
        task = asyncio.create_task(client.start("test-token"))
        await asyncio.wait_for(client.wait_until_ready(), 10)
        try:
            yield DiscordBot(standin, client, runtime, clock)
        finally:
            await client.close()
            task.cancel()
            discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = saved_base, saved_gateway


@pytest_asyncio.fixture
async def bot(tmp_path: Path) -> AsyncIterator[DiscordBot]:
    db = open_database(tmp_path / "discord.db")
    CatalogStore(db).save(load(str(FIXTURES / "searchcon.schedule.json")))
    async with running_bot(db, VirtualClock(datetime.fromisoformat("2026-03-28T09:00:00+01:00"))) as running:
        yield running


async def test_login_ready_and_commands_synced(bot: DiscordBot) -> None:
    assert bot.client.user is not None and str(bot.client.user.id) == BOT_ID
    synced = await bot.until(lambda: bot.standin.named("PUT", f"/applications/{APP_ID}/commands"))
    talks = synced[-1][0]
    assert talks["name"] == "talks"
    names = {o["name"] for o in talks["options"]}
    assert {
        "search",
        "now",
        "next",
        "about",
        "remind",
        "forget",
        "agenda",
        "export",
        "settings",
        "help",
        "announce",
        "sync",
        "events",
    } <= names


async def test_search_is_answered_with_embeds_and_buttons(bot: DiscordBot) -> None:
    callback = await bot.command("search", [{"name": "query", "type": 3, "value": "talks on horovod"}])
    assert callback["type"] == 4
    data = callback["data"]
    assert data["flags"] & 64  # ephemeral in a server channel
    assert data["embeds"][0]["title"] == "1. Hands-on Horovod"
    assert any(f["name"] == "When" and f["value"].startswith("<t:") for f in data["embeds"][0]["fields"])
    ids = [c["custom_id"] for row in data["components"] for c in row["components"]]
    assert "confbot:remind:searchcon-2026:12" in ids and "confbot:share:talks on horovod" in ids
    assert data["allowed_mentions"] == {"parse": []}


async def test_autocomplete_gives_at_most_25_choices_quickly(bot: DiscordBot) -> None:
    before = len(bot.callbacks())
    data = {
        "id": "1",
        "name": "talks",
        "type": 1,
        "options": [
            {"name": "remind", "type": 1, "options": [{"name": "session", "type": 3, "value": "po", "focused": True}]}
        ],
    }
    started = time.monotonic()
    await bot.standin.dispatch("INTERACTION_CREATE", bot.standin.interaction(4, data))
    callback = await bot.until(lambda: bot.callbacks()[before:] and bot.callbacks()[before])
    assert time.monotonic() - started < 3
    assert callback["type"] == 8
    choices = callback["data"]["choices"]
    assert 0 < len(choices) <= 25 and all(":" in c["value"] for c in choices)


async def test_a_button_saves_a_reminder(bot: DiscordBot) -> None:
    before = len(bot.callbacks())
    custom_id = "confbot:remind:searchcon-2026:3"  # as a button on a message sent before a restart would carry
    row = [{"type": 1, "components": [{"type": 2, "style": 3, "label": "Remind me", "custom_id": custom_id}]}]
    payload = bot.standin.interaction(
        3,
        {"custom_id": custom_id, "component_type": 2},
        extra={"message": message(CHANNEL_ID, "results", components=row, flags=64)},  # the presser's own answer
    )
    await bot.standin.dispatch("INTERACTION_CREATE", payload)
    callback = await bot.until(lambda: bot.callbacks()[before:] and bot.callbacks()[before])
    assert callback["type"] == 7  # the reply updates in place
    assert callback["data"]["content"].startswith("Saved “Scaling PostgreSQL”")
    assert bot.runtime.agenda.saved(Person("discord", GUILD_ID, ANN)) == [("searchcon-2026", "3")]


async def test_a_dm_question_is_answered(bot: DiscordBot) -> None:
    dm = "720000000000000009"
    await bot.standin.dispatch("MESSAGE_CREATE", {**message(dm, "duckbd", author=user(ANN))})
    sent = await bot.until(lambda: bot.standin.named("POST", f"/channels/{dm}/messages"))
    assert sent[-1]["embeds"][0]["title"] == "1. DuckDB for analysts"
    assert sent[-1]["allowed_mentions"] == {"parse": []}


async def test_reminder_by_dm_when_the_clock_passes(bot: DiscordBot) -> None:
    await bot.command("remind", [{"name": "session", "type": 3, "value": "searchcon-2026:3"}], guild=False)
    bot.clock.set(datetime.fromisoformat("2026-03-28T13:50:00+01:00"))
    outcomes = await bot.runtime.dispatcher.run_due()
    assert [o.state for o in outcomes] == ["sent"]
    assert bot.standin.named("POST", "/users/@me/channels")[-1] == {"recipient_id": int(ANN)}
    posted = [b for m, p, b in bot.standin.calls if m == "POST" and p.startswith("/channels/73")]
    assert posted[-1]["content"].startswith("⏰ Starting in 10 minutes")


async def test_announcement_once_per_slot(bot: DiscordBot) -> None:
    refused = await bot.command("announce", [{"name": "what", "type": 3, "value": "here"}])
    assert refused["data"]["content"].startswith("Only workspace admins")
    done = await bot.command("announce", [{"name": "what", "type": 3, "value": "here"}], manage=True)
    assert done["data"]["content"].startswith("Done: this channel gets every session")
    for moment in ("2026-03-28T09:55:00+01:00", "2026-03-28T09:57:00+01:00", "2026-03-28T10:55:00+01:00"):
        bot.clock.set(datetime.fromisoformat(moment))
        await bot.runtime.dispatcher.run_due()
    posts = bot.standin.named("POST", f"/channels/{CHANNEL_ID}/messages")
    assert [p["content"] for p in posts] == ["📣 Starting in 5 minutes: 1 session."] * 2


async def test_429_with_retry_after_is_retried_and_nothing_lost(bot: DiscordBot) -> None:
    await bot.command("remind", [{"name": "session", "type": 3, "value": "searchcon-2026:3"}], guild=False)
    bot.standin.rate_limit_messages = 1
    bot.clock.set(datetime.fromisoformat("2026-03-28T13:50:00+01:00"))
    outcomes = await bot.runtime.dispatcher.run_due()
    assert [o.state for o in outcomes] == ["sent"]
    attempts = [b for m, p, b in bot.standin.calls if m == "POST" and p.startswith("/channels/73")]
    assert len(attempts) == 2 and attempts[-1]["content"].startswith("⏰")


async def test_everyone_in_a_query_is_sent_with_mentions_disabled(bot: DiscordBot) -> None:
    callback = await bot.command("search", [{"name": "query", "type": 3, "value": "@everyone @here <@&123> rust"}])
    data = callback["data"]
    assert data["allowed_mentions"] == {"parse": []}
    assert "@everyone" not in json.dumps(data["content"]) or "@\u200beveryone" in data["content"]


async def test_scheduled_event_created_through_the_rest_call(bot: DiscordBot) -> None:
    await bot.command("remind", [{"name": "session", "type": 3, "value": "searchcon-2026:12"}])
    before = len(bot.callbacks())
    await bot.publish_agenda_events()
    created = await bot.until(lambda: bot.standin.named("POST", f"/guilds/{GUILD_ID}/scheduled-events"))
    event = created[-1]
    assert event["name"] == "Hands-on Horovod" and event["entity_type"] == 3
    assert event["entity_metadata"] == {"location": "K.3.201"}
    assert datetime.fromisoformat(event["scheduled_start_time"]) == datetime.fromisoformat("2026-03-29T14:00:00+00:00")
    followups = await bot.until(lambda: bot.standin.named("POST", f"/webhooks/{APP_ID}/"))
    assert "Server events: 1 created" in followups[-1]["content"]
    assert len(bot.callbacks()) > before


async def test_scheduled_event_follows_a_schedule_change(bot: DiscordBot) -> None:
    from dataclasses import replace
    from datetime import timedelta

    await bot.command("remind", [{"name": "session", "type": 3, "value": "searchcon-2026:12"}])
    await bot.publish_agenda_events()
    await bot.until(lambda: bot.standin.events)
    catalog = load(str(FIXTURES / "searchcon.schedule.json"))
    moved = tuple(
        replace(s, start=s.start + timedelta(hours=1), end=s.end + timedelta(hours=1))  # type: ignore[operator]
        if s.id == "12"
        else s
        for s in catalog.sessions
    )
    bot.runtime.catalogs.save(replace(catalog, sessions=moved))
    await bot.runtime.synced()
    patched = bot.standin.named("PATCH", f"/guilds/{GUILD_ID}/scheduled-events/")
    assert patched and datetime.fromisoformat(patched[-1]["scheduled_start_time"]) == datetime.fromisoformat(
        "2026-03-29T15:00:00+00:00"
    )


def test_missing_token_is_a_one_line_error() -> None:
    with pytest.raises(ConfigError, match="^DISCORD_TOKEN is not set"):
        settings_from(Config(), {})
    found = settings_from(
        Config(),
        {
            "DISCORD_TOKEN": "t",
            "DISCORD_API_URL": "http://127.0.0.1:1/api/v10",
            "DISCORD_GATEWAY_URL": "ws://127.0.0.1:1/gateway",
        },
    )
    assert found.api_url.endswith("/api/v10") and found.gateway_url.endswith("/gateway")


async def _remind_and_lose_the_answer(bot: DiscordBot, lost: str) -> list[str]:
    """A reminder DM that Discord creates but whose answer is lost (a 500, or no answer in time); returns the
    outcomes of the dispatcher's first pass and of a pass after the first backoff."""
    await bot.command("remind", [{"name": "session", "type": 3, "value": "searchcon-2026:3"}], guild=False)
    bot.standin.lose_answer_next, bot.standin.lost_answer, bot.standin.hang_after_create = 1, lost, 0.6
    # discord.py itself waits a second before retrying a 500; a hung answer is abandoned after 0.3 s
    bot.runtime.dispatcher.notifier.attempt_timeout = 3.0 if lost == "500" else 0.3  # type: ignore[attr-defined]
    bot.clock.set(datetime.fromisoformat("2026-03-28T13:50:00+01:00"))
    first = await bot.runtime.dispatcher.run_due()
    bot.clock.set(datetime.fromisoformat("2026-03-28T13:51:00+01:00"))
    second = await bot.runtime.dispatcher.run_due()
    return [o.state for o in first + second]


def _dm_posts(bot: DiscordBot) -> list[Any]:
    return [b for m, p, b in bot.standin.calls if m == "POST" and p.startswith("/channels/73")]


async def test_lost_answer_then_timeout_retry_is_deduplicated_by_the_nonce(bot: DiscordBot) -> None:
    assert await _remind_and_lose_the_answer(bot, "hang") == ["failed", "sent"]
    posts = _dm_posts(bot)
    assert len(posts) == 2 and posts[0]["nonce"] == posts[1]["nonce"] and len(posts[0]["nonce"]) <= 25
    assert all(p["enforce_nonce"] is True for p in posts)
    [created] = [m for channel, ms in bot.standin.created.items() if channel.startswith("73") for m in ms]
    assert created["content"].startswith("⏰ Starting in 10 minutes")  # one message, though sent twice


async def test_500_after_create_is_retried_by_discord_py_and_deduplicated(bot: DiscordBot) -> None:
    states = await _remind_and_lose_the_answer(bot, "500")
    assert states == ["sent"]  # discord.py retried the 500 itself; Discord answered with the message it had
    assert len(_dm_posts(bot)) == 2
    assert sum(len(ms) for channel, ms in bot.standin.created.items() if channel.startswith("73")) == 1


async def test_nonce_is_honoured_only_within_the_window(bot: DiscordBot) -> None:
    bot.standin.nonce_window = 0.0  # past Discord's window a re-send is a new message, as on Discord
    assert await _remind_and_lose_the_answer(bot, "hang") == ["failed", "sent"]
    assert sum(len(ms) for channel, ms in bot.standin.created.items() if channel.startswith("73")) == 2


async def test_delivered_knows_only_what_the_gateway_showed(bot: DiscordBot) -> None:
    from bot.messages import Reply
    from bot.notify import Target, delivery_tag

    notifier = bot.runtime.dispatcher.notifier.inner  # type: ignore[attr-defined]
    assert isinstance(notifier, DiscordNotifier)
    sent = Target("discord", GUILD_ID, CHANNEL_ID, is_channel=True, key="k-sent")
    never = Target("discord", GUILD_ID, CHANNEL_ID, is_channel=True, key="k-never")
    await notifier.send(sent, Reply("hello"))
    assert await notifier.delivered(never) is None  # cannot tell; a re-send is de-duplicated by the nonce
    [created] = bot.standin.created[CHANNEL_ID]
    assert created["nonce"] == delivery_tag("k-sent")
    await bot.standin.dispatch("MESSAGE_CREATE", {**created, "guild_id": GUILD_ID})  # the gateway's echo
    await bot.until(lambda: any(m.nonce == created["nonce"] for m in bot.client.cached_messages))
    assert await notifier.delivered(sent) is True and await notifier.delivered(never) is None
