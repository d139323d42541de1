"""Reminders and announcements to Discord, behind the core's outbox; always with mentions disabled."""

from __future__ import annotations

from typing import Any

import discord

from adapters.discord.bot import view_for
from adapters.discord.embeds import render
from bot.messages import Reply
from bot.notify import DeliveryError, Target


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
