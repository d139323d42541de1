"""`confbot run slack|discord` at start: every way it can fail ends the process by itself, in bounded time, with
one line saying what to do and the documented exit code, and never a traceback."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from adapters import exit_codes
from adapters.slack.server import settings_from
from bot.config import Config, ConfigError
from tests.discord_standin import DiscordStandIn, discord_standin
from tests.runs import BOUND, Ended, environment, free_port, prepared, run_to_end
from tests.slack_standin import StandIn, slack_standin


@dataclass(frozen=True)
class Scenario:
    name: str
    args: list[str]
    env: dict[str, str]
    code: int
    says: tuple[str, ...]  # words the one line must contain
    not_says: tuple[str, ...] = ()
    logs: bool = False  # the library's retries are logged (as JSON lines) before the one line


@asynccontextmanager
async def held_port() -> AsyncIterator[int]:
    """A port something else already listens on."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("0.0.0.0", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


def scenarios(
    tmp: Path, slack: StandIn, down: StandIn, discord: DiscordStandIn, rejecting: DiscordStandIn, busy: int
) -> list[Scenario]:
    nowhere = f"127.0.0.1:{free_port()}"
    api = f"{slack.base}/api/"
    good = {"SLACK_BOT_TOKEN": "xoxb-good", "SLACK_APP_TOKEN": "xapp-good", "SLACK_SIGNING_SECRET": "s"}
    chat = {"DISCORD_API_URL": discord.api, "DISCORD_GATEWAY_URL": discord.gateway}
    env = lambda **extra: environment(tmp, **extra)  # noqa: E731
    config, platform = exit_codes.CONFIGURATION, exit_codes.PLATFORM
    return [
        Scenario(
            "socket mode, nothing set",
            ["run", "slack"],
            env(),
            config,
            ("Socket Mode needs", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"),
            ("SIGNING",),
        ),
        Scenario(
            "http mode, nothing set",
            ["run", "slack", "--http"],
            env(),
            config,
            ("HTTP mode", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"),
            ("SLACK_APP_TOKEN",),
        ),
        Scenario("discord, no token", ["run", "discord"], env(), config, ("DISCORD_TOKEN",)),
        Scenario(
            "http mode, bot token rejected",
            ["run", "slack", "--http", "--port", str(free_port())],
            env(**{**good, "SLACK_BOT_TOKEN": "xoxb-revoked"}, SLACK_API_URL=api),
            config,
            ("Slack rejected SLACK_BOT_TOKEN", "invalid_auth", "OAuth & Permissions"),
        ),
        Scenario(
            "socket mode, app token rejected",
            ["run", "slack"],
            env(**{**good, "SLACK_APP_TOKEN": "xapp-revoked"}, SLACK_API_URL=api),
            config,
            ("Slack rejected SLACK_APP_TOKEN", "connections:write"),
        ),
        Scenario(
            "slack unreachable",
            ["run", "slack"],
            env(**good, SLACK_API_URL=f"http://{nowhere}/api/"),
            platform,
            ("could not reach Slack", "after 4 tries", "SLACK_API_URL"),
        ),
        Scenario(
            "slack answering 503",
            ["run", "slack", "--http", "--port", str(free_port())],
            env(**good, SLACK_API_URL=f"{down.base}/api/"),
            platform,
            ("could not reach Slack", "503"),
        ),
        Scenario(
            "discord token rejected",
            ["run", "discord"],
            env(DISCORD_TOKEN="revoked", DISCORD_API_URL=rejecting.api, DISCORD_GATEWAY_URL=rejecting.gateway),
            config,
            ("Discord rejected DISCORD_TOKEN", "Reset Token"),
        ),
        Scenario(
            "discord unreachable",
            ["run", "discord"],
            env(DISCORD_TOKEN="t", DISCORD_API_URL=f"http://{nowhere}/api/v10"),
            platform,
            ("could not reach Discord", "DISCORD_API_URL"),
        ),
        Scenario(
            "discord gateway unreachable",
            ["run", "discord"],
            env(
                DISCORD_TOKEN="t",
                DISCORD_API_URL=discord.api,
                DISCORD_GATEWAY_URL=f"ws://{nowhere}/gateway",
                CONFBOT_CONNECT_TIMEOUT="3",
            ),
            platform,
            ("could not connect to the Discord gateway", "DISCORD_GATEWAY_URL"),
            logs=True,
        ),  # fmt: skip
        Scenario(
            "port out of range",
            ["run", "slack", "--http", "--port", "99999"],
            env(**good, SLACK_API_URL=api),
            config,
            ("--port 99999 is not a port number", "1 to 65535"),
        ),
        Scenario(
            "http port in use",
            ["run", "slack", "--http", "--port", str(busy)],
            env(**good, SLACK_API_URL=api),
            config,
            (f"port {busy} is already in use", "--port"),
        ),
        Scenario(
            "health port in use",
            ["run", "discord", "--health-port", str(busy)],
            env(DISCORD_TOKEN="t", **chat),
            config,
            (f"port {busy} is already in use", "--health-port"),
        ),
        Scenario(
            "health port out of range",
            ["run", "slack", "--health-port", "0"],
            env(**good, SLACK_API_URL=api),
            config,
            ("--health-port 0 is not a port number",),
        ),
    ]


async def test_every_start_failure_is_one_line_with_its_exit_code_and_no_traceback(tmp_path: Path) -> None:
    prepared(tmp_path)
    async with (
        slack_standin() as slack,
        slack_standin() as down,
        discord_standin() as discord,
        discord_standin() as rejecting,
        held_port() as busy,
    ):
        slack.rejected_tokens.update({"xoxb-revoked", "xapp-revoked"})
        down.down = True
        rejecting.rejected = True
        found = scenarios(tmp_path, slack, down, discord, rejecting, busy)
        gate = asyncio.Semaphore(4)  # two cores: a few at a time, still well inside the bound

        async def one(scenario: Scenario) -> tuple[Scenario, Ended]:
            async with gate:
                return scenario, await run_to_end(scenario.args, scenario.env)

        results = await asyncio.gather(*(one(s) for s in found))
    for scenario, ended in results:
        output = ended.out + ended.err
        assert output.count("Traceback") == 0, (scenario.name, output)
        assert ended.code == scenario.code, (scenario.name, ended)
        said = [line for line in ended.lines if not (scenario.logs and line.startswith("{"))]
        assert len(said) == 1, (scenario.name, ended.lines)
        line = said[0]
        assert line.startswith("confbot: error: "), (scenario.name, line)
        for word in scenario.says:
            assert word in line, (scenario.name, word, line)
        for word in scenario.not_says:
            assert word not in line, (scenario.name, word, line)
        assert ended.seconds < BOUND, (scenario.name, ended.seconds)
    # Rejected tokens were asked about, and only the tokens the mode uses.
    asked = {(method, token) for method, token in slack.tokens}
    assert ("auth.test", "xoxb-revoked") in asked and ("apps.connections.open", "xapp-revoked") in asked


def test_socket_mode_needs_no_signing_secret_and_http_mode_no_app_token() -> None:
    socket_mode = settings_from(Config(), {"SLACK_BOT_TOKEN": "xoxb", "SLACK_APP_TOKEN": "xapp"}, socket_mode=True)
    assert socket_mode.signing_secret == "" and socket_mode.app_token == "xapp"
    http = settings_from(Config(), {"SLACK_BOT_TOKEN": "xoxb", "SLACK_SIGNING_SECRET": "s"})
    assert http.app_token == ""
    with pytest.raises(ConfigError) as missing:
        settings_from(Config(), {}, socket_mode=True)
    assert "SLACK_BOT_TOKEN" in str(missing.value) and "SLACK_APP_TOKEN" in str(missing.value)
