"""`confbot run slack|discord`: a long-running bot with reminders, announcements and periodic sync."""

from __future__ import annotations

import argparse
from typing import Any

from sqlite_utils import Database

from adapters.serving import add_serving_options, reported
from adapters.wiring import add_db_option
from bot.store import CatalogStore
from catalog.errors import CatalogError


def register(commands: Any) -> None:
    run = commands.add_parser("run", help="run the bot on a chat platform", description="Run confbot as a bot.")
    platforms = run.add_subparsers(dest="platform", metavar="PLATFORM", help="slack or discord")
    slack = platforms.add_parser(
        "slack",
        help="the Slack app: /talks, DMs, mentions, buttons, App Home, reminders",
        description="Socket Mode by default (needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN); --http serves "
        "/slack/events, /healthz and /metrics (needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET). Settings come from "
        "the environment or [slack] in the config; SLACK_API_URL replaces the Web API base URL. The tokens are "
        "checked with Slack before serving. Exit codes: 2 a setting is missing or rejected, 3 Slack unreachable.",
    )
    add_db_option(slack)
    add_conference_option(slack)
    slack.add_argument("--http", action="store_true", help="serve HTTP instead of Socket Mode")
    slack.add_argument("--port", type=int, default=3000, help="HTTP port (default 3000)")
    slack.add_argument("--host", default="0.0.0.0", help="address to listen on (default all)")
    add_serving_options(slack, "also serve /healthz and /metrics on this port (for Socket Mode)")
    slack.set_defaults(handler=run_slack)
    discord_ = platforms.add_parser(
        "discord",
        help="the Discord bot: /talks app commands, DMs, mentions, buttons, reminders, scheduled events",
        description="DISCORD_TOKEN from the environment or [discord] in the config; DISCORD_API_URL and "
        "DISCORD_GATEWAY_URL replace the REST and gateway addresses (proxies, stand-ins). App commands are "
        "synced to the guilds in the config (guild_ids) at start, globally otherwise. The token is checked with "
        "Discord before connecting. Exit codes: 2 a setting is missing or rejected, 3 Discord unreachable.",
    )
    add_db_option(discord_)
    add_conference_option(discord_)
    discord_.add_argument("--host", default="0.0.0.0", help="address for --health-port to listen on (default all)")
    add_serving_options(discord_, "serve /healthz and /metrics on this port")
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
    from adapters.slack.runner import run

    return reported(lambda: run(args, checked_conference))


def run_discord(args: argparse.Namespace) -> int:
    from adapters.discord.runner import run

    return reported(lambda: run(args, checked_conference))
