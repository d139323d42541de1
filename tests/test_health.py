"""Health as a supervisor sees it: /healthz is ready only while the platform connection is up, the store takes a
write and the reminder dispatcher keeps waking; it goes unready when the stand-in drops the connection and
ready again when it returns, for the Slack HTTP server and for the --health-port of the Socket Mode and
Discord runners."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

from adapters.health import Health, database_path, store_writable
from adapters.slack.preflight import WebApiProbe
from adapters.slack.server import SlackSettings
from bot.runtime import Runtime
from tests.discord_standin import discord_standin
from tests.runs import environment, free_port, prepared, serving, until_health
from tests.slack_standin import slack_standin
from tests.test_slack import SlackBot, slack_bot


def http_health(settings: SlackSettings, runtime: Runtime) -> Health:
    """As `confbot run slack --http` wires it, with Slack asked at every poll instead of every 15 s."""
    return Health(WebApiProbe(settings, max_age=0), database_path(runtime.catalogs.db), runtime.scheduler)


async def healthz(bot: SlackBot) -> tuple[int, dict[str, Any]]:
    async with bot.http.get(f"{bot.url}/healthz") as response:
        return response.status, dict(await response.json())


async def test_slack_http_healthz_follows_slack_and_the_dispatcher(tmp_path: Path) -> None:
    async with slack_bot(tmp_path, http_health) as bot:
        status, report = await healthz(bot)
        assert status == 503 and report["reminders"] == {"ok": False, "detail": "not started"}
        async with bot.http.get(f"{bot.url}/livez") as alive:  # unready, but alive: nothing to restart
            assert alive.status == 200
        bot.runtime.scheduler.tick = timedelta(seconds=1)
        bot.runtime.scheduler.start()
        status, report = await healthz(bot)
        assert status == 200 and report["ready"] is True
        assert report["platform"]["ok"] and report["store"] == {"ok": True, "detail": "writable"}

        bot.standin.down = True  # Slack is out: the bot cannot answer anyone
        status, report = await healthz(bot)
        assert status == 503 and report["platform"]["ok"] is False and "503" in report["platform"]["detail"]
        assert report["store"]["ok"] and report["reminders"]["ok"]
        bot.standin.down = False
        assert (await healthz(bot))[0] == 200

        bot.runtime.scheduler.shutdown()  # the dispatcher stops waking: after two missed ticks, unready
        await asyncio.sleep(2.2)
        status, report = await healthz(bot)
        assert (
            status == 503
            and report["reminders"]["ok"] is False
            and "expected every 1 s" in report["reminders"]["detail"]
        )


async def test_rejected_token_at_runtime_is_unready(tmp_path: Path) -> None:
    async with slack_bot(tmp_path, http_health) as bot:
        bot.runtime.scheduler.start()
        assert (await healthz(bot))[0] == 200
        bot.standin.rejected_tokens.add("xoxb-test")  # revoked while running
        status, report = await healthz(bot)
        assert status == 503 and "invalid_auth" in report["platform"]["detail"]


def test_store_that_cannot_take_a_write_is_unready(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    assert store_writable(str(path), timeout=0.1).ok
    holder.execute("BEGIN EXCLUSIVE")  # another process holds the write lock and does not let go
    busy = store_writable(str(path), timeout=0.1)
    assert not busy.ok and "locked" in busy.detail and str(path) in busy.detail
    holder.execute("ROLLBACK")
    assert store_writable(str(path), timeout=0.1).ok
    assert [r[0] for r in holder.execute("SELECT name FROM sqlite_master")] == ["t"]  # the probe left nothing


def json_lines(text: str) -> list[dict[str, Any]]:
    """Every line the bot logged is a JSON object (standard output is not a terminal here)."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


async def test_discord_health_port_goes_unready_when_the_gateway_drops_and_ready_when_it_returns(
    tmp_path: Path,
) -> None:
    prepared(tmp_path)
    port = free_port()
    async with discord_standin() as discord:
        env = environment(tmp_path, DISCORD_TOKEN="t", DISCORD_API_URL=discord.api, DISCORD_GATEWAY_URL=discord.gateway)
        async with serving(["run", "discord", "--health-port", str(port)], env) as process:
            ready = await until_health(port, True)
            assert ready["platform"] == {"ok": True, "detail": "gateway connected"}
            await discord.go_down()
            down = await until_health(port, False)
            assert down["platform"]["ok"] is False and down["store"]["ok"] and down["reminders"]["ok"]
            discord.down = False
            await until_health(port, True)
            process.terminate()
            assert await asyncio.wait_for(process.wait(), 15) == 0  # SIGTERM: a clean stop
        assert process.stderr is not None
        logged = json_lines((await process.stderr.read()).decode())
    text = json.dumps(logged)
    assert "Traceback" not in text and "voice will NOT be supported" not in text
    assert any("Attempting a reconnect" in e["message"] for e in logged)  # said once, as one line


async def test_socket_mode_health_port_goes_unready_when_slack_drops_and_ready_when_it_returns(
    tmp_path: Path,
) -> None:
    prepared(tmp_path)
    port = free_port()
    async with slack_standin() as slack:
        env = environment(
            tmp_path, SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1", SLACK_API_URL=f"{slack.base}/api/"
        )
        async with serving(["run", "slack", "--health-port", str(port)], env) as process:
            ready = await until_health(port, True)
            assert ready["platform"] == {"ok": True, "detail": "Socket Mode connected"}
            await slack.go_down()
            assert (await until_health(port, False))["platform"]["ok"] is False
            slack.down = False
            await until_health(port, True, timeout=30)
            process.terminate()
            assert await asyncio.wait_for(process.wait(), 15) == 0
        assert process.stderr is not None
        logged = json_lines((await process.stderr.read()).decode())
    text = json.dumps(logged)
    assert "Traceback" not in text and "`token` will be unused" not in text
    assert not any(e["logger"].startswith("apscheduler") for e in logged)
