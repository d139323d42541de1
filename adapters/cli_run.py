"""`confbot run slack|discord`: a long-running bot with reminders, announcements and periodic sync."""

from __future__ import annotations

import argparse
import asyncio
import logging
from typing import Any

from sqlite_utils import Database

from adapters.wiring import add_db_option, config_for, database_for
from bot.clock import SystemClock
from bot.config import resolve_db
from bot.runtime import build_runtime
from bot.store import CatalogStore
from catalog.errors import CatalogError


def register(commands: Any) -> None:
    run = commands.add_parser("run", help="run the bot on a chat platform", description="Run confbot as a bot.")
    platforms = run.add_subparsers(dest="platform", metavar="PLATFORM", help="slack or discord")
    slack = platforms.add_parser(
        "slack",
        help="the Slack app: /talks, DMs, mentions, buttons, App Home, reminders",
        description="Socket Mode by default (needs SLACK_APP_TOKEN); --http serves /slack/events and /healthz. "
        "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET come from the environment or [slack] in the config; "
        "SLACK_API_URL replaces the Web API base URL.",
    )
    add_db_option(slack)
    add_conference_option(slack)
    slack.add_argument("--http", action="store_true", help="serve HTTP instead of Socket Mode")
    slack.add_argument("--port", type=int, default=3000, help="HTTP port (default 3000)")
    slack.add_argument("--host", default="0.0.0.0", help="HTTP address to listen on (default all)")
    slack.set_defaults(handler=run_slack)
    discord_ = platforms.add_parser(
        "discord",
        help="the Discord bot: /talks app commands, DMs, mentions, buttons, reminders, scheduled events",
        description="DISCORD_TOKEN from the environment or [discord] in the config; DISCORD_API_URL and "
        "DISCORD_GATEWAY_URL replace the REST and gateway addresses (proxies, stand-ins). App commands are "
        "synced to the guilds in the config (guild_ids) at start, globally otherwise.",
    )
    add_db_option(discord_)
    add_conference_option(discord_)
    discord_.set_defaults(handler=run_discord)


def add_conference_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--conference",
        metavar="SLUG",
        help="answer about this conference only, whatever channels or people choose (default: channel, person "
        "and workspace settings, [bot] conference, else the conference running now, next, or most recent)",
    )


def checked_conference(db: Database, slug: str | None) -> str | None:
    """A --conference that is not in the store stops the bot at start, not at the first question."""
    if slug and CatalogStore(db).conference(slug) is None:
        raise CatalogError(f"no conference {slug!r} in the store; see 'confbot catalogs'")
    return slug


def run_slack(args: argparse.Namespace) -> int:
    from adapters.slack.server import build_app, installation_store, make_client, make_notifier, settings_from, web_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    config = config_for(args)
    db = database_for(args, config)
    conference = checked_conference(db, args.conference)
    settings = settings_from(config, socket_mode=not args.http)
    client = make_client(settings)
    store = installation_store(settings, resolve_db(getattr(args, "db", None), config))
    runtime = build_runtime(db, make_notifier(settings, client, store), SystemClock(), config, conference)
    runtime.search.engine()  # build the index before the first request, not inside Slack's 3 seconds

    async def serve() -> None:
        app = build_app(runtime, settings, client, store)
        runtime.scheduler.start()
        try:
            if args.http:
                from aiohttp import web

                runner = web.AppRunner(web_app(app, settings.signing_secret))
                await runner.setup()
                await web.TCPSite(runner, args.host, args.port).start()
                logging.getLogger("confbot").info("serving /slack/events on %s:%d", args.host, args.port)
                await asyncio.Event().wait()
            else:
                from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

                await AsyncSocketModeHandler(app, settings.app_token).start_async()
        finally:
            runtime.close()

    asyncio.run(serve())
    return 0


def run_discord(args: argparse.Namespace) -> int:
    from adapters.discord.bot import ConfbotClient
    from adapters.discord.notifier import DiscordNotifier
    from adapters.discord.server import point_at, settings_from

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    config = config_for(args)
    db = database_for(args, config)
    conference = checked_conference(db, args.conference)
    settings = settings_from(config)
    point_at(settings)
    notifier = DiscordNotifier()
    runtime = build_runtime(db, notifier, SystemClock(), config, conference)
    runtime.search.engine()  # build the index before the first interaction, not inside Discord's 3 seconds
    client = ConfbotClient(runtime, settings.guild_ids)
    notifier.client = client
    client.run(settings.token, log_handler=None)
    return 0
