"""Reminders and announcements to Discord, behind the core's outbox; always with mentions disabled.

Each delivery is sent with a nonce derived from its unique key, which discord.py sends with
`enforce_nonce: true`: when a send whose answer was lost is sent again within Discord's window (a few
minutes), Discord returns the message it already created instead of creating a second one.
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from adapters.discord.bot import view_for
from adapters.discord.embeds import render
from bot import metrics
from bot.messages import Reply
from bot.notify import DeliveryError, Target, delivery_tag


class DiscordNotifier:
    """Made before the client (the runtime needs it first); the client is attached once it exists."""

    def __init__(self, client: discord.Client | None = None) -> None:
        self.client = client

    async def send(self, target: Target, reply: Reply) -> None:
        if self.client is None:
            raise DeliveryError("the Discord client is not connected yet")
        rendered = render(reply)
        try:
            channel: Any
            if target.is_channel:
                channel = self.client.get_channel(int(target.address)) or await self.client.fetch_channel(
                    int(target.address)
                )
            else:
                user = self.client.get_user(int(target.address)) or await self.client.fetch_user(int(target.address))
                channel = user.dm_channel or await user.create_dm()
            kwargs: dict[str, Any] = {
                "content": rendered.content,
                "embeds": rendered.embeds,
                "allowed_mentions": discord.AllowedMentions.none(),
            }
            if target.key:  # discord.py adds enforce_nonce=True to any message sent with a nonce
                kwargs["nonce"] = delivery_tag(target.key)
            view = view_for(rendered.actions)
            if view is not None:
                kwargs["view"] = view
            await channel.send(**kwargs)
        except discord.RateLimited as exc:
            raise DeliveryError("discord rate limit", retry_after=exc.retry_after) from exc
        except (discord.Forbidden, discord.NotFound) as exc:
            raise DeliveryError(f"discord: {exc}", permanent=True) from exc
        except discord.HTTPException as exc:
            retry = getattr(exc, "retry_after", None) if exc.status == 429 else None
            raise DeliveryError(f"discord: {exc}", retry_after=retry) from exc

    async def delivered(self, target: Target) -> bool | None:
        """True when the gateway already showed us the message (our own messages come back with their nonce);
        otherwise None: Discord's history does not carry nonces, and sending again with the same nonce is
        de-duplicated by Discord itself within its window."""
        if self.client is None or not target.key:
            return None
        tag = delivery_tag(target.key)
        me = self.client.user
        for message in reversed(self.client.cached_messages):
            if me is not None and message.author.id == me.id and str(message.nonce) == tag:
                return True
        return None


class CountRateLimits(logging.Filter):
    """discord.py retries a 429 itself and only logs it; each retried one is counted for /metrics here. (One it
    gives up on reaches the outbox as a DeliveryError, which counts it there.)"""

    def filter(self, record: logging.LogRecord) -> bool:
        if "responded with 429. Retrying" in str(record.msg):
            metrics.current().rate_limited("discord")
        return True


def count_rate_limits() -> None:
    http = logging.getLogger("discord.http")
    if not any(isinstance(f, CountRateLimits) for f in http.filters):
        http.addFilter(CountRateLimits())
