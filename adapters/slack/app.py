"""The Bolt app's listeners: thin. Each turns a payload into `Incoming`, asks the core, renders the `Reply`.

Searches are answered inside the ack (Slack allows 3 seconds); the core runs in its store thread
(`runtime.ask`), so the loop keeps acknowledging other requests meanwhile. Slow work (export, sync) is acked
first and sent afterwards.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import home_view, render
from adapters.slack.incoming import from_action, from_command, from_message, is_dm, person
from bot.messages import Incoming
from bot.runtime import Runtime

log = logging.getLogger("confbot.slack")
SLOW = ("export", "ical", "ics", "calendar", "sync")
ADMIN_WORDS = ("announce", "sync", "settings conference", "switch", "conference")
ADMIN_CACHE_SECONDS = 600


class AdminCheck:
    """Whether a user may change workspace settings, from users.info, remembered for a while."""

    def __init__(self) -> None:
        self.cache: dict[tuple[str, str], tuple[float, bool]] = {}

    async def __call__(self, client: AsyncWebClient, team: str, user: str) -> bool:
        hit = self.cache.get((team, user))
        if hit and time.monotonic() - hit[0] < ADMIN_CACHE_SECONDS:
            return hit[1]
        try:
            info = await client.users_info(user=user)
            found = info.get("user") or {}
            admin = bool(found.get("is_admin") or found.get("is_owner") or found.get("is_primary_owner"))
        except Exception:  # noqa: BLE001 - when Slack cannot say, the answer is no
            log.warning("users.info failed for %s; treating as not an admin", user)
            admin = False
        self.cache[(team, user)] = (time.monotonic(), admin)
        return admin


def seen_only_by_presser(body: dict[str, Any]) -> bool:
    """A button on a DM or on the presser's own ephemeral answer: replacing that message shows no one else
    anything. On a channel message (an announcement, a shared result) it would show the presser's reply, and
    their agenda with it, to everyone."""
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id") or ""
    return bool(container.get("is_ephemeral")) or is_dm(channel)


def _wants_admin(text: str) -> bool:
    return text.strip().lower().startswith(ADMIN_WORDS)


def register(app: AsyncApp, runtime: Runtime, command: str = "/talks") -> None:
    admin = AdminCheck()

    @app.command(command)
    async def talks(ack: Any, body: dict[str, Any], client: AsyncWebClient, respond: Any) -> None:
        text = body.get("text", "")
        is_admin = (
            await admin(client, body.get("team_id", ""), body.get("user_id", "")) if _wants_admin(text) else False
        )
        incoming = from_command(body, is_admin)
        in_channel = not incoming.is_direct
        response_type = "ephemeral" if in_channel else "in_channel"
        if text.strip().lower().startswith(SLOW):
            await ack(response_type=response_type, text="Working on it…")
            await _slow(incoming, client, respond, runtime)
            if text.strip().lower().startswith("sync"):
                await runtime.synced()
            return
        reply = await runtime.ask(incoming)
        await ack(response_type=response_type, **render(reply, share_text=text if in_channel else ""))

    @app.event("message")
    async def direct_message(event: dict[str, Any], body: dict[str, Any], say: Any, client: AsyncWebClient) -> None:
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        team = body.get("team_id", "")
        is_admin = await admin(client, team, event.get("user", "")) if _wants_admin(event.get("text", "")) else False
        reply = await runtime.ask(from_message(event, team, is_admin))
        await say(**render(reply))

    @app.event("app_mention")
    async def mention(event: dict[str, Any], body: dict[str, Any], say: Any, client: AsyncWebClient) -> None:
        team = body.get("team_id", "")
        incoming = from_message(event, team)
        if _wants_admin(incoming.text):
            incoming = from_message(event, team, await admin(client, team, event.get("user", "")))
        reply = await runtime.ask(incoming)
        await say(thread_ts=event.get("thread_ts") or event.get("ts"), **render(reply))

    @app.action(re.compile(r"^confbot_"))
    async def pressed(ack: Any, body: dict[str, Any], respond: Any, client: AsyncWebClient) -> None:
        await ack()
        incoming = from_action(body)
        if incoming.action == "share":
            shared = await runtime.ask(Incoming(incoming.person, incoming.value, incoming.channel, False))
            await respond(response_type="in_channel", replace_original=False, delete_original=False, **render(shared))
            return
        reply = await runtime.ask(incoming)
        if (body.get("view") or {}).get("type") == "home" or not (body.get("response_url") or incoming.channel):
            await publish_home(client, incoming.person.workspace, incoming.person.user, runtime)
            return
        if seen_only_by_presser(body):
            await respond(replace_original=True, **render(reply))
        elif body.get("response_url"):  # a message others see: answer the presser alone, leave it as it is
            await respond(response_type="ephemeral", replace_original=False, delete_original=False, **render(reply))
        else:
            await client.chat_postEphemeral(channel=incoming.channel, user=incoming.person.user, **render(reply))

    @app.event("app_home_opened")
    async def home(event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab", "home") == "home":
            await publish_home(client, body.get("team_id", ""), event.get("user", ""), runtime)


async def publish_home(client: AsyncWebClient, team: str, user: str, runtime: Runtime) -> None:
    who = person(team, user)
    agenda, upcoming, settings = await runtime.ask_all([Incoming(who, w) for w in ("agenda", "next", "settings")])
    await client.views_publish(user_id=user, view=home_view(agenda, upcoming, settings))


async def _slow(incoming: Incoming, client: AsyncWebClient, respond: Any, runtime: Runtime) -> None:
    reply = await runtime.ask_slow(incoming)
    if reply.attachment is not None:
        opened = await client.conversations_open(users=incoming.person.user)
        await client.files_upload_v2(
            channel=opened["channel"]["id"],
            content=reply.attachment.content,
            filename=reply.attachment.filename,
            title="Your conference agenda",
            initial_comment=reply.text,
        )
        await respond(text="I sent your agenda as a calendar file to our direct messages.")
        return
    await respond(**render(reply))
