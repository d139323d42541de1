"""Reminders and announcements to Slack, behind the core's outbox; slack-sdk retries 429s after Retry-After.

Each delivery carries its tag (a hash of its unique key) in the message's metadata, so after a send that timed
out `delivered` can read the channel's recent history and say whether Slack accepted it after all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import render
from bot.messages import Reply
from bot.notify import DeliveryError, Target, delivery_tag
from bot.reminders.dispatcher import TIMED_OUT

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

EVENT_TYPE = "confbot_delivery"
HISTORY_LIMIT = 50  # messages read back when asked whether a delivery arrived
HISTORY_MARGIN = timedelta(minutes=5)  # how far before the due time to start looking (clock skew, early sends)

ClientFor = Callable[[str], Awaitable[AsyncWebClient]]


class SlackNotifier:
    def __init__(self, client_for: ClientFor) -> None:
        self.client_for = client_for

    async def _channel(self, client: AsyncWebClient, target: Target) -> str:
        if target.is_channel:
            return target.address
        opened = await client.conversations_open(users=target.address)
        return str(opened["channel"]["id"])

    async def send(self, target: Target, reply: Reply) -> None:
        client = await self.client_for(target.workspace)
        payload = render(reply)
        extra: dict[str, Any] = {}
        if target.key:
            extra["metadata"] = {"event_type": EVENT_TYPE, "event_payload": {"key": delivery_tag(target.key)}}
        try:
            channel = await self._channel(client, target)
            await client.chat_postMessage(
                channel=channel,
                text=payload["text"],
                blocks=payload["blocks"],
                unfurl_links=False,
                unfurl_media=False,
                **extra,
            )
        except SlackApiError as exc:
            error = str(exc.response.get("error", "")) if exc.response is not None else ""
            status = exc.response.status_code if exc.response is not None else 0
            if status == 429:
                retry = exc.response.headers.get("Retry-After", "1") if exc.response is not None else "1"
                raise DeliveryError("slack rate limit", retry_after=float(retry)) from exc
            if status >= 500:  # Slack may have posted it before failing: the dispatcher asks `delivered` first
                raise DeliveryError(f"{TIMED_OUT} slack answered {status}; it may have arrived") from exc
            raise DeliveryError(f"slack: {error or exc}", permanent=error in PERMANENT) from exc

    async def delivered(self, target: Target) -> bool | None:
        """Whether the channel's recent history holds this delivery (by its tag); None when Slack cannot be asked."""
        if not target.key:
            return None
        tag = delivery_tag(target.key)
        try:
            client = await self.client_for(target.workspace)
            channel = await self._channel(client, target)
            query: dict[str, Any] = {"channel": channel, "limit": HISTORY_LIMIT, "include_all_metadata": True}
            if target.due_at is not None:
                query["oldest"] = f"{(target.due_at - HISTORY_MARGIN).timestamp():.6f}"
            history = await client.conversations_history(**query)
            messages = history.get("messages") or []
            more = bool(history.get("has_more"))
        except Exception:  # noqa: BLE001 - cannot tell: the dispatcher sends again, as without this check
            return None
        for message in messages:
            metadata = message.get("metadata") if isinstance(message, dict) else None
            if not isinstance(metadata, dict) or metadata.get("event_type") != EVENT_TYPE:
                continue
            payload = metadata.get("event_payload")
            if isinstance(payload, dict) and payload.get("key") == tag:
                return True
        return None if more else False  # more than we read since the due time: it may be further back
