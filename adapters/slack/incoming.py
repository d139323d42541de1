"""Slack payloads become the core's `Incoming` here, at the very edge."""

from __future__ import annotations

import re
from typing import Any

from bot.messages import Incoming, Person

PLATFORM = "slack"
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")


def is_dm(channel_id: str) -> bool:
    return channel_id.startswith("D")


def person(team: str, user: str) -> Person:
    return Person(PLATFORM, team, user)


def from_command(command: dict[str, Any], is_admin: bool = False) -> Incoming:
    channel = command.get("channel_id", "")
    return Incoming(
        person(command.get("team_id", ""), command.get("user_id", "")),
        command.get("text", ""),
        channel,
        is_dm(channel),
        is_admin=is_admin,
    )


def from_message(event: dict[str, Any], team: str, is_admin: bool = False) -> Incoming:
    """A DM or a mention; the mention of the bot itself is not part of the question."""
    text = _MENTION.sub("", event.get("text", "")).strip()
    channel = event.get("channel", "")
    return Incoming(person(team, event.get("user", "")), text, channel, is_dm(channel), is_admin=is_admin)


def from_action(body: dict[str, Any], is_admin: bool = False) -> Incoming:
    action = body["actions"][0]
    team = (body.get("team") or {}).get("id") or body.get("user", {}).get("team_id", "")
    channel = (body.get("channel") or {}).get("id", "")
    return Incoming(
        person(team, body["user"]["id"]),
        "",
        channel,
        is_dm(channel) or not channel,
        action=str(action.get("action_id", "")).removeprefix("confbot_"),
        value=str(action.get("value", "")),
        is_admin=is_admin,
    )
