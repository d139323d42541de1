"""Reminders and announcements to Slack, behind the core's outbox; slack-sdk retries 429s after Retry-After."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import render
from bot.messages import Reply
from bot.notify import DeliveryError, Target

# Errors that trying again cannot fix: the person or the channel is gone, or we were removed from it.
PERMANENT = {
    "user_not_found",
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "account_inactive",
    "cannot_dm_bot",
    "user_disabled",
    "team_access_not_granted",
    "invalid_auth",
    "token_revoked",
}

ClientFor = Callable[[str], Awaitable[AsyncWebClient]]


class SlackNotifier:
    def __init__(self, client_for: ClientFor) -> None:
        self.client_for = client_for

    async def send(self, target: Target, reply: Reply) -> None:
        client = await self.client_for(target.workspace)
        payload = render(reply)
        try:
            channel = target.address
            if not target.is_channel:
                opened = await client.conversations_open(users=target.address)
                channel = opened["channel"]["id"]
            await client.chat_postMessage(
                channel=channel, text=payload["text"], blocks=payload["blocks"], unfurl_links=False, unfurl_media=False
            )
        except SlackApiError as exc:
            error = str(exc.response.get("error", "")) if exc.response is not None else ""
            status = exc.response.status_code if exc.response is not None else 0
            if status == 429:
                retry = exc.response.headers.get("Retry-After", "1") if exc.response is not None else "1"
                raise DeliveryError("slack rate limit", retry_after=float(retry)) from exc
            raise DeliveryError(f"slack: {error or exc}", permanent=error in PERMANENT) from exc
