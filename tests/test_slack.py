"""The real Bolt app over HTTP on loopback, signed requests in, a stand-in Slack Web API out."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
import pytest_asyncio

from adapters.health import Health
from adapters.slack.server import SlackSettings, build_app, make_client, make_notifier, web_app
from bot.clock import VirtualClock
from bot.config import Config
from bot.runtime import Runtime, build_runtime
from bot.store import CatalogStore, open_database
from catalog.load import load
from tests.conftest import FIXTURES
from tests.loopback import serve
from tests.slack_standin import BOT_TOKEN, SIGNING_SECRET, StandIn, signed_headers, slack_standin

TRIGGERS = itertools.count(1)
HealthFor = Callable[[SlackSettings, Runtime], Health]


@dataclass
class SlackBot:
    url: str
    standin: StandIn
    runtime: Runtime
    http: aiohttp.ClientSession
    clock: VirtualClock

    async def post(self, body: str, content_type: str, headers: dict[str, str] | None = None) -> aiohttp.ClientResponse:
        sent = {"Content-Type": content_type, **(headers if headers is not None else signed_headers(body))}
        response = await self.http.post(f"{self.url}/slack/events", data=body.encode(), headers=sent)
        await response.read()
        return response

    async def command(self, text: str, user: str = "U1", channel: str = "C1") -> dict[str, Any]:
        body = urlencode(
            {
                "token": "x",
                "team_id": "T1",
                "team_domain": "test",
                "channel_id": channel,
                "channel_name": "general",
                "user_id": user,
                "user_name": "ann",
                "command": "/talks",
                "text": text,
                "api_app_id": "A1",
                "response_url": f"{self.standin.base}/response/1",
                "trigger_id": f"t{next(TRIGGERS)}",  # Slack gives every command its own, so no two bodies repeat
            }
        )
        response = await self.post(body, "application/x-www-form-urlencoded")
        assert response.status == 200
        return dict(await response.json())

    async def event(self, event: dict[str, Any]) -> int:
        body = json.dumps(
            {
                "type": "event_callback",
                "team_id": "T1",
                "api_app_id": "A1",
                "event_id": f"Ev{time.time()}",
                "event_time": int(time.time()),
                "event": event,
                "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
            }
        )
        response = await self.post(body, "application/json")
        return response.status

    async def press(
        self,
        action_id: str,
        value: str,
        user: str = "U1",
        view: bool = False,
        where: str = "ephemeral",
        message: dict[str, Any] | None = None,
        response_url: bool = True,
    ) -> int:
        """As Slack sends it: on the home tab, the presser's own ephemeral answer, a DM, or a channel message."""
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": user, "team_id": "T1"},
            "team": {"id": "T1"},
            "api_app_id": "A1",
            "actions": [{"action_id": action_id, "block_id": "b", "value": value, "type": "button"}],
        }
        channel = "D1" if where == "dm" else "C1"
        if view:
            payload["view"] = {"type": "home", "id": "V1"}
        else:
            ephemeral = where == "ephemeral"
            payload.update(
                container={"type": "message", "message_ts": "1.0", "channel_id": channel, "is_ephemeral": ephemeral},
                channel={"id": channel},
            )
            if response_url:
                payload["response_url"] = f"{self.standin.base}/response/2"
            if not ephemeral:  # Slack leaves the message out for an ephemeral one
                payload["message"] = message or {"ts": "1.0", "text": "results"}
        body = urlencode({"payload": json.dumps(payload)})
        response = await self.post(body, "application/x-www-form-urlencoded")
        return response.status

    async def settle(self) -> None:
        for _ in range(50):
            await asyncio.sleep(0.02)


@asynccontextmanager
async def slack_bot(tmp_path: Path, health: HealthFor | None = None, metrics: Any = None) -> AsyncIterator[SlackBot]:
    """The real Bolt app over HTTP on loopback; `health(settings, runtime)` adds /healthz and /metrics."""
    async with slack_standin() as standin:
        db = open_database(tmp_path / "slack.db")
        CatalogStore(db).save(load(str(FIXTURES / "searchcon.schedule.json")))
        clock = VirtualClock(datetime.fromisoformat("2026-03-28T09:00:00+01:00"))
        settings = SlackSettings(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=f"{standin.base}/api/")
        client = make_client(settings)
        runtime = build_runtime(db, make_notifier(settings, client), clock, Config())
        app = build_app(runtime, settings, client)
        checks = health(settings, runtime) if health else None
        async with serve(web_app(app, SIGNING_SECRET, checks, metrics)) as url, aiohttp.ClientSession() as http:
            yield SlackBot(url, standin, runtime, http, clock)
        runtime.scheduler.shutdown()


@pytest_asyncio.fixture
async def slack(tmp_path: Path) -> AsyncIterator[SlackBot]:
    async with slack_bot(tmp_path) as bot:
        yield bot


async def test_url_verification(slack: SlackBot) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "x"})
    response = await slack.post(body, "application/json")
    assert response.status == 200 and (await response.json())["challenge"] == "c-123"


async def test_slash_command_search_is_answered_in_the_ack(slack: SlackBot) -> None:
    answer = await slack.command("talks on horovod")
    assert answer["response_type"] == "ephemeral"  # in a channel: only the asker sees it
    text = json.dumps(answer["blocks"])
    assert "Hands-on Horovod" in text and "<!date^" in text
    actions = [e["action_id"] for b in answer["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert actions == ["confbot_remind", "confbot_details", "confbot_like", "confbot_share"]
    dm = await slack.command("talks on horovod", channel="D1")
    assert dm["response_type"] == "in_channel" and "confbot_share" not in json.dumps(dm["blocks"])


async def test_wrong_signature_and_stale_timestamp_are_refused(slack: SlackBot) -> None:
    body = urlencode({"command": "/talks", "text": "rust", "team_id": "T1", "user_id": "U1", "channel_id": "C1"})
    wrong = await slack.post(body, "application/x-www-form-urlencoded", signed_headers(body, secret="not-it"))
    assert wrong.status == 401
    stale = await slack.post(body, "application/x-www-form-urlencoded", signed_headers(body, int(time.time()) - 600))
    assert stale.status == 401


async def test_dm_and_mention_are_answered_by_post_message(slack: SlackBot) -> None:
    assert (
        await slack.event(
            {"type": "message", "channel_type": "im", "channel": "D1", "user": "U1", "text": "duckdb", "ts": "100.1"}
        )
        == 200
    )
    await slack.settle()
    posted = slack.standin.named("chat.postMessage")
    assert posted and posted[0]["channel"] == "D1" and "DuckDB for analysts" in json.dumps(posted[0]["blocks"])
    assert (
        await slack.event(
            {"type": "app_mention", "channel": "C1", "user": "U1", "text": "<@UBOT> who is ruth berg", "ts": "200.2"}
        )
        == 200
    )
    await slack.settle()
    mention = slack.standin.named("chat.postMessage")[-1]
    assert mention["thread_ts"] == "200.2" and "LibreOffice at twenty" in json.dumps(mention["blocks"])


async def test_bot_messages_are_ignored(slack: SlackBot) -> None:
    await slack.event(
        {
            "type": "message",
            "channel_type": "im",
            "channel": "D1",
            "user": "UBOT",
            "bot_id": "BBOT",
            "text": "⏰ Starting in 10 minutes",
            "ts": "1.1",
        }
    )
    await slack.settle()
    assert slack.standin.named("chat.postMessage") == []


async def test_button_saves_a_reminder_and_updates_in_place(slack: SlackBot) -> None:
    assert await slack.press("confbot_remind", "searchcon-2026:3") == 200
    await slack.settle()
    saved = slack.runtime.agenda.saved(__import__("bot.messages", fromlist=["Person"]).Person("slack", "T1", "U1"))
    assert saved == [("searchcon-2026", "3")]
    update = slack.standin.named("response_url")[-1]
    assert update["replace_original"] is True and "Saved" in update["text"]
    assert "confbot_forget" in json.dumps(update["blocks"])


async def test_app_home_is_published(slack: SlackBot) -> None:
    await slack.command("remind 12", user="U2")
    await slack.event({"type": "app_home_opened", "user": "U2", "channel": "D2", "tab": "home"})
    await slack.settle()
    published = slack.standin.named("views.publish")[-1]
    view = published["view"] if isinstance(published["view"], dict) else json.loads(published["view"])
    assert published["user_id"] == "U2" and view["type"] == "home"
    assert "Hands-on Horovod" in json.dumps(view["blocks"])


async def test_reminder_is_delivered_as_a_dm_when_the_clock_passes(slack: SlackBot) -> None:
    await slack.command("remind 3", user="U3")
    slack.clock.set(datetime.fromisoformat("2026-03-28T13:50:00+01:00"))
    outcomes = await slack.runtime.dispatcher.run_due()
    assert [o.state for o in outcomes] == ["sent"]
    assert slack.standin.named("conversations.open")[-1]["users"] == "U3"
    dm = slack.standin.named("chat.postMessage")[-1]
    assert dm["channel"] == "DU3" and "Starting in 10 minutes" in dm["text"]
    actions = [e["action_id"] for b in dm["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert "confbot_snooze" in actions


async def test_429_from_post_message_is_retried_and_nothing_lost(slack: SlackBot) -> None:
    await slack.command("remind 3", user="U4")
    slack.standin.rate_limit_next = 1
    slack.clock.set(datetime.fromisoformat("2026-03-28T13:50:00+01:00"))
    started = time.monotonic()
    outcomes = await slack.runtime.dispatcher.run_due()
    assert [o.state for o in outcomes] == ["sent"]
    assert time.monotonic() - started >= 0.9  # slack-sdk waited Retry-After: 1
    attempts = [b for b in slack.standin.named("chat.postMessage") if b.get("channel") == "DU4"]
    assert len(attempts) == 2  # the refused one and the retry; delivered once


def shown(payload: Any) -> str:
    """Every string Slack displays (texts), leaving out opaque data such as button values."""
    if isinstance(payload, dict):
        return " ".join(shown(v) for k, v in payload.items() if k != "value")
    if isinstance(payload, list):
        return " ".join(shown(v) for v in payload)
    return payload if isinstance(payload, str) else ""


async def test_markup_from_a_query_cannot_ping_or_link(slack: SlackBot) -> None:
    answer = await slack.command("<!channel> <@U999> <https://evil.example|click> & more")
    text = shown(answer)
    assert "<!channel>" not in text and "<@U999>" not in text and "<https://evil" not in text
    # The mentions are dropped before the question is read; a link keeps only its words, as typed.
    assert "Nothing found for 'click'" in text  # 'more' is a word of the sentence


def test_schedule_text_is_escaped_for_mrkdwn() -> None:
    from adapters.slack.blocks import render
    from bot.messages import Card, Reply
    from catalog.model import Session, Speaker

    session = Session(
        id="1",
        title="<!here> & <@U1>",
        room="<#C1>",
        speakers=(Speaker("<!subteam^S1>"),),
        url="https://example.org/a|b>c",
    )
    text = shown(render(Reply("Hi <!everyone>", (Card("c", session, "UTC", why=("<b>",)),))))
    for raw in ("<!here>", "<@U1>", "<#C1>", "<!subteam^S1>", "<!everyone>", "<b>"):
        assert raw not in text
    assert "&lt;!here&gt; &amp; &lt;@U1&gt;" in text and "&lt;!everyone&gt;" in text
    assert "<https://example.org/a" not in text  # a URL that could close the link early forms no link at all


async def test_export_uploads_the_calendar_to_the_dm(slack: SlackBot) -> None:
    await slack.command("remind 12", user="U5")
    answer = await slack.command("export", user="U5")
    assert answer["text"] == "Working on it…"
    await slack.settle()
    uploaded = slack.standin.named("upload")
    assert uploaded and uploaded[-1]["bytes"].startswith(b"BEGIN:VCALENDAR")
    assert slack.standin.named("response_url")[-1]["text"].startswith("I sent your agenda")


async def test_only_admins_set_up_announcements(slack: SlackBot) -> None:
    refused = await slack.command("announce here", user="U6")
    assert "Only workspace admins" in json.dumps(refused)
    slack.standin.admins.add("U7")
    accepted = await slack.command("announce here", user="U7", channel="C-news")
    assert "Done: this channel gets every session" in json.dumps(accepted)


@pytest.mark.parametrize("missing", ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"])
def test_missing_token_is_a_one_line_error(missing: str) -> None:
    from adapters.slack.server import settings_from
    from bot.config import ConfigError

    env = {"SLACK_BOT_TOKEN": "xoxb", "SLACK_SIGNING_SECRET": "s", "SLACK_APP_TOKEN": "xapp"}
    del env[missing]
    with pytest.raises(ConfigError, match=rf"^HTTP mode \(--http\) needs {missing} "):
        settings_from(Config(), env)
    assert settings_from(Config(), {**env, missing: "v", "SLACK_API_URL": "http://127.0.0.1:1/api"}).api_url == (
        "http://127.0.0.1:1/api/"
    )


async def test_socket_mode_smoke(tmp_path: Path) -> None:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    async with slack_standin() as standin:
        standin.socket_envelopes.append(
            {
                "envelope_id": "env-1",
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": {
                    "token": "x",
                    "team_id": "T1",
                    "team_domain": "test",
                    "channel_id": "C1",
                    "user_id": "U1",
                    "command": "/talks",
                    "text": "duckdb",
                    "api_app_id": "A1",
                    "response_url": f"{standin.base}/response/9",
                    "trigger_id": "t",
                },
            }
        )
        db = open_database(tmp_path / "socket.db")
        CatalogStore(db).save(load(str(FIXTURES / "searchcon.schedule.json")))
        settings = SlackSettings(
            bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, app_token="xapp-test", api_url=f"{standin.base}/api/"
        )
        client = make_client(settings)
        runtime = build_runtime(
            db,
            make_notifier(settings, client),
            VirtualClock(datetime.fromisoformat("2026-03-28T09:00:00+01:00")),
            Config(),
        )
        handler = AsyncSocketModeHandler(build_app(runtime, settings, client), settings.app_token)
        await handler.connect_async()
        for _ in range(100):
            if standin.socket_replies:
                break
            await asyncio.sleep(0.05)
        await handler.close_async()
        reply = standin.socket_replies[0]
        assert reply["envelope_id"] == "env-1"
        assert "DuckDB for analysts" in json.dumps(reply["payload"]["blocks"])


async def _remind_and_lose_the_answer(slack: SlackBot, user: str, lost: str) -> list[Any]:
    """A reminder whose first post Slack accepts but whose answer is lost (a 500, or no answer in time); the
    dispatcher's retry asks Slack first. Returns the outcomes of both passes."""
    await slack.command("remind 3", user=user)
    slack.standin.lose_answer_next, slack.standin.lost_answer, slack.standin.hang_after_post = 1, lost, 0.6
    slack.runtime.dispatcher.notifier.attempt_timeout = 0.3  # type: ignore[attr-defined]
    slack.clock.set(datetime.fromisoformat("2026-03-28T13:50:00+01:00"))
    first = await slack.runtime.dispatcher.run_due()
    slack.clock.set(datetime.fromisoformat("2026-03-28T13:51:00+01:00"))  # past the first backoff
    second = await slack.runtime.dispatcher.run_due()
    return [o.state for o in first + second]


@pytest.mark.parametrize("lost", ["500", "hang"])
async def test_accepted_post_with_a_lost_answer_is_not_posted_twice(slack: SlackBot, lost: str) -> None:
    states = await _remind_and_lose_the_answer(slack, "U6", lost)
    assert states == ["failed", "sent"]
    dms = slack.standin.posted["DU6"]
    assert len(dms) == 1 and "Starting in 10 minutes" in dms[0]["text"]
    assert [b.get("channel") for b in slack.standin.named("chat.postMessage")].count("DU6") == 1
    history = slack.standin.named("conversations.history")[-1]
    assert history["channel"] == "DU6" and history["include_all_metadata"] in ("1", "true")
    assert float(history["oldest"]) < datetime.fromisoformat("2026-03-28T13:50:00+01:00").timestamp()
    assert dms[0]["metadata"]["event_type"] == "confbot_delivery"


async def test_history_error_falls_back_to_sending_again(slack: SlackBot) -> None:
    slack.standin.history_fails = True
    states = await _remind_and_lose_the_answer(slack, "U7", "500")
    assert states == ["failed", "sent"]
    assert len(slack.standin.posted["DU7"]) == 2  # cannot tell: a duplicate rather than a loss, as before


async def test_delivered_answers_from_the_channel_history(slack: SlackBot) -> None:
    from adapters.slack.notifier import SlackNotifier
    from bot.messages import Reply
    from bot.notify import Target

    notifier = slack.runtime.dispatcher.notifier.inner  # type: ignore[attr-defined]
    assert isinstance(notifier, SlackNotifier)
    due = datetime.fromisoformat("2026-03-28T13:50:00+01:00")
    sent, never = Target("slack", "T1", "U8", key="k-sent", due_at=due), Target("slack", "T1", "U8", key="k-never")
    await notifier.send(sent, Reply("hello"))
    assert slack.standin.named("chat.postMessage")[-1]["metadata"]["event_payload"]["key"] != "k-sent"  # hashed
    assert await notifier.delivered(sent) is True
    assert await notifier.delivered(never) is False
    slack.standin.history_fails = True
    assert await notifier.delivered(sent) is None


def test_manifest_asks_for_exactly_the_scopes_the_adapter_uses() -> None:
    from adapters.slack.server import SCOPES

    text = (Path(__file__).parent.parent / "adapters" / "slack" / "manifest.yml").read_text()
    bot_scopes = text.split("    bot:\n", 1)[1].split("settings:", 1)[0]
    assert sorted(line.strip().removeprefix("- ") for line in bot_scopes.splitlines() if line.strip()) == sorted(SCOPES)
    assert "channels:history" in SCOPES and "im:history" in SCOPES  # for `delivered` after a timeout
