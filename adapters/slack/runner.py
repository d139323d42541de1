"""`confbot run slack`: verify the settings and tokens, then serve over HTTP or Socket Mode, with health and metrics.

The order matters to whoever starts it: what can be checked at once comes first (the store and --conference,
every missing setting in one message, ports taken), then Slack's verdict on the tokens, then the index, then
listening, and only then the connection that lets people in.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from typing import Any

from adapters import serving
from adapters.health import Health, PlatformCheck, database_path
from adapters.slack import preflight
from adapters.slack.server import build_app, installation_store, make_client, make_notifier, settings_from, web_app
from adapters.startup import listen, port_free, reach
from adapters.wiring import config_for, database_for
from bot.clock import SystemClock
from bot.config import resolve_db
from bot.runtime import build_runtime

log = logging.getLogger("confbot.slack")


def run(args: argparse.Namespace, checked_conference: Any) -> int:
    serving.start_logging(args)
    config = serving.settings_or_fail(lambda: config_for(args))
    db = database_for(args, config)
    conference = checked_conference(db, args.conference)
    socket_mode = not args.http
    settings = serving.settings_or_fail(lambda: settings_from(config, socket_mode=socket_mode))
    if args.http:
        port_free(args.host, args.port, "--port")
    if not (args.http and args.health_port == args.port):
        port_free(args.host, args.health_port, "--health-port")

    async def main(stop: asyncio.Event) -> None:
        team = await preflight.verify(settings, socket_mode)
        log.info("Slack accepted the tokens%s", f" (workspace {team})" if team else "")
        counters = serving.install_metrics()
        client = make_client(settings)
        store = installation_store(settings, resolve_db(getattr(args, "db", None), config))
        runtime = build_runtime(db, make_notifier(settings, client, store), SystemClock(), config, conference)
        runtime.search.engine()  # build the index before the first request, not inside Slack's 3 seconds
        app = build_app(runtime, settings, client, store)
        path = database_path(db)
        handler: Any = None
        runners = []
        try:
            if socket_mode:
                from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

                handler = AsyncSocketModeHandler(app, settings.app_token)
                platform: PlatformCheck = preflight.socket_probe(handler.client)
            else:
                platform = preflight.WebApiProbe(settings)
            health = Health(platform, path, runtime.scheduler)
            if args.http:
                runners.append(
                    await listen(
                        web_app(app, settings.signing_secret, health, counters), args.host, args.port, "--port"
                    )
                )
                log.info("serving /slack/events, /healthz and /metrics on %s:%d", args.host, args.port)
            apart = None if args.http and args.health_port == args.port else args.health_port  # same port: served
            found = await serving.serve_health(health, counters, args.host, apart)
            if found is not None:
                runners.append(found)
            runtime.scheduler.start()
            if handler is not None:
                await reach("Slack Socket Mode", handler.connect_async, "check the network and SLACK_APP_TOKEN")
                log.info("connected to Slack in Socket Mode")
            await stop.wait()
        finally:
            if handler is not None:
                await handler.close_async()
            for runner in runners:
                await runner.cleanup()
            runtime.close()

    return serving.run(main)
