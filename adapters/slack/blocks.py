"""`Reply -> Block Kit`: pure functions, tested without any network.

Everything that comes from a schedule or a person is escaped for mrkdwn (&, <, >), so no title or query can
ping @channel, @here or anyone, or forge a link. A session's link is formed only from a web address
(`bot.links.web_url`): a URL of "!channel" would otherwise make `<!channel|Title>`, a channel-wide ping.
Times are `<!date^…>` tokens, so each reader sees their own zone. Block Kit's limits (50 blocks, 3000
characters a section, 150 a header) are respected by paging.
"""

from __future__ import annotations

import re
from typing import Any

from bot.links import web_url
from bot.messages import Action, Card, Reply
from catalog.text import readable_links
from catalog.times import tz_from_name

MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_BUTTON_VALUE = 2000
Block = dict[str, Any]


_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
_ENTITY_TAIL = re.compile(r"&[a-z]*$")


def escape(text: str) -> str:
    """mrkdwn control characters; a '<!channel>' typed by someone becomes harmless text, and a bare '@channel'
    gets a word joiner, should any client parse it as a broadcast."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub("@\u2060\\1", text) if "@" in text else text


def clip(text: str, limit: int) -> str:
    """Escaped and cut to `limit` characters, never through an entity: each piece of a section is clipped on
    its own, so the section fits and the markup between pieces (links, dates) is never cut in half."""
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    return _ENTITY_TAIL.sub("", escaped[: limit - 1]) + "…"


def mrkdwn(text: str) -> Block:
    """A mrkdwn text object taken verbatim: Slack then links or mentions nothing we did not mark up ourselves."""
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def link(url: str, text: str) -> str:
    """`<url|text>` for a web address (its & escaped as Slack asks); the text alone for anything else."""
    target = escape(web_url(url))
    fits = len(target) + len(text) <= 1200  # with the rest of a card, well inside a section's 3000 characters
    return f"<{target}|{text}>" if target and text and fits else text


def slack_time(moment: Any, zone: str, fmt: str = "{date_short_pretty} {time}") -> str:
    """Shown in each reader's own zone by Slack; the fallback is the conference's zone."""
    fallback = moment.astimezone(tz_from_name(zone)).strftime("%a %d %b %H:%M %Z")
    return f"<!date^{int(moment.timestamp())}^{fmt}|{escape(fallback)}>"


def button(action: Action) -> Block:
    style = {"remind": "primary", "forget": "danger"}.get(action.kind)
    element: Block = {
        "type": "button",
        "action_id": f"confbot_{action.kind}",
        "text": {"type": "plain_text", "text": cut(action.label, 75)},
        "value": cut(action.value, MAX_BUTTON_VALUE),
    }
    if style:
        element["style"] = style
    return element


def card_blocks(card: Card) -> list[Block]:
    s = card.session
    number = f"`{card.number}` " if card.number is not None else ""
    title = clip(s.title, 600)
    lines = [f"{number}*{link(s.url, title)}*"]
    when = "time to be announced"
    if s.start is not None:
        when = slack_time(s.start, card.zone)
        if s.end is not None:
            when += "–" + slack_time(s.end, card.zone, "{time}")
    parts = (clip(card.label, 100), when, clip(s.room, 200), clip(s.track, 200), clip(card.status, 100))
    lines.append(" · ".join(x for x in parts if x))
    if s.speakers:
        people = ", ".join(f"{p.name} ({p.company})" if p.company else p.name for p in s.speakers)
        lines.append(clip(people, 300))
    if card.why:
        lines.append("_why: " + clip("; ".join(card.why), 200) + "_")
    if card.saved:
        lines.append(
            ":star: in your agenda"
            + (f", reminder {slack_time(card.reminder_at, card.zone, '{time}')}" if card.reminder_at else "")
        )
    lines += [f":warning: overlaps “{clip(t, 100)}”" for t in card.clashes[:5]]
    if len(card.clashes) > 5:
        lines.append(f":warning: and {len(card.clashes) - 5} more overlaps")
    blocks: list[Block] = [{"type": "section", "text": mrkdwn(cut("\n".join(lines), MAX_SECTION))}]
    if card.detailed:
        detail = clip(readable_links(s.abstract), 2000) if s.abstract else "_No abstract._"
        if card.overlapping:
            detail += "\n\n*At the same time:* " + clip("; ".join(card.overlapping), 800)
        blocks.append({"type": "section", "text": mrkdwn(cut(detail, MAX_SECTION))})
    if card.actions:
        blocks.append({"type": "actions", "elements": [button(a) for a in card.actions]})
    return blocks


def render(reply: Reply, share_text: str = "") -> dict[str, Any]:
    """Blocks and the plain-text fallback; `share_text` adds a "share in channel" button for ephemeral answers."""
    blocks: list[Block] = []
    if reply.text:
        blocks.append({"type": "section", "text": mrkdwn(clip(reply.text, MAX_SECTION))})
    groups = list(reply.groups)
    remaining = 0
    reserve = 3  # room for notes, the paging buttons and the share button
    shown = 0
    for card in reply.cards:
        if groups and remaining == 0:
            heading, remaining = groups.pop(0)
            if heading:
                blocks.append({"type": "section", "text": mrkdwn(f"*{clip(heading, 300)}*")})
        card_parts = card_blocks(card)
        if len(blocks) + len(card_parts) > MAX_BLOCKS - reserve:
            break
        blocks += card_parts
        shown += 1
        remaining = max(0, remaining - 1)
    notes = list(reply.notes)
    if shown < len(reply.cards):
        notes.append(f"{len(reply.cards) - shown} more did not fit here; say 'more' or narrow the search.")
    if notes:
        blocks.append({"type": "context", "elements": [mrkdwn(clip(" ".join(notes), 3000))]})
    elements = [button(a) for a in reply.actions]
    if share_text:
        elements.append(button(Action("share", "Share in channel", share_text)))
    if elements:
        blocks.append({"type": "actions", "elements": elements[:25]})
    return {"text": clip(reply.text or "confbot", 3000), "blocks": blocks[:MAX_BLOCKS]}


def home_view(agenda: Reply, upcoming: Reply, settings: Reply) -> dict[str, Any]:
    """The App Home tab: the person's agenda with clashes, what is next, and their settings."""
    blocks: list[Block] = [{"type": "header", "text": {"type": "plain_text", "text": "Your conference agenda"}}]
    for part in (agenda, upcoming):
        rendered = render(part)["blocks"]
        blocks += rendered[: (MAX_BLOCKS - 6) // 2]
        blocks.append({"type": "divider"})
    blocks.append({"type": "context", "elements": [mrkdwn(clip(settings.text, 3000))]})
    return {"type": "home", "blocks": blocks[:MAX_BLOCKS]}
