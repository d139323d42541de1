"""`Reply -> content + embeds`: pure functions, tested without Discord.

Text from a schedule or a person is escaped (mentions and markdown), and every send also carries
`AllowedMentions.none()`, so nothing can ping @everyone, a role or a person. An embed's `url` is only ever a
web address (`bot.links.web_url`): Discord refuses a message whose embed has any other, so one bad session URL
would make every message carrying it fail. Times are `<t:UNIX:F>` and
`<t:UNIX:R>`, so each reader sees their own zone. Discord's limits (2000 characters of content, 10 embeds,
6000 characters over all embeds, 25 fields, 1024 a field) are respected by cutting with a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import discord

from bot.links import web_url
from bot.messages import Action, Card, Reply
from catalog.text import readable_links

MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBED_TOTAL = 6000
MAX_DESCRIPTION = 4096
MAX_TITLE = 256
PALETTE = {"saved": 0xF1C40F, "clash": 0xE74C3C, "default": 0x3498DB}


def unping(text: str) -> str:
    """No @everyone, @here, <@id>, <@&role>, <#channel>, <t:…>, custom emoji or masked link: a zero-width
    space breaks each, and the text still reads the same."""
    return discord.utils.escape_mentions(text).replace("<", "<\u200b").replace("](", "]\u200b(")


def safe(text: str) -> str:
    """No mentions, no markdown tricks, no masked links: the text shows exactly as written."""
    return unping(discord.utils.escape_markdown(text))


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def stamp(moment: object, style: str = "F") -> str:
    from datetime import datetime

    assert isinstance(moment, datetime)
    return f"<t:{int(moment.timestamp())}:{style}>"


@dataclass
class Rendered:
    content: str
    embeds: list[discord.Embed] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)


def card_embed(card: Card) -> discord.Embed:
    s = card.session
    colour = PALETTE["clash"] if card.clashes else PALETTE["saved"] if card.saved else PALETTE["default"]
    number = f"{card.number}. " if card.number is not None else ""
    title = cut(number + (unping(cut(s.title, MAX_TITLE)).strip() or "(untitled)"), MAX_TITLE)
    embed = discord.Embed(title=title, url=web_url(s.url) or None, colour=colour)
    if card.detailed and s.abstract:
        embed.description = cut(safe(cut(readable_links(s.abstract), 1500)), 1500)
    if s.start is not None:
        marks = "".join(f" · {m}" for m in (card.status, card.label) if m)  # "ended", "now, until 11:30", the edition
        embed.add_field(name="When", value=f"{stamp(s.start)} ({stamp(s.start, 'R')}){safe(marks)}", inline=False)

    def add(name: str, value: str, limit: int, inline: bool = True) -> None:
        """Each field within its share of the embed, so one card alone always fits Discord's 6000 characters."""
        if value.strip():  # Discord refuses a message with an empty or blank field
            embed.add_field(name=name, value=cut(safe(cut(value, limit)), limit), inline=inline)

    add("Room", s.room, 200)
    add("Track", s.track, 200)
    if s.speakers:
        people = ", ".join(f"{p.name} ({p.company})" if p.company else p.name for p in s.speakers)
        add("Speakers", people, 500, inline=False)
    add("Why", "; ".join(card.why), 300, inline=False)
    if card.reminder_at is not None:
        embed.add_field(name="Reminder", value=stamp(card.reminder_at, "t"))
    add("⚠ Overlaps", "; ".join(card.clashes), 500, inline=False)
    if card.detailed:
        add("At the same time", "; ".join(card.overlapping), 500, inline=False)
    return embed


def _size(embed: discord.Embed) -> int:
    return len(embed)


def render(reply: Reply) -> Rendered:
    notes = list(reply.notes)
    embeds: list[discord.Embed] = []
    total = 0
    shown = 0
    for card in reply.cards:
        embed = card_embed(card)
        if len(embeds) >= MAX_EMBEDS or total + _size(embed) > MAX_EMBED_TOTAL:
            break
        embeds.append(embed)
        total += _size(embed)
        shown += 1
    if shown < len(reply.cards):
        notes.append(f"{len(reply.cards) - shown} more did not fit; say 'more' or narrow the search.")
    content = safe(cut(reply.text, MAX_CONTENT))
    if notes:
        content += "\n" + safe(cut(" ".join(notes), MAX_CONTENT))
    actions = [a for c in reply.cards[:shown] for a in c.actions] + list(reply.actions)
    return Rendered(cut(content, MAX_CONTENT), embeds, actions)
