"""`Reply -> rich Text`: a pure function, so terminal output is tested without a terminal.

All text from a schedule or a person goes in as plain `Text` segments, never as console markup, so a talk
titled "[bold]" prints exactly as written; control characters are dropped, so no title can move the cursor,
retitle the terminal or plant a terminal hyperlink (ESC sequences), and only web addresses are shown as links.
"""

from __future__ import annotations

import re
from datetime import datetime

from rich.text import Text

from bot.links import web_url
from bot.messages import Card, Reply
from catalog.text import readable_links
from catalog.times import tz_from_name

INDENT = "     "
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def plain(text: str) -> str:
    """Text for a terminal: no escape sequences, no bidirectional overrides, no lone surrogates."""
    if not text.isascii():
        text = text.encode("utf-8", "replace").decode("utf-8")
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def when(card: Card) -> str:
    session = card.session
    if session.start is None:
        return "time to be announced"
    zone = tz_from_name(card.zone)
    start = session.start.astimezone(zone)
    text = start.strftime("%a %d %b %H:%M")
    if session.end is not None:
        text += "–" + session.end.astimezone(zone).strftime("%H:%M")
    return f"{text} {start.tzname() or card.zone}"


def _clock(moment: datetime, zone: str) -> str:
    return moment.astimezone(tz_from_name(zone)).strftime("%a %H:%M")


def render_card(card: Card) -> Text:
    s = card.session
    out = Text()
    number = f"{card.number:>3}. " if card.number is not None else "  • "
    out.append(number, style="bold cyan")
    out.append(plain(s.title), style="bold")
    if card.saved:
        out.append("  ★ saved", style="yellow")
    out.append("\n" + INDENT)
    if card.label:
        out.append(plain(card.label) + " · ", style="bold green")
    out.append(plain(" · ".join(x for x in (when(card), s.room, s.track) if x)), style="green")
    if card.status:
        out.append(f"  [{card.status}]", style="dim" if card.status == "ended" else "bold yellow")
    if s.speakers:
        people = ", ".join(f"{p.name} ({p.company})" if p.company else p.name for p in s.speakers)
        out.append("\n" + INDENT + plain(people))
    if card.why:
        out.append("\n" + INDENT + "why: " + plain("; ".join(card.why)), style="dim")
    if card.reminder_at is not None:
        out.append("\n" + INDENT + f"reminder {_clock(card.reminder_at, card.zone)}", style="yellow")
    for clash in card.clashes:
        out.append("\n" + INDENT + f"⚠ overlaps “{plain(clash)}”", style="bold red")
    if card.detailed:
        if s.subtitle:
            out.append("\n" + INDENT + plain(s.subtitle), style="italic")
        if s.abstract:
            out.append("\n\n")
            lines = plain(readable_links(s.abstract)).splitlines()
            out.append("\n".join(INDENT + line if line else "" for line in lines))
        if web_url(s.url):
            out.append("\n\n" + INDENT + web_url(s.url), style="underline")
        if card.overlapping:
            more = f"; …and {card.more_at_same_time} more at the same time" if card.more_at_same_time else ""
            out.append("\n" + INDENT + "At the same time: " + plain("; ".join(card.overlapping)) + more, style="dim")
    out.append("\n" + INDENT + "→ " + " · ".join(hints(card)), style="dim")
    return out


def hints(card: Card) -> list[str]:
    """What can be typed next about this card. A reminder's own 'snooze' needs no name: right after it, it is
    about that reminder."""
    if any(action.kind == "snooze" for action in card.actions):
        return ["snooze", "snooze 15", "forget it"]
    ref = hint_ref(card)
    save = "forget" if card.saved else "remind"
    verbs = (save, "like") if card.detailed else (save, "about", "like")
    return [f"{verb} {ref}" for verb in verbs]


def hint_ref(card: Card) -> str:
    """What to type to name this session again: its list number, the words the core found that name it,
    else a short id, else a few words of its title."""
    if card.number is not None:
        return str(card.number)
    if card.hint:
        return card.hint if card.hint.isdecimal() else '"' + plain(card.hint) + '"'
    session_id = card.session.id
    if len(session_id) <= 8 and session_id.replace("-", "").isalnum():
        return session_id
    return '"' + plain(" ".join(card.session.title.split()[:5])) + '"'


def render_reply(reply: Reply) -> Text:
    out = Text(plain(reply.text), style="bold" if reply.cards else "")
    groups = list(reply.groups)
    remaining = 0
    for card in reply.cards:
        if groups and remaining == 0:
            heading, remaining = groups.pop(0)
            if heading:
                out.append("\n\n" + f"── {plain(heading)} ──", style="magenta")
        out.append("\n\n")
        out.append_text(render_card(card))
        remaining -= 1 if remaining else 0
    for note in reply.notes:
        out.append("\n" + plain(note), style="yellow")
    return out
