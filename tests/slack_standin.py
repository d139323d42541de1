"""A stand-in Slack Web API on 127.0.0.1 (port 0) for the real slack-sdk client, plus signing for requests
into the real Bolt app. Only what the adapter calls is served; everything it receives is recorded."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.loopback import serve

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test"
CLIENT_ID = "111.222"
CLIENT_SECRET = "test-client-secret"
OAUTH_CODE = "code-from-slack"
INSTALLED_TOKEN = "xoxb-installed-T9"


def signed_headers(body: str, timestamp: int | None = None, secret: str = SIGNING_SECRET) -> dict[str, str]:
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


@dataclass
class StandIn:
    base: str = ""
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    admins: set[str] = field(default_factory=set)
    rate_limit_next: int = 0  # this many chat.postMessage calls answer 429 first
    socket_envelopes: list[dict[str, Any]] = field(default_factory=list)
    socket_replies: list[dict[str, Any]] = field(default_factory=list)
    tokens: list[tuple[str, str]] = field(default_factory=list)  # (method, bearer token) of each Web API call
    # chat.postMessage calls that Slack accepts (the message is posted) but whose answer never comes in time
    # (`hang_after_post` seconds late) or comes as a 500: the client cannot tell the message arrived.
    lose_answer_next: int = 0
    lost_answer: str = "500"  # or "hang"
    hang_after_post: float = 5.0
    history_fails: bool = False  # conversations.history answers an error
    posted: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # channel -> messages, oldest first
    rejected_tokens: set[str] = field(default_factory=set)  # auth.test / apps.connections.open: invalid_auth
    down: bool = False  # Slack is out: every Web API call answers 503 and Socket Mode connections are closed
    sockets: list[web.WebSocketResponse] = field(default_factory=list)

    async def go_down(self) -> None:
        self.down = True
        for ws in list(self.sockets):
            await ws.close()

    def named(self, method: str) -> list[dict[str, Any]]:
        return [body for name, body in self.calls if name == method]


async def _body(request: web.Request) -> dict[str, Any]:
    """slack-sdk sends some methods as JSON, some as a form, some as query parameters: take them all."""
    found: dict[str, Any] = dict(request.query)
    if request.method == "GET":
        return found
    if request.content_type == "application/json":
        found.update(await request.json())
    else:
        found.update({k: v for k, v in (await request.post()).items()})
    return found


def _oauth_access(request: web.Request, body: dict[str, Any]) -> dict[str, Any]:
    """The code-for-token exchange: the app's credentials (HTTP basic auth) and the one code Slack handed out."""
    expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    if request.headers.get("Authorization") != expected:
        return {"ok": False, "error": "invalid_client_id"}
    if body.get("code") != OAUTH_CODE:
        return {"ok": False, "error": "invalid_code"}
    return {
        "ok": True,
        "app_id": "A1",
        "authed_user": {"id": "U90"},
        "scope": "commands,chat:write",
        "token_type": "bot",
        "access_token": INSTALLED_TOKEN,
        "bot_user_id": "UBOT9",
        "team": {"id": "T9", "name": "Other team"},
        "enterprise": None,
        "is_enterprise_install": False,
    }


@asynccontextmanager
async def slack_standin() -> AsyncIterator[StandIn]:
    state = StandIn()

    async def api(request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        body = await _body(request)
        state.calls.append((method, body))
        token = request.headers.get("Authorization", "").removeprefix("Bearer ") or str(body.get("token", ""))
        state.tokens.append((method, token))
        if state.down:
            return web.Response(status=503, text="Service Unavailable")
        if method in ("auth.test", "apps.connections.open") and token in state.rejected_tokens:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        if method == "oauth.v2.access":
            return web.json_response(_oauth_access(request, body))
        if method == "auth.test":
            return web.json_response(
                {
                    "ok": True,
                    "user_id": "UBOT",
                    "bot_id": "BBOT",
                    "team_id": "T1",
                    "team": "Test",
                    "user": "confbot",
                    "url": "https://test.slack.com/",
                }
            )
        if method == "chat.postMessage":
            if state.rate_limit_next > 0:
                state.rate_limit_next -= 1
                return web.json_response(
                    {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"}
                )
            channel = str(body.get("channel"))
            posted = {"type": "message", "user": "UBOT", "bot_id": "BBOT", "text": body.get("text", ""), "ts": ""}
            posted["ts"] = f"{time.time():.6f}"
            metadata = body.get("metadata")
            if isinstance(metadata, str):
                metadata = json.loads(metadata)
            if metadata:
                posted["metadata"] = metadata
            state.posted.setdefault(channel, []).append(posted)
            if state.lose_answer_next > 0:
                state.lose_answer_next -= 1
                if state.lost_answer == "hang":
                    await asyncio.sleep(state.hang_after_post)
                else:
                    return web.json_response({"ok": False, "error": "internal_error"}, status=500)
            return web.json_response({"ok": True, "channel": channel, "ts": posted["ts"]})
        if method == "conversations.history":
            if state.history_fails:
                return web.json_response({"ok": False, "error": "missing_scope"})
            oldest = float(body.get("oldest") or 0)
            limit = int(body.get("limit") or 100)
            everything = str(body.get("include_all_metadata", "")).lower() in ("1", "true")
            found = [m for m in reversed(state.posted.get(str(body.get("channel")), [])) if float(m["ts"]) > oldest]
            shown = [m if everything else {k: v for k, v in m.items() if k != "metadata"} for m in found[:limit]]
            return web.json_response({"ok": True, "messages": shown, "has_more": len(found) > limit})
        if method == "chat.postEphemeral":
            return web.json_response({"ok": True, "message_ts": f"{time.time():.6f}"})
        if method == "conversations.open":
            return web.json_response({"ok": True, "channel": {"id": "D" + str(body.get("users", ""))}})
        if method == "users.info":
            user = str(body.get("user", ""))
            return web.json_response({"ok": True, "user": {"id": user, "is_admin": user in state.admins}})
        if method == "views.publish":
            return web.json_response({"ok": True, "view": {"id": "V1"}})
        if method == "files.getUploadURLExternal":
            return web.json_response({"ok": True, "upload_url": f"{state.base}/upload/F1", "file_id": "F1"})
        if method == "files.completeUploadExternal":
            return web.json_response({"ok": True, "files": [{"id": "F1", "title": body.get("files")}]})
        if method == "apps.connections.open":
            return web.json_response({"ok": True, "url": state.base.replace("http", "ws") + "/socket"})
        return web.json_response({"ok": False, "error": "unknown_method"}, status=404)

    async def upload(request: web.Request) -> web.Response:
        state.calls.append(("upload", {"bytes": await request.read()}))
        return web.Response(text="OK")

    async def response_url(request: web.Request) -> web.Response:
        state.calls.append(("response_url", dict(await request.json())))
        return web.json_response({"ok": True})

    async def socket(request: web.Request) -> web.StreamResponse:
        if state.down:
            return web.Response(status=503)
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        state.sockets.append(ws)
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1}))
        for envelope in state.socket_envelopes:
            await ws.send_str(json.dumps(envelope))
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                state.socket_replies.append(json.loads(message.data))
        return ws

    app = web.Application()
    app.router.add_post("/api/{method}", api)
    app.router.add_get("/api/{method}", api)
    app.router.add_post("/upload/{id}", upload)
    app.router.add_post("/response/{id}", response_url)
    app.router.add_get("/socket", socket)
    async with serve(app) as base:
        state.base = base
        yield state
