"""Serving the Bolt app: over HTTP (aiohttp: /slack/events and /healthz) or Socket Mode."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.app import register
from adapters.slack.notifier import SlackNotifier
from bot.config import Config, ConfigError
from bot.runtime import Runtime

DEFAULT_API_URL = "https://slack.com/api/"
# Exactly what the adapter uses; adapters/slack/manifest.yml lists the same.
SCOPES = ["app_mentions:read", "chat:write", "commands", "files:write", "im:history", "im:write", "users:read"]


@dataclass(frozen=True)
class SlackSettings:
    bot_token: str
    signing_secret: str
    app_token: str = ""
    api_url: str = DEFAULT_API_URL
    client_id: str = ""
    client_secret: str = ""
    command: str = "/talks"


def settings_from(config: Config, env: dict[str, str] | None = None, socket_mode: bool = False) -> SlackSettings:
    """Environment first, then [slack] in the config; a missing value is a one-line error naming it."""
    env = dict(os.environ) if env is None else env
    section = config.section("slack")

    def value(name: str, key: str, required: bool) -> str:
        found = env.get(name) or str(section.get(key) or "")
        if required and not found:
            raise ConfigError(f"{name} is not set: export it, or set {key} under [slack] in the config")
        return found

    oauth = bool(value("SLACK_CLIENT_ID", "client_id", False) and value("SLACK_CLIENT_SECRET", "client_secret", False))
    api_url = value("SLACK_API_URL", "api_url", False) or DEFAULT_API_URL
    return SlackSettings(
        bot_token=value("SLACK_BOT_TOKEN", "bot_token", not oauth),
        signing_secret=value("SLACK_SIGNING_SECRET", "signing_secret", True),
        app_token=value("SLACK_APP_TOKEN", "app_token", socket_mode),
        api_url=api_url if api_url.endswith("/") else api_url + "/",
        client_id=value("SLACK_CLIENT_ID", "client_id", False),
        client_secret=value("SLACK_CLIENT_SECRET", "client_secret", False),
        command=str(section.get("command") or "/talks"),
    )


def make_client(settings: SlackSettings, token: str | None = None) -> AsyncWebClient:
    client = AsyncWebClient(token=token or settings.bot_token or None, base_url=settings.api_url)
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=3))
    return client


def installation_store(settings: SlackSettings, path: str = "") -> Any:
    """Several workspaces: when a client id and secret are configured, slack-sdk's SQLite installation store."""
    if not (settings.client_id and settings.client_secret):
        return None
    from slack_sdk.oauth.installation_store.sqlite3 import SQLite3InstallationStore

    return SQLite3InstallationStore(database=path or "confbot-slack-installations.db", client_id=settings.client_id)


def make_notifier(settings: SlackSettings, client: AsyncWebClient, store: Any = None) -> SlackNotifier:
    async def client_for(workspace: str) -> AsyncWebClient:
        if store is None:
            return client
        bot = await store.async_find_bot(enterprise_id=None, team_id=workspace)
        return make_client(settings, bot.bot_token if bot else None)

    return SlackNotifier(client_for)


def build_app(runtime: Runtime, settings: SlackSettings, client: AsyncWebClient, store: Any = None) -> AsyncApp:
    """The real Bolt app with our listeners, sharing one Web API client (and its base URL) with the notifier."""
    kwargs: dict[str, Any] = {"signing_secret": settings.signing_secret, "client": client}
    if store is not None:
        from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
        from slack_sdk.oauth.state_store.sqlite3 import SQLite3OAuthStateStore

        kwargs["oauth_settings"] = AsyncOAuthSettings(
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            scopes=SCOPES,
            installation_store=store,
            state_store=SQLite3OAuthStateStore(database=store.database, expiration_seconds=600),
        )
    app = AsyncApp(**kwargs)  # single workspace: the token travels with the client
    register(app, runtime, settings.command)
    return app


def web_app(app: AsyncApp) -> web.Application:
    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    async def oauth(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    server = web.Application()
    server.router.add_post("/slack/events", events)
    server.router.add_get("/slack/install", oauth)
    server.router.add_get("/slack/oauth_redirect", oauth)
    server.router.add_get("/healthz", healthz)
    return server
