"""The bots' logs: human lines on a terminal, JSON lines otherwise or when asked, third-party noise left out."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import discord
import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters import logs


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def restored() -> Iterator[None]:
    """`configure` replaces the root logger's handlers: put pytest's back afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in logs.QUIET_BELOW_WARNING}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, old in levels.items():
        logging.getLogger(name).setLevel(old)


def test_json_lines_when_asked_with_the_traceback_inside_the_line(restored: None) -> None:
    out = io.StringIO()
    logs.configure("json", stream=out)
    logging.getLogger("confbot.test").info("ready on %s", "port 8080")
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("confbot.test").exception("a listener failed")
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first["level"] == "info" and first["logger"] == "confbot.test" and first["message"] == "ready on port 8080"
    assert first["time"].endswith("+00:00")
    assert second["level"] == "error" and "ValueError: boom" in second["exception"]


def test_auto_is_human_on_a_terminal_and_json_otherwise(restored: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdout", Terminal())
    out = io.StringIO()
    logs.configure("auto", stream=out)
    logging.getLogger("confbot.test").warning("store is busy")
    assert out.getvalue().rstrip().endswith("WARNING confbot.test: store is busy")
    monkeypatch.setattr("sys.stdout", io.StringIO())  # a pipe, a container, systemd
    piped = io.StringIO()
    logs.configure("auto", stream=piped)
    logging.getLogger("confbot.test").warning("store is busy")
    assert json.loads(piped.getvalue())["message"] == "store is busy"


async def test_third_party_noise_is_silenced_at_the_default_level(restored: None) -> None:
    out = io.StringIO()
    logs.configure("human", stream=out)
    discord.VoiceClient.warn_nacl = True  # as on a fresh start without PyNaCl: the client warns at creation
    await discord.Client(intents=discord.Intents.default()).close()
    AsyncApp(token="xoxb-unused", client=AsyncWebClient(token="xoxb-1"), signing_secret="s")
    scheduler = AsyncIOScheduler()
    scheduler.add_job(lambda: None, "interval", seconds=60)
    scheduler.start()
    scheduler.shutdown(wait=False)
    logging.getLogger("confbot.test").info("still here")
    text = out.getvalue()
    assert "voice will NOT be supported" not in text and "will be unused" not in text
    assert "apscheduler" not in text
    assert "still here" in text


def test_discord_reconnect_is_one_line_not_a_traceback(restored: None) -> None:
    out = io.StringIO()
    logs.configure("human", stream=out)
    try:
        raise OSError("Connect call failed")
    except OSError:
        logging.getLogger("discord.client").exception("Attempting a reconnect in %.2fs", 2.0)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1 and "Traceback" not in lines[0]
    assert "WARNING" in lines[0] and "Attempting a reconnect in 2.00s (OSError: Connect call failed)" in lines[0]
