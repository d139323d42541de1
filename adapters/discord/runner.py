"""`confbot run discord`: verify the token, then connect the real discord.py client, with health and metrics.

discord.py's own failures at login are turned into the same one-line answers as the preflight's: a token
rejected between the check and the login, or privileged intents the portal has not granted, are configuration
(exit 2); a platform gone after retries is exit 3. Once connected, dropped gateway connections are discord.py's
to resume; health reports them meanwhile.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from typing import Any

import aiohttp
import discord

from adapters import exit_codes, serving
from adapters.discord import preflight
from adapters.discord.bot import ConfbotClient
from adapters.discord.notifier import DiscordNotifier, count_rate_limits
from adapters.discord.server import point_at, settings_from
from adapters.health import Health, database_path
from adapters.startup import StartupError, port_free
from adapters.wiring import config_for, database_for
from bot.clock import SystemClock
from bot.runtime import build_runtime

log = logging.getLogger("confbot.discord")


async def _connect(client: ConfbotClient, token: str) -> None:
    try:
        await client.start(token)
    except discord.LoginFailure:
        raise StartupError(f"Discord rejected DISCORD_TOKEN at login: {preflight.PORTAL}") from None
    except discord.PrivilegedIntentsRequired:
        raise StartupError(
            "Discord refused the intents confbot asked for: turn them on under Bot > Privileged Gateway Intents"
        ) from None
    except (aiohttp.ClientError, OSError, discord.GatewayNotFound, discord.HTTPException) as exc:
        raise StartupError(
            f"lost Discord while connecting ({type(exc).__name__}: {exc}): check the network, then start again",
            exit_codes.PLATFORM,
        ) from None
    except Exception as exc:
        if client.ws is not None:
            raise
        # Never connected: discord.py 2.7 retries a refused first gateway connection, then trips over the
        # session it never had (AttributeError on `self.ws.sequence`).
        raise StartupError(
            f"could not connect to the Discord gateway ({type(exc).__name__}): check the network and "
            "DISCORD_GATEWAY_URL, then start confbot again",
            exit_codes.PLATFORM,
        ) from None


async def _first_ready(client: ConfbotClient, connecting: asyncio.Future[None], stop: asyncio.Event) -> None:
    """discord.py retries the gateway for ever; at start, not connected within the bound is exit 3."""
    bound = serving.connect_timeout()
    ready: asyncio.Future[Any] = asyncio.ensure_future(client.wait_until_ready())
    stopping: asyncio.Future[Any] = asyncio.ensure_future(stop.wait())
    waiting: list[asyncio.Future[Any]] = [connecting, ready, stopping]
    try:
        done, _ = await asyncio.wait(waiting, timeout=bound, return_when=asyncio.FIRST_COMPLETED)
    finally:
        ready.cancel()
        stopping.cancel()
    if connecting in done:
        connecting.result()  # its StartupError, or it ended: either way nothing more to wait for
    if not done:
        connecting.cancel()
        raise StartupError(
            f"could not connect to the Discord gateway within {bound:g} s: check the network and "
            "DISCORD_GATEWAY_URL, then start confbot again",
            exit_codes.PLATFORM,
        )


def run(args: argparse.Namespace, checked_conference: Any) -> int:
    serving.start_logging(args)
    config = serving.settings_or_fail(lambda: config_for(args))
    db = database_for(args, config)
    conference = checked_conference(db, args.conference)
    settings = serving.settings_or_fail(lambda: settings_from(config))
    port_free(args.host, args.health_port, "--health-port")

    async def main(stop: asyncio.Event) -> None:
        name = await preflight.verify(settings)
        log.info("Discord accepted the token%s", f" (bot {name})" if name else "")
        counters = serving.install_metrics()
        count_rate_limits()
        point_at(settings)
        notifier = DiscordNotifier()
        runtime = build_runtime(db, notifier, SystemClock(), config, conference)
        runtime.search.engine()  # build the index before the first interaction, not inside Discord's 3 seconds
        client = ConfbotClient(runtime, settings.guild_ids)
        notifier.client = client
        health = Health(preflight.gateway_probe(lambda: client.gateway_up), database_path(db), runtime.scheduler)
        runner = None
        try:
            runner = await serving.serve_health(health, counters, args.host, args.health_port)
            connecting = asyncio.ensure_future(_connect(client, settings.token))
            await _first_ready(client, connecting, stop)
            await serving.until(stop, connecting)
        finally:
            if runner is not None:
                await runner.cleanup()
            if not client.is_closed():
                await client.close()  # closes the runtime too
            else:
                runtime.close()

    return serving.run(main)
