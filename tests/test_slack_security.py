"""The Slack HTTP front door, through the real Bolt app and the stand-in Slack: replayed and malformed requests are
refused with 401, a failing listener never shows a 500, and the OAuth install works end to end."""

from __future__ import annotations

import json
import re
import stat
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import aiohttp
import pytest_asyncio

from adapters.slack.server import (
    SlackSettings,
    build_app,
    installation_store,
    installations_path,
    make_client,
    make_notifier,
    web_app,
)
from bot.clock import VirtualClock
from bot.config import Config
from bot.messages import Incoming, Person
from bot.runtime import Runtime, build_runtime
from bot.store import CatalogStore, open_database
from catalog.load import load
from tests.conftest import FIXTURES
from tests.loopback import serve
from tests.slack_standin import (
    CLIENT_ID,
    CLIENT_SECRET,
    INSTALLED_TOKEN,
    OAUTH_CODE,
    SIGNING_SECRET,
    StandIn,
    signed_headers,
    slack_standin,
)
from tests.test_slack import SlackBot, slack  # noqa: F401  (the fixture)


def command_body(text: str, team: str = "T1", user: str = "U7", channel: str = "C1") -> str:
    return urlencode(
        {
            "command": "/talks",
            "text": text,
            "team_id": team,
            "user_id": user,
            "channel_id": channel,
            "api_app_id": "A1",
            "response_url": "http://127.0.0.1:9/response",
            "trigger_id": "t",
        }
    )


FORM = "application/x-www-form-urlencoded"


async def test_the_same_signed_request_is_accepted_once(slack: SlackBot) -> None:  # noqa: F811
    slack.standin.admins.add("U7")
    body = command_body("announce here")
    headers = signed_headers(body)
    first = await slack.post(body, FORM, headers)
    assert first.status == 200 and "Done: this channel" in await first.text()
    off = command_body("announce off")
    off_headers = signed_headers(off)
    assert (await slack.post(off, FORM, off_headers)).status == 200
    # An attacker who captured the first request replays it within the window: refused, nothing changes.
    replayed = await slack.post(body, FORM, headers)
    assert replayed.status == 401 and "already received" in await replayed.text()
    assert (await slack.post(off, FORM, off_headers)).status == 401
    listed = slack.runtime.conversation.handle(Incoming(Person("slack", "T1", "U7"), "announce", "C1", False))
    assert listed.text.startswith("No channel gets announcements")  # still off, as the admin left it
    # A fresh signature on the same text (what Slack sends for a new command) is served.
    assert (await slack.post(body, FORM, signed_headers(body, int(time.time()) - 1))).status == 200


async def test_malformed_signature_headers_are_401_not_500(slack: SlackBot) -> None:  # noqa: F811
    body = command_body("rust")
    good = signed_headers(body)
    cases = [
        {"X-Slack-Request-Timestamp": "not-a-number", "X-Slack-Signature": good["X-Slack-Signature"]},
        {"X-Slack-Request-Timestamp": "1e9", "X-Slack-Signature": good["X-Slack-Signature"]},
        {"X-Slack-Request-Timestamp": "9" * 400, "X-Slack-Signature": good["X-Slack-Signature"]},
        {"X-Slack-Request-Timestamp": good["X-Slack-Request-Timestamp"], "X-Slack-Signature": "v0=zz"},
        {"X-Slack-Request-Timestamp": good["X-Slack-Request-Timestamp"]},
        {},
    ]
    for headers in cases:
        response = await slack.post(body, FORM, headers)
        assert response.status == 401, headers
    assert (await slack.post(body, FORM, good)).status == 200  # none of those used up the real one


async def test_a_failing_listener_answers_in_one_line_not_500(slack: SlackBot, caplog) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    for db in (slack.runtime.catalogs.db, slack.runtime.conversation.catalogs.db):  # the loop's, the conversation's
        db.conn.close()  # the store fails under the bot, as a full or vanished disk would
    answer = await slack.command("talks on rust")
    assert answer["text"].startswith("Sorry, something went wrong") and "\n" not in answer["text"]
    assert answer["response_type"] == "ephemeral"
    assert any(r.exc_info for r in caplog.records if r.name == "confbot.slack")  # the traceback is in the log


@dataclass
class OAuthBot:
    url: str
    standin: StandIn
    runtime: Runtime
    http: aiohttp.ClientSession
    db_path: Path


@pytest_asyncio.fixture
async def oauth(tmp_path: Path) -> AsyncIterator[OAuthBot]:
    async with slack_standin() as standin:
        db_path = tmp_path / "data" / "confbot.db"
        db_path.parent.mkdir()
        db = open_database(db_path)
        CatalogStore(db).save(load(str(FIXTURES / "searchcon.schedule.json")))
        settings = SlackSettings(
            bot_token="",
            signing_secret=SIGNING_SECRET,
            api_url=f"{standin.base}/api/",
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
        )
        client = make_client(settings)
        store = installation_store(settings, db_path)
        clock = VirtualClock(datetime.fromisoformat("2026-03-28T09:00:00+01:00"))
        runtime = build_runtime(db, make_notifier(settings, client, store), clock, Config())
        app = build_app(runtime, settings, client, store)
        async with serve(web_app(app, SIGNING_SECRET)) as url, aiohttp.ClientSession() as http:
            yield OAuthBot(url, standin, runtime, http, db_path)
        runtime.scheduler.shutdown()


async def test_oauth_install_end_to_end(oauth: OAuthBot) -> None:
    # 1. The install page: served by the OAuth flow (not the signed-request door), with a state cookie.
    async with oauth.http.get(f"{oauth.url}/slack/install", allow_redirects=False) as page:
        assert page.status in (200, 302)
        html = await page.text()
        cookie = page.headers["Set-Cookie"].split(";")[0]
    authorize = re.search(r'https://slack\.com/oauth/v2/authorize\?[^"\']+', html + page.headers.get("Location", ""))
    assert authorize is not None
    query = parse_qs(urlsplit(authorize.group(0).replace("&amp;", "&")).query)
    assert query["client_id"] == [CLIENT_ID] and "commands" in query["scope"][0]
    state = query["state"][0]

    # 2. Slack sends the person back with a code; the flow exchanges it through oauth.v2.access.
    async with oauth.http.get(
        f"{oauth.url}/slack/oauth_redirect",
        params={"code": OAUTH_CODE, "state": state},
        headers={"Cookie": cookie},
    ) as done:
        assert done.status == 200, await done.text()
    assert oauth.standin.named("oauth.v2.access")[-1]["code"] == OAUTH_CODE

    # 3. The new workspace's token is stored beside the database, readable by the bot's user only.
    path = installations_path(oauth.db_path)
    assert path.parent == oauth.db_path.parent and path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # 4. ... and used: a signed command from that workspace is answered, a reminder goes out with its token.
    body = command_body("remind 3", team="T9", user="U90", channel="D90")
    async with oauth.http.post(
        f"{oauth.url}/slack/events", data=body.encode(), headers={"Content-Type": FORM, **signed_headers(body)}
    ) as answered:
        assert answered.status == 200 and "Saved" in json.dumps(await answered.json())
    assert oauth.runtime.agenda.saved(Person("slack", "T9", "U90")) == [("searchcon-2026", "3")]
    oauth.runtime.clock.set(datetime.fromisoformat("2026-03-28T13:50:00+01:00"))  # type: ignore[attr-defined]
    assert [o.state for o in await oauth.runtime.dispatcher.run_due()] == ["sent"]
    assert ("chat.postMessage", INSTALLED_TOKEN) in oauth.standin.tokens


async def test_oauth_redirect_with_a_forged_state_installs_nothing(oauth: OAuthBot) -> None:
    async with oauth.http.get(
        f"{oauth.url}/slack/oauth_redirect", params={"code": OAUTH_CODE, "state": "forged"}
    ) as refused:
        assert refused.status in (400, 401, 403)
    assert oauth.standin.named("oauth.v2.access") == []


async def test_install_pages_say_how_to_turn_them_on_without_oauth(slack: SlackBot) -> None:  # noqa: F811
    async with slack.http.get(f"{slack.url}/slack/install") as response:
        assert response.status == 404 and "SLACK_CLIENT_ID" in await response.text()


def test_installation_store_is_beside_the_database_not_the_working_directory(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    settings = SlackSettings("", SIGNING_SECRET, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    (tmp_path / "var").mkdir()
    installation_store(settings, tmp_path / "var" / "bot.db")
    assert (tmp_path / "var" / "bot-slack-installations.db").exists()
    assert not (tmp_path / "confbot-slack-installations.db").exists()
    assert stat.S_IMODE((tmp_path / "var" / "bot-slack-installations.db").stat().st_mode) == 0o600
