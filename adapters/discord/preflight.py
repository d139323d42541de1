"""Before connecting, ask Discord whether it accepts the token (`GET /users/@me`), and later whether the gateway
is still connected. Without this a rejected token ended in forty lines of warnings and two tracebacks."""

from __future__ import annotations

from collections.abc import Callable

import aiohttp

from adapters import exit_codes
from adapters.discord.server import DEFAULT_API_URL, DiscordSettings
from adapters.health import Part, PlatformCheck
from adapters.startup import StartupError, Unavailable, reach

PORTAL = "copy the bot token from the Developer Portal (Applications > your app > Bot > Reset Token) into DISCORD_TOKEN"


def api_url(settings: DiscordSettings) -> str:
    return (settings.api_url or DEFAULT_API_URL).rstrip("/")


async def _me(settings: DiscordSettings) -> str:
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{api_url(settings)}/users/@me", headers={"Authorization": f"Bot {settings.token}"}) as response,
    ):
        if response.status in (401, 403):
            raise StartupError(
                f"Discord rejected DISCORD_TOKEN (HTTP {response.status}): {PORTAL}, then start again",
                exit_codes.CONFIGURATION,
            )
        if response.status == 429 or response.status >= 500:
            raise Unavailable(f"HTTP {response.status}")
        if response.status != 200:
            raise StartupError(
                f"Discord answered GET /users/@me with HTTP {response.status}: "
                f"check DISCORD_API_URL ({api_url(settings)})",
                exit_codes.CONFIGURATION,
            )
        found = await response.json(content_type=None)
        return str(found.get("username") or "") if isinstance(found, dict) else ""


async def verify(settings: DiscordSettings) -> str:
    """Returns the bot's user name."""
    hint = "check the network" + ("" if api_url(settings) == DEFAULT_API_URL else " and DISCORD_API_URL")
    return await reach(f"Discord ({api_url(settings)})", lambda: _me(settings), hint)


def gateway_probe(up: Callable[[], bool]) -> PlatformCheck:
    """`up` follows discord.py's ready, resumed and disconnect events (ConfbotClient.gateway_up)."""

    async def check() -> Part:
        if up():
            return Part(True, "gateway connected")
        return Part(False, "gateway not connected (connecting or reconnecting)")

    return check
