"""Every field of a session hostile, every reply rendered for every platform: no ping, no mention, no link target
but a web address, nothing that breaks a message or a calendar file."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from bot.links import web_url
from bot.messages import Card, Reply
from catalog.model import Session, Speaker
from tests.hostile_fields import MARKUP, URLS, WEB, HostileReplies, replies


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> HostileReplies:
    return replies(tmp_path_factory.mktemp("hostile"))


def strings(payload: Any, skip: tuple[str, ...] = ("value", "action_id", "custom_id")) -> list[str]:
    """Every string a platform shows, leaving out opaque data such as button values."""
    if isinstance(payload, dict):
        return [s for k, v in payload.items() if k not in skip for s in strings(v, skip)]
    if isinstance(payload, list):
        return [s for v in payload for s in strings(v, skip)]
    return [payload] if isinstance(payload, str) else []


# ---- Slack


SLACK_DATE = re.compile(r"^!date\^\d+\^[^|<>]*\|[^<>]*$")
SLACK_LINK = re.compile(r"^(https?://[^\s|<>]+)\|[^<>]*$")


def slack_problems(payload: dict[str, Any]) -> list[str]:
    problems = []
    for text in strings(payload):
        for markup in re.findall(r"<([^>]*)>?", text):  # every '<' left in the output is markup Slack reads
            link = SLACK_LINK.match(markup)
            if SLACK_DATE.match(markup):
                continue
            if link is None or not web_url(link.group(1).replace("&amp;", "&")):
                problems.append(markup[:80])
    for found in re.findall(r'"url": "([^"]*)"', json.dumps(payload)):
        if not web_url(found):
            problems.append(found[:80])
    return problems


def test_slack_blocks_have_no_ping_mention_or_foreign_link(hostile: HostileReplies) -> None:
    from adapters.slack.blocks import home_view, render

    rendered = {name: render(reply, share_text=MARKUP) for name, reply in hostile.replies.items()}
    rendered["home"] = home_view(hostile.replies["agenda"], hostile.replies["next"], hostile.replies["about"])
    for name, payload in rendered.items():
        assert slack_problems(payload) == [], name
        assert "&lt;!channel&gt;" in json.dumps(payload) or name in ("today", "agenda", "next", "digest", "home")
    # Web addresses still become links, their & escaped as Slack asks.
    assert "<https://example.org/ok?a=1&amp;b=2|" in json.dumps(rendered["about-web"])
    assert not [
        i for i in range(len(URLS)) if "<http" in " ".join(strings(rendered[f"about-h{i}"]))
    ]  # none of these links


def test_slack_problem_finder_finds_pings() -> None:
    """The check above can fail: a raw ping, a foreign link and a javascript: button url are all reported."""
    payload = {"text": "<!channel> <@U1> <javascript:x|y> <https://ok.example/|fine>", "url": "javascript:x"}
    assert slack_problems(payload) == ["!channel", "@U1", "javascript:x|y", "javascript:x"]


# ---- Discord


DISCORD_STAMP = re.compile(r"<t:\d+:[a-zA-Z]>")


def discord_problems(texts: list[str]) -> list[str]:
    problems = []
    for text in texts:
        text = DISCORD_STAMP.sub("", text)
        problems += re.findall(r"@(?:everyone|here)|<[@#:/a]|<t:", text)
        problems += re.findall(r"(?<!\\)\[[^\]]*\]\(", text)  # a masked link
    return problems


def test_discord_embeds_have_no_ping_mention_or_foreign_link(hostile: HostileReplies) -> None:
    from adapters.discord.bot import view_for
    from adapters.discord.embeds import render

    for name, reply in hostile.replies.items():
        out = render(reply)
        embeds = [e.to_dict() for e in out.embeds]
        assert discord_problems([out.content, *strings(embeds)]) == [], name
        assert all(web_url(e["url"]) == e["url"] for e in embeds if "url" in e), name
        view = view_for(out.actions, share=MARKUP)
        labels = [item.item.label for item in view.children] if view else []  # type: ignore[attr-defined]
        assert discord_problems([str(label) for label in labels]) == [], name
    about = {
        e.get("url")
        for name in hostile.replies
        if name.startswith("about-h")
        for e in (x.to_dict() for x in render(hostile.replies[name]).embeds)
    }
    assert about == {None, WEB}  # the one web address links; none of the others does


def test_discord_problem_finder_finds_pings() -> None:
    assert discord_problems(["@everyone <@123> <#1> [x](javascript:y) <t:1:F>"]) == ["@everyone", "<@", "<#", "[x]("]


# ---- iCalendar


def test_calendar_export_keeps_one_event_per_session_and_only_web_links(
    hostile: HostileReplies, tmp_path: Path
) -> None:
    from bot.export_ics import agenda_calendar

    items = [("hostile-2026", s) for s in hostile.sessions]
    data = agenda_calendar(items, datetime(2026, 3, 28, tzinfo=UTC))
    assert b"\r\nX-INJECTED" not in data and re.search(rb"\r(?!\n)", data) is None
    calendar = Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == len(hostile.sessions) and not calendar.walk("VALARM")
    assert {str(e.get("url")) for e in events if e.get("url")} == {WEB}
    assert all(
        set(e.keys()) <= {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION", "DESCRIPTION", "URL"}
        for e in events
    )
    assert "<!channel>" in str(events[0]["SUMMARY"])  # text is kept, as text


def test_export_command_with_hostile_urls_answers_with_a_file(hostile: HostileReplies) -> None:
    assert hostile.replies["agenda"].cards  # every session was saved
    from bot.export_ics import agenda_calendar

    crlf = Session(
        "x",
        "t",
        url="https://x.org/\r\nX:1",
        start=datetime(2026, 1, 1, tzinfo=UTC),
        end=datetime(2026, 1, 1, 1, tzinfo=UTC),
    )
    assert b"X:1" not in agenda_calendar([("c", crlf)], datetime(2026, 1, 1, tzinfo=UTC))


# ---- Console


def test_console_text_has_no_escape_sequences_and_only_web_links(hostile: HostileReplies) -> None:
    from adapters.console.render import render_reply

    for name, reply in hostile.replies.items():
        text = render_reply(reply).plain
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202e]", text), name
        for line in text.splitlines():
            if line.strip().startswith(("http", "javascript", "data:", "file:", "//")):
                assert web_url(line.strip()) == line.strip(), name


# ---- Text a store could not even hold


def test_lone_surrogates_and_controls_render_everywhere() -> None:
    from adapters.console.render import render_reply
    from adapters.discord.embeds import render as discord_render
    from adapters.slack.blocks import render as slack_render
    from bot.export_ics import agenda_calendar

    start = datetime(2026, 3, 28, 9, tzinfo=UTC)
    weird = "\ud800 \x00 \x1b[31m " + MARKUP
    session = Session(
        "\ud800",
        weird,
        abstract=weird,
        room=weird,
        track=weird,
        speakers=(Speaker(weird),),
        start=start,
        end=start + timedelta(hours=1),
        url="https://x.org/\ud800",
    )
    reply = Reply(weird, (Card("c", session, "UTC", detailed=True, why=(weird,), clashes=(weird,)),))
    json.dumps(slack_render(reply))
    [e.to_dict() for e in discord_render(reply).embeds]
    assert "\x1b" not in render_reply(reply).plain
    assert agenda_calendar([("c", session)], start).startswith(b"BEGIN:VCALENDAR")


def test_blank_fields_make_no_blank_embed_field() -> None:
    """Discord refuses a whole message when one embed field is blank; a schedule with blank rooms must not."""
    from adapters.discord.embeds import render

    session = Session(
        "1", "   ", room="  ", track="\n", speakers=(Speaker(" "),), start=datetime(2026, 1, 1, tzinfo=UTC)
    )
    embed = render(Reply("x", (Card("c", session, "UTC", number=1, why=(" ",)),))).embeds[0].to_dict()
    assert embed["title"] == "1. (untitled)"
    assert all(f["value"].strip() for f in embed.get("fields", []))


def test_huge_fields_stay_inside_every_platform_limit() -> None:
    """A 100,000-character title of markup: Slack sections stay under 3000 with their markup whole, Discord
    embeds inside its limits, so neither platform refuses the message."""
    from adapters.discord.embeds import render as discord_render
    from adapters.slack.blocks import render as slack_render

    huge = "<&>@channel " * 10_000
    start = datetime(2026, 3, 28, 9, tzinfo=UTC)
    session = Session(
        "1",
        huge,
        abstract=huge,
        room=huge,
        track=huge,
        speakers=(Speaker(huge, company=huge),),
        start=start,
        end=start + timedelta(hours=1),
        url=WEB,
    )
    card = Card(
        "c",
        session,
        "UTC",
        number=1,
        detailed=True,
        why=(huge,),
        clashes=(huge,) * 9,
        overlapping=(huge,),
        saved=True,
        reminder_at=start,
    )
    reply = Reply(huge, (card,), notes=(huge,))
    payload = slack_render(reply)
    texts = [b["text"] for b in payload["blocks"] if "text" in b] + [
        e for b in payload["blocks"] if b["type"] == "context" for e in b["elements"]
    ]
    assert all(t["verbatim"] is True and len(t["text"]) <= 3000 for t in texts if t.get("type") == "mrkdwn")
    assert slack_problems(payload) == [] and len(payload["text"]) <= 3000
    assert "@channel" not in " ".join(strings(payload))
    out = discord_render(reply)
    embed = out.embeds[0]
    assert len(out.content) <= 2000 and len(embed) <= 6000 and len(embed.title or "") <= 256
    assert all(len(f.value or "") <= 1024 for f in embed.fields) and len(embed.description or "") <= 4096


def test_markdown_links_in_an_abstract_read_as_words_and_their_address() -> None:
    """frab and pretalx abstracts are Markdown: '[Tickets](https://…)' was shown as written on every platform."""
    from adapters.console.render import render_reply
    from adapters.discord.embeds import render as discord_render
    from adapters.slack.blocks import render as slack_render

    start = datetime(2026, 3, 28, 9, tzinfo=UTC)
    abstract = "Meet at the tunnel. [Tickets](https://tickets.example.org/x) - [Details](https://example.org/d)"
    session = Session("1", "Alter Elbtunnel", abstract=abstract, start=start, end=start + timedelta(hours=1))
    reply = Reply("x", (Card("c", session, "UTC", detailed=True),))
    shown = [
        render_reply(reply).plain,
        json.dumps(slack_render(reply), ensure_ascii=False),
        json.dumps([e.to_dict() for e in discord_render(reply).embeds], ensure_ascii=False),
    ]
    for text in shown:
        assert "[Tickets](" not in text and "Tickets (https://tickets.example.org/x)" in text
