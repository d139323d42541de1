"""A hostile schedule end to end: answers, reminders, announcements and the Home tab go through the real Bolt app
and discord.py client to the stand-ins, and nothing posted pings, mentions or links outside http(s)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from tests.discord_standin import CHANNEL_ID
from tests.hostile_fields import catalog
from tests.test_discord import DiscordBot, bot  # noqa: F401  (the fixture)
from tests.test_hostile_render import discord_problems, slack_problems, strings
from tests.test_slack import SlackBot, slack  # noqa: F401  (the fixture)

REFS = [f"hostile-2026:{s.id}" for s in catalog().sessions]


def blocks_of(body: dict[str, Any]) -> dict[str, Any]:
    """slack-sdk sends some payloads as JSON strings inside a form: decode them to check what Slack would show."""
    return {k: json.loads(v) if k in ("blocks", "view") and isinstance(v, str) else v for k, v in body.items()}


async def test_slack_hostile_schedule_end_to_end(slack: SlackBot) -> None:  # noqa: F811
    slack.runtime.catalogs.save(catalog())
    slack.standin.admins.add("U7")
    await slack.command("settings conference hostile-2026", user="U7", channel="C1")  # the store holds two
    await slack.command("announce here", user="U7", channel="C1")
    # One person per session: Slack paces each DM channel to a message a second, and the test need not wait.
    answers = [await slack.command(f"remind {ref}", user=f"U{i}", channel=f"D{i}") for i, ref in enumerate(REFS)]
    answers += [await slack.command(f"remind {ref}", user="U0", channel="D0") for ref in REFS[1:4]]
    answers += [await slack.command(f"about {ref}", user="U0") for ref in REFS]
    answers += [await slack.command(text, user="U0") for text in ("agenda", "today", "zebra0 zebra7 zebra15")]
    for moment in ("2026-03-28T09:50:00+01:00", "2026-03-28T09:55:00+01:00", "2026-03-28T10:50:00+01:00"):
        slack.clock.set(datetime.fromisoformat(moment))
        await slack.runtime.dispatcher.run_due()
    await slack.event({"type": "app_home_opened", "user": "U0", "channel": "D0", "tab": "home"})
    assert "\r\n" in catalog().sessions[9].url
    await slack.command("export", user="U9", channel="D9")  # U9 saved the session whose URL carries CR/LF
    await slack.settle()
    calendar = slack.standin.named("upload")[-1]["bytes"]
    assert calendar.startswith(b"BEGIN:VCALENDAR") and b"zebra9" in calendar and b"X-INJECTED:1\r\n" not in calendar

    posted = [blocks_of(b) for b in slack.standin.named("chat.postMessage")]
    homes = [blocks_of(b) for b in slack.standin.named("views.publish")]
    channel = [p for p in posted if p["channel"] == "C1"]
    dms = {p["channel"] for p in posted if p["channel"].startswith("DU")}
    assert len(dms) == len(REFS) and channel and homes  # every reminder, the announcement, the Home tab
    for payload in answers + posted + homes:
        assert slack_problems(payload) == []
    assert any("&lt;!channel&gt;" in " ".join(strings(p)) for p in channel)  # shown, as text


async def test_discord_hostile_schedule_end_to_end(bot: DiscordBot) -> None:  # noqa: F811
    bot.runtime.catalogs.save(catalog())
    await bot.command("announce", [{"name": "what", "type": 3, "value": "here"}], manage=True)
    answers = []
    for ref in REFS:
        answers.append(await bot.command("remind", [{"name": "session", "type": 3, "value": ref}], guild=False))
        answers.append(await bot.command("about", [{"name": "session", "type": 3, "value": ref}]))
    outcomes = []
    for moment in ("2026-03-28T09:50:00+01:00", "2026-03-28T09:55:00+01:00", "2026-03-28T10:50:00+01:00"):
        bot.clock.set(datetime.fromisoformat(moment))
        outcomes += await bot.runtime.dispatcher.run_due()

    assert bot.standin.refused == []  # Discord would have refused none of these messages
    assert [o.state for o in outcomes].count("sent") >= len(REFS) + 1  # reminders and the announcement
    sent = [b for m, p, b in bot.standin.calls if m == "POST" and p.startswith("/channels/")]
    assert any(p.startswith(f"/channels/{CHANNEL_ID}/") for m, p, b in bot.standin.calls if m == "POST")
    for data in [a["data"] for a in answers] + sent:
        assert data["allowed_mentions"] == {"parse": []}
        assert discord_problems([data.get("content") or "", *strings(data.get("embeds") or [])]) == []
