"""Settings and wiring for `confbot run discord`: the token, and where REST and the gateway live."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import discord
import yarl

from bot.config import Config, ConfigError

DEFAULT_API_URL = "https://discord.com/api/v10"


@dataclass(frozen=True)
class DiscordSettings:
    token: str
    api_url: str = ""
    gateway_url: str = ""
    guild_ids: list[int] = field(default_factory=list)


def settings_from(config: Config, env: dict[str, str] | None = None) -> DiscordSettings:
    """Environment first, then [discord] in the config; a missing token is a one-line error naming it."""
    env = dict(os.environ) if env is None else env
    section = config.section("discord")
    token = env.get("DISCORD_TOKEN") or str(section.get("token") or "")
    if not token:
        raise ConfigError("DISCORD_TOKEN is not set: export it, or set token under [discord] in the config")
    guilds = section.get("guild_ids") or [g for g in env.get("DISCORD_GUILD_IDS", "").split(",") if g.strip()]
    try:
        guild_ids = [int(g) for g in guilds]
    except ValueError as exc:
        raise ConfigError("discord guild ids must be numbers, e.g. guild_ids = [123456789012345678]") from exc
    return DiscordSettings(
        token=token,
        api_url=env.get("DISCORD_API_URL") or str(section.get("api_url") or ""),
        gateway_url=env.get("DISCORD_GATEWAY_URL") or str(section.get("gateway_url") or ""),
        guild_ids=guild_ids,
    )


def point_at(settings: DiscordSettings) -> None:
    """Send REST and the gateway elsewhere (a rate-limit proxy such as nirn-proxy, or a test stand-in).

    These are discord.py internals (pinned to 2.7.x in pyproject.toml); this is the one place that touches them.
    """
    if settings.api_url:
        discord.http.Route.BASE = settings.api_url.rstrip("/")
    if settings.gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.gateway_url)
