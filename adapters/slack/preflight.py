"""Before serving, ask Slack whether it accepts our tokens: `auth.test` for the bot token, and for Socket Mode
`apps.connections.open` for the app token. Without this a rejected token shows up as a bot that never answers
(HTTP mode) or as a traceback every ten seconds (Socket Mode)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.async_client import AsyncBaseSocketModeClient
from slack_sdk.web.async_client import AsyncWebClient

from adapters import exit_codes
from adapters.health import Part, PlatformCheck
from adapters.slack.server import DEFAULT_API_URL, SlackSettings
from adapters.startup import StartupError, Unavailable, reach

PROBE_MAX_AGE = 15.0  # seconds a health answer about the Web API is reused
PROBE_TIMEOUT = 5.0
REJECTED = {
    "invalid_auth",
    "not_authed",
    "account_inactive",
    "token_revoked",
    "token_expired",
    "not_allowed_token_type",
    "invalid_token",
}
WHERE = {
    "SLACK_BOT_TOKEN": "the Bot User OAuth Token (xoxb-…) on your app's OAuth & Permissions page",
    "SLACK_APP_TOKEN": "an app-level token (xapp-…) with connections:write under Basic Information",
}


def _client(settings: SlackSettings, token: str) -> AsyncWebClient:
    client = AsyncWebClient(token=token, base_url=settings.api_url, timeout=10)
    client.retry_handlers = []  # `reach` retries, a bounded number of times, and says so
    return client


async def _call(settings: SlackSettings, name: str, token: str, method: str, **kwargs: Any) -> dict[str, Any]:
    try:
        response = await _client(settings, token).api_call(method, params=kwargs or None)
    except SlackApiError as exc:
        error = str(exc.response.get("error") or "") if isinstance(exc.response.data, dict) else ""
        if exc.response.status_code >= 500 or exc.response.status_code == 429 or error == "ratelimited":
            raise Unavailable(f"HTTP {exc.response.status_code} {error}".strip()) from None
        if error in REJECTED:
            raise StartupError(
                f"Slack rejected {name} ({error}): copy {WHERE[name]} into {name}, then start again",
                exit_codes.CONFIGURATION,
            ) from None
        raise StartupError(
            f"Slack answered {method} with {error or 'HTTP ' + str(exc.response.status_code)}: check {name}"
            + ("" if settings.api_url == DEFAULT_API_URL else f" and SLACK_API_URL ({settings.api_url})"),
            exit_codes.CONFIGURATION,
        ) from None
    return dict(response.data) if isinstance(response.data, dict) else {}


async def verify(settings: SlackSettings, socket_mode: bool) -> str:
    """Returns the workspace the bot token belongs to ("" when tokens come from OAuth installations)."""
    hint = "check the network" + ("" if settings.api_url == DEFAULT_API_URL else " and SLACK_API_URL")
    team = ""
    if settings.bot_token:
        found = await reach(
            f"Slack ({settings.api_url})",
            lambda: _call(settings, "SLACK_BOT_TOKEN", settings.bot_token, "auth.test"),
            hint,
        )
        team = str(found.get("team") or found.get("team_id") or "")
    if socket_mode:
        await reach(
            f"Slack ({settings.api_url})",
            lambda: _call(settings, "SLACK_APP_TOKEN", settings.app_token, "apps.connections.open"),
            hint,
        )
    return team


class WebApiProbe:
    """Health's view of Slack in HTTP mode, where no connection stays open: does the Web API still accept the
    bot token? Asked at most once every `max_age` seconds, however often the health endpoint is polled."""

    def __init__(self, settings: SlackSettings, max_age: float = PROBE_MAX_AGE) -> None:
        self.settings = settings
        self.max_age = max_age
        self.last: tuple[float, Part] | None = None

    async def __call__(self) -> Part:
        now = time.monotonic()
        if self.last is not None and now - self.last[0] < self.max_age:
            return self.last[1]
        token, method = (self.settings.bot_token, "auth.test") if self.settings.bot_token else ("", "api.test")
        try:
            async with asyncio.timeout(PROBE_TIMEOUT):
                await _call(self.settings, "SLACK_BOT_TOKEN", token, method)
            part = Part(True, f"Slack Web API answers {method}")
        except (StartupError, Unavailable, aiohttp.ClientError, OSError, TimeoutError) as exc:
            part = Part(False, f"Slack Web API: {' '.join(str(exc).split())[:200] or type(exc).__name__}")
        self.last = (time.monotonic(), part)
        return part


def socket_probe(client: AsyncBaseSocketModeClient) -> PlatformCheck:
    async def check() -> Part:
        if await client.is_connected():
            return Part(True, "Socket Mode connected")
        return Part(False, "Socket Mode not connected (reconnecting)")

    return check
