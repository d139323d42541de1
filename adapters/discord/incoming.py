"""Discord interactions and messages become the core's `Incoming` here, at the very edge."""

from __future__ import annotations

import re

import discord

from bot.messages import Incoming, Person

PLATFORM = "discord"
_MENTION = re.compile(r"<@!?\d+>")


def person(user_id: int, guild_id: int | None) -> Person:
    """A person in a guild, or in DMs ("dm" as the workspace): nothing of one is visible from another."""
    return Person(PLATFORM, str(guild_id) if guild_id else "dm", str(user_id))


def from_interaction(interaction: discord.Interaction, text: str = "", action: str = "", value: str = "") -> Incoming:
    guild_id = interaction.guild_id
    admin = bool(guild_id and interaction.permissions.manage_guild)
    return Incoming(
        person(interaction.user.id, guild_id),
        text,
        str(interaction.channel_id or ""),
        is_direct=guild_id is None,
        action=action,
        value=value,
        is_admin=admin,
    )


def from_message(message: discord.Message) -> Incoming:
    guild_id = message.guild.id if message.guild else None
    admin = False
    if isinstance(message.author, discord.Member):
        admin = message.author.guild_permissions.manage_guild
    return Incoming(
        person(message.author.id, guild_id),
        _MENTION.sub("", message.content).strip(),
        str(message.channel.id),
        is_direct=guild_id is None,
        is_admin=admin,
    )
