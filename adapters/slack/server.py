"""Serving the Bolt app: over HTTP (aiohttp: /slack/events, the OAuth install pages, /healthz, /metrics) or Socket Mode.

Signed requests pass the replay guard first (adapters/slack/verify.py); the install page and its redirect are
not signed by Slack and go to Bolt's OAuth flow instead. Whatever fails inside, Slack gets a one-line answer and
the log gets the traceback: a slash command never shows the person an HTTP 500.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from adapters.health import Health, add_routes, livez
from adapters.slack.app import register
from adapters.slack.notifier import SlackNotifier
from adapters.slack.verify import ReplayGuard
from bot import metrics
from bot.config import Config, ConfigError
from bot.metrics import PrometheusMetrics
from bot.runtime import Runtime

log = logging.getLogger("confbot.slack")
SORRY = "Sorry, something went wrong; please try again in a moment."
INSTALLATIONS_SUFFIX = "-slack-installations.db"

DEFAULT_API_URL = "https://slack.com/api/"
# Exactly what the adapter uses; adapters/slack/manifest.yml lists the same.
# channels:history: after a post to an announcement channel timed out, read it back to see whether it arrived
# (private channels, without groups:history, are simply sent again, as before).
SCOPES = [
    "app_mentions:read",
    "channels:history",
    "chat:write",
    "commands",
    "files:write",
    "im:history",
    "im:write",
    "users:read",
]


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
    """Environment first, then [slack] in the config. Every missing setting is named in one message, and only
    those the mode uses: Socket Mode needs the app token and no signing secret; HTTP needs the signing secret."""
    env = dict(os.environ) if env is None else env
    section = config.section("slack")
    missing: list[str] = []

    def value(name: str, key: str, required: bool = False) -> str:
        found = env.get(name) or str(section.get(key) or "")
        if required and not found:
            missing.append(f"{name} (or {key} under [slack])")
        return found

    oauth = bool(value("SLACK_CLIENT_ID", "client_id") and value("SLACK_CLIENT_SECRET", "client_secret"))
    api_url = value("SLACK_API_URL", "api_url") or DEFAULT_API_URL
    settings = SlackSettings(
        bot_token=value("SLACK_BOT_TOKEN", "bot_token", not oauth),
        signing_secret=value("SLACK_SIGNING_SECRET", "signing_secret", not socket_mode),
        app_token=value("SLACK_APP_TOKEN", "app_token", socket_mode),
        api_url=api_url if api_url.endswith("/") else api_url + "/",
        client_id=value("SLACK_CLIENT_ID", "client_id"),
        client_secret=value("SLACK_CLIENT_SECRET", "client_secret"),
        command=str(section.get("command") or "/talks"),
    )
    if missing:
        mode = "Socket Mode" if socket_mode else "HTTP mode (--http)"
        raise ConfigError(f"{mode} needs {', '.join(missing)}: export them or set them in the config, then start again")
    return settings


class CountedRateLimitRetries(AsyncRateLimitErrorRetryHandler):
    """slack-sdk's 429 retries, each one counted for /metrics; a 429 still there after the last retry reaches
    the outbox, which counts it, so every 429 Slack answers is counted once."""

    async def prepare_for_next_attempt_async(self, **kwargs: Any) -> None:
        metrics.current().rate_limited("slack")
        await super().prepare_for_next_attempt_async(**kwargs)


def make_client(settings: SlackSettings, token: str | None = None) -> AsyncWebClient:
    client = AsyncWebClient(token=token or settings.bot_token or None, base_url=settings.api_url)
    client.retry_handlers.append(CountedRateLimitRetries(max_retry_count=3))
    return client


def installations_path(database: str | Path) -> Path:
    """Beside the database, whatever the working directory: confbot.db -> confbot-slack-installations.db."""
    path = Path(database).expanduser().resolve()
    return path.with_name(path.stem + INSTALLATIONS_SUFFIX)


def _private_file(path: Path) -> None:
    """Bot tokens live in this file: readable and writable by the bot's own user only (0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    os.chmod(path, 0o600)


def installation_store(settings: SlackSettings, database: str | Path) -> Any:
    """Several workspaces: when a client id and secret are configured, slack-sdk's SQLite installation store,
    in a file of its own beside the database (`installations_path`), mode 0600."""
    if not (settings.client_id and settings.client_secret):
        return None
    from slack_sdk.oauth.installation_store.sqlite3 import SQLite3InstallationStore

    path = installations_path(database)
    _private_file(path)
    return SQLite3InstallationStore(database=str(path), client_id=settings.client_id)


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
    app.error(last_resort)
    return app


async def last_resort(error: Exception, body: dict[str, Any]) -> BoltResponse:
    """A listener failed: Slack gets one line the person can read (a 200, so a slash command shows it), the
    log gets the traceback."""
    log.error("listener failed for %s", body.get("command") or body.get("type") or "a request", exc_info=error)
    return BoltResponse(
        status=200,
        body=json.dumps({"response_type": "ephemeral", "text": SORRY}),
        headers={"content-type": "application/json; charset=utf-8"},
    )


def web_app(
    app: AsyncApp, signing_secret: str, health: Health | None = None, metrics: PrometheusMetrics | None = None
) -> web.Application:
    """/slack/events, the install pages, /livez, and (given a Health) /healthz and /metrics."""
    guard = ReplayGuard(signing_secret)

    async def events(request: web.Request) -> web.Response:
        body = await request.read()
        refused = guard.refuse(body, request.headers)
        if refused:
            log.warning("refused a request to /slack/events: %s", refused)
            return web.Response(status=401, text=refused)
        try:
            return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))
        except Exception:  # noqa: BLE001 - the last resort: one line for Slack, the traceback for the log
            log.exception("handling a Slack request failed")
            return web.json_response({"response_type": "ephemeral", "text": SORRY})

    async def oauth(request: web.Request) -> web.Response:
        """Bolt's OAuth flow: the install page sets a state cookie, the redirect exchanges the code for a token."""
        flow = app.oauth_flow
        if flow is None:
            return web.Response(
                status=404, text="Installing is off: set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET to serve it."
            )
        try:
            bolt_request = await to_bolt_request(request)
            if request.path == flow.install_path:
                return await to_aiohttp_response(await flow.handle_installation(bolt_request))
            return await to_aiohttp_response(await flow.handle_callback(bolt_request))
        except Exception:  # noqa: BLE001
            log.exception("the Slack OAuth flow failed")
            return web.Response(status=500, text="The installation failed; see the bot's log, then try again.")

    server = web.Application()
    server.router.add_post("/slack/events", events)
    install = app.oauth_flow.install_path if app.oauth_flow else "/slack/install"
    redirect = app.oauth_flow.redirect_uri_path if app.oauth_flow else "/slack/oauth_redirect"
    server.router.add_get(install, oauth)
    server.router.add_get(redirect, oauth)
    server.router.add_get("/livez", livez)
    if health is not None:
        add_routes(server, health, metrics)
    return server
