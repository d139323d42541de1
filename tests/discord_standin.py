"""A stand-in Discord (REST and gateway) on 127.0.0.1 for the real discord.py client.

Only what confbot uses is served: login, READY, command sync, interaction callbacks and follow-ups, DMs,
channel messages (with an optional 429 first), users, guilds and scheduled events. Everything is recorded.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.loopback import serve

APP_ID = "900000000000000001"
BOT_ID = "900000000000000002"
GUILD_ID = "700000000000000001"
CHANNEL_ID = "710000000000000001"
_ids = itertools.count(800000000000000001)


def next_id() -> str:
    return str(next(_ids))


def user(uid: str, name: str = "ann", bot: bool = False) -> dict[str, Any]:
    return {
        "id": uid,
        "username": name,
        "discriminator": "0",
        "global_name": name,
        "avatar": None,
        "bot": bot,
        "flags": 0,
        "public_flags": 0,
    }


BOT_USER = user(BOT_ID, "confbot", bot=True)


def message(
    channel_id: str,
    content: str = "",
    embeds: list[Any] | None = None,
    author: dict[str, Any] = BOT_USER,
    components: list[Any] | None = None,
    flags: int = 0,
) -> dict[str, Any]:
    return {
        "id": next_id(),
        "channel_id": channel_id,
        "author": author,
        "content": content,
        "timestamp": "2026-03-28T08:00:00+00:00",
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": embeds or [],
        "pinned": False,
        "type": 0,
        "flags": flags,
        "components": components or [],
    }


def reply(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # discord.py reads JSON only when Content-Type is exactly application/json.
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json", **(headers or {})}
    )


@dataclass
class DiscordStandIn:
    base: str = ""
    calls: list[tuple[str, str, Any]] = field(default_factory=list)
    sockets: list[web.WebSocketResponse] = field(default_factory=list)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    rate_limit_messages: int = 0
    sequence: int = 1
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    refused: list[tuple[str, str, Any]] = field(default_factory=list)  # requests answered 400, as Discord would
    # Messages created, per channel (a re-send de-duplicated by its nonce creates none).
    created: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # enforce_nonce: (author id, nonce) -> (when, the message created), honoured for `nonce_window` seconds.
    nonces: dict[tuple[str, str], tuple[float, dict[str, Any]]] = field(default_factory=dict)
    nonce_window: float = 120.0
    # Message creates that Discord performs but whose answer is lost: a 500, or `hang_after_create` s late.
    lose_answer_next: int = 0
    lost_answer: str = "500"  # or "hang"
    hang_after_create: float = 5.0
    rejected: bool = False  # the token is refused: GET /users/@me answers 401
    down: bool = False  # Discord is out: REST answers 503, the gateway refuses connections

    async def go_down(self) -> None:
        self.down = True
        for ws in list(self.sockets):
            await ws.close()

    @property
    def api(self) -> str:
        return f"{self.base}/api/v10"

    @property
    def gateway(self) -> str:
        return self.base.replace("http", "ws") + "/gateway"

    def named(self, method: str, prefix: str) -> list[Any]:
        return [body for m, path, body in self.calls if m == method and path.startswith(prefix)]

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        self.sequence += 1
        await self.sockets[-1].send_str(json.dumps({"op": 0, "t": event, "s": self.sequence, "d": data}))

    def interaction(
        self,
        kind: int,
        data: dict[str, Any],
        *,
        guild: bool = True,
        manage: bool = False,
        user_id: str = "600000000000000001",
        extra: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "id": next_id(),
            "application_id": APP_ID,
            "type": kind,
            "token": f"tok-{next_id()}",
            "version": 1,
            "data": data,
            "locale": "en-GB",
            "app_permissions": "2147483647",
            "entitlements": [],
            "authorizing_integration_owners": {},
            "attachment_size_limit": 8388608,
        }
        if guild:
            payload.update(
                guild_id=GUILD_ID,
                channel_id=CHANNEL_ID,
                guild_locale="en-GB",
                context=0,
                channel={
                    "id": CHANNEL_ID,
                    "type": 0,
                    "guild_id": GUILD_ID,
                    "name": "general",
                    "position": 0,
                    "permission_overwrites": [],
                    "nsfw": False,
                    "parent_id": None,
                },
                member={
                    "user": user(user_id),
                    "roles": [],
                    "joined_at": "2026-01-01T00:00:00+00:00",
                    "deaf": False,
                    "mute": False,
                    "flags": 0,
                    "permissions": "32" if manage else "0",
                },
            )
        else:
            dm = "720000000000000001"
            payload.update(
                channel_id=dm,
                channel={"id": dm, "type": 1, "recipients": [user(user_id)]},
                user=user(user_id),
                context=1,
            )
        payload.update(extra or {})
        return payload


def _refused_embed(body: Any) -> web.Response | None:
    """As the real Discord does: a message whose embed links anywhere but http(s) is refused whole (HTTP 400)."""
    if not isinstance(body, dict):
        return None
    data = body.get("payload_json", body)
    data = data.get("data", data) if isinstance(data, dict) else {}
    for embed in data.get("embeds") or []:
        url = str(embed.get("url") or "")
        if url and not url.lower().startswith(("http://", "https://")):
            return reply(
                {
                    "code": 50035,
                    "message": "Invalid Form Body",
                    "errors": {"embeds": {"0": {"url": {"_errors": [{"code": "URL_TYPE_INVALID_SCHEME"}]}}}},
                },
                400,
            )
    return None


async def _json(request: web.Request) -> Any:
    if request.content_type.startswith("multipart/"):
        parts: dict[str, Any] = {}
        reader = await request.multipart()
        async for part in reader:
            data = await part.read()  # type: ignore[union-attr]
            parts[part.name or part.filename or "file"] = (  # type: ignore[union-attr]
                json.loads(data) if part.name == "payload_json" else data  # type: ignore[union-attr]
            )
        return parts
    text = await request.text()
    return json.loads(text) if text else {}


@asynccontextmanager
async def discord_standin() -> AsyncIterator[DiscordStandIn]:
    state = DiscordStandIn()

    async def rest(request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["path"]
        body = await _json(request) if request.method in ("POST", "PUT", "PATCH") else None
        state.calls.append((request.method, path, body))
        method = request.method
        if state.down:
            return reply({"message": "503: Service Unavailable", "code": 0}, 503)
        if state.rejected and path == "/users/@me":
            return reply({"message": "401: Unauthorized", "code": 0}, 401)
        refused = _refused_embed(body) if method in ("POST", "PATCH") else None
        if refused is not None:
            state.refused.append((method, path, body))
            return refused
        if path == "/users/@me" and method == "GET":
            return reply(BOT_USER)
        if path == "/oauth2/applications/@me":
            return reply(
                {
                    "id": APP_ID,
                    "name": "confbot",
                    "description": "",
                    "icon": None,
                    "bot_public": True,
                    "bot_require_code_grant": False,
                    "owner": user("600000000000000009", "owner"),
                    "verify_key": "k",
                    "flags": 0,
                    "interactions_endpoint_url": None,
                    "team": None,
                }
            )
        if path.startswith(f"/applications/{APP_ID}") and path.endswith("/commands") and method == "PUT":
            return reply(
                [
                    {**c, "id": next_id(), "application_id": APP_ID, "version": "1", "type": c.get("type", 1)}
                    for c in body
                ]
            )
        if path.startswith("/interactions/") and path.endswith("/callback"):
            kind = body.get("type") if isinstance(body, dict) else (body.get("payload_json") or {}).get("type")
            data = (
                body.get("data")
                if isinstance(body, dict) and "data" in body
                else (body.get("payload_json") or {}).get("data")
            ) or {}
            if request.query.get("with_response") != "1":
                return web.Response(status=204)
            msg = message(CHANNEL_ID, data.get("content") or "", data.get("embeds"), flags=data.get("flags", 0))
            return reply(
                {
                    "interaction": {
                        "id": path.split("/")[2],
                        "type": 2,
                        "response_message_id": msg["id"],
                        "response_message_loading": kind == 5,
                        "response_message_ephemeral": bool(data.get("flags", 0) & 64),
                    },
                    "resource": {"type": kind, "message": msg},
                }
            )
        if path.startswith(f"/webhooks/{APP_ID}/"):
            data = body.get("payload_json", body) if isinstance(body, dict) else {}
            return reply(message(CHANNEL_ID, data.get("content") or "", data.get("embeds")))
        if path == "/users/@me/channels":
            recipient = body["recipient_id"]
            return reply({"id": "73" + str(recipient)[-16:], "type": 1, "recipients": [user(str(recipient))]})
        if path.startswith("/channels/") and path.endswith("/messages") and method == "POST":
            if state.rate_limit_messages > 0:
                state.rate_limit_messages -= 1
                return reply(
                    {"message": "You are being rate limited.", "retry_after": 0.3, "global": False},
                    429,
                    {
                        "Via": "1.1 google",
                        "X-RateLimit-Limit": "5",
                        "X-RateLimit-Remaining": "0",
                        "X-RateLimit-Reset-After": "0.3",
                        "X-RateLimit-Bucket": "b1",
                        "X-RateLimit-Scope": "user",
                    },
                )
            channel = path.split("/")[2]
            data = body.get("payload_json", body) if isinstance(body, dict) else {}
            nonce = data.get("nonce")
            seen = state.nonces.get((BOT_ID, str(nonce))) if nonce is not None else None
            if data.get("enforce_nonce") and seen is not None and time.monotonic() - seen[0] < state.nonce_window:
                return reply(seen[1])  # as Discord does: the message already created, no second one
            created = {**message(channel, data.get("content") or "", data.get("embeds")), "nonce": nonce}
            state.created.setdefault(channel, []).append(created)
            if nonce is not None:
                state.nonces[(BOT_ID, str(nonce))] = (time.monotonic(), created)
            if state.lose_answer_next > 0:
                state.lose_answer_next -= 1
                if state.lost_answer == "hang":
                    await asyncio.sleep(state.hang_after_create)
                else:
                    return reply({"message": "500: Internal Server Error", "code": 0}, 500)
            return reply(created)
        if path.startswith("/users/") and method == "GET":
            return reply(user(path.split("/")[2]))
        if path.startswith("/channels/") and method == "GET":
            return reply(
                {
                    "id": path.split("/")[2],
                    "type": 0,
                    "guild_id": GUILD_ID,
                    "name": "news",
                    "position": 1,
                    "permission_overwrites": [],
                    "nsfw": False,
                    "parent_id": None,
                }
            )
        if path == f"/guilds/{GUILD_ID}" and method == "GET":
            return reply(
                {
                    "id": GUILD_ID,
                    "name": "Conf",
                    "icon": None,
                    "owner_id": "600000000000000009",
                    "roles": [],
                    "emojis": [],
                    "features": [],
                    "verification_level": 0,
                    "default_message_notifications": 0,
                    "explicit_content_filter": 0,
                    "mfa_level": 0,
                    "system_channel_flags": 0,
                    "premium_tier": 0,
                    "nsfw_level": 0,
                    "preferred_locale": "en-GB",
                }
            )
        if path == f"/guilds/{GUILD_ID}/scheduled-events" and method == "POST":
            event = {
                "id": next_id(),
                "guild_id": GUILD_ID,
                "channel_id": None,
                "creator_id": BOT_ID,
                "name": body["name"],
                "description": body.get("description"),
                "scheduled_start_time": body["scheduled_start_time"],
                "scheduled_end_time": body.get("scheduled_end_time"),
                "privacy_level": 2,
                "status": 1,
                "entity_type": body["entity_type"],
                "entity_id": None,
                "entity_metadata": body.get("entity_metadata"),
                "user_count": 0,
            }
            state.events[event["id"]] = event
            return reply(event)
        if path.startswith(f"/guilds/{GUILD_ID}/scheduled-events/"):
            event = state.events[path.rsplit("/", 1)[1]]
            if method == "PATCH":
                event.update({k: v for k, v in body.items() if k in event})
            return reply(event)
        return reply({"message": f"not served: {method} {path}", "code": 0}, 404)

    async def gateway(request: web.Request) -> web.StreamResponse:
        if state.down:
            return web.Response(status=503)
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        state.sockets.append(ws)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 45000}}))
        async for frame in ws:
            if frame.type != WSMsgType.TEXT:
                continue
            payload = json.loads(frame.data)
            if payload["op"] == 2:
                await ws.send_str(
                    json.dumps(
                        {
                            "op": 0,
                            "t": "READY",
                            "s": 1,
                            "d": {
                                "v": 10,
                                "user": BOT_USER,
                                "guilds": [],
                                "session_id": "s1",
                                "resume_gateway_url": state.gateway,
                                "application": {"id": APP_ID, "flags": 0},
                            },
                        }
                    )
                )
                state.ready.set()
            elif payload["op"] == 6:  # RESUME after a dropped connection: nothing was missed here
                state.sequence += 1
                await ws.send_str(json.dumps({"op": 0, "t": "RESUMED", "s": state.sequence, "d": {}}))
            elif payload["op"] == 1:
                await ws.send_str(json.dumps({"op": 11}))
        return ws

    app = web.Application()
    app.router.add_route("*", "/api/v10/{path:.*}", rest)
    app.router.add_get("/gateway", gateway)
    async with serve(app) as base:
        state.base = base
        try:
            yield state
        finally:
            for ws in state.sockets:
                await ws.close()
