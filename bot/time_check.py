"""'what time is it?', 'wie spät ist es?': the time at the conference, never a search for the word 'time'.

Searching found 197 sessions that mention time. A person asking wants the clock where the conference is (they
may have just landed, or be following from home), and which day of the conference it is; the bot's clock is
the one every answer already uses, so the reply agrees with what 'now' and 'next' show.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from bot.messages import Reply
from bot.references import said as heard
from bot.scope import label, today_in
from catalog.model import Conference
from catalog.times import tz_from_name

if TYPE_CHECKING:
    from bot.context import Context

_TAIL = r"(?:\s+(?:now|right\s+now|there|here|please|bitte|jetzt|gerade|dort|da|today|heute))*"
_ENGLISH = re.compile(
    r"^(?:(?:so|ok|okay|hey|and|sorry),?\s+)?(?:what(?:'s|\s+is)?\s+the\s+(?:time|date)|whats\s+the\s+(?:time|date)|"
    r"what\s+time\s+is\s+it|what\s+day\s+is\s+(?:it|today)|what(?:'s|\s+is)\s+today|whats\s+today|"
    r"(?:do\s+you\s+have|have\s+you\s+got)\s+the\s+time|(?:the\s+)?(?:current\s+)?time|current\s+date|"
    r"what\s+time\s+do\s+we\s+have|what\s+time\s+is\s+it\s+at\s+the\s+conference|tell\s+me\s+the\s+time)" + _TAIL + "$"
)
_GERMAN = re.compile(
    r"^(?:(?:und|sag\s+mal|hallo),?\s+)?(?:wie\s+sp(?:ä|ae|a)t\s+ist\s+es|wie\s*viel\s+uhr\s+ist\s+es|"
    r"wie\s+sp(?:ä|ae|a)t|welche\s+uhrzeit\s+haben\s+wir|(?:die\s+)?uhrzeit|was\s+f(?:ü|ue|u)r\s+ein\s+tag\s+ist\s+"
    r"(?:heute|es)|welcher\s+tag\s+ist\s+(?:heute|es)|welchen\s+tag\s+haben\s+wir|wie\s+sp(?:ä|ae|a)t\s+haben\s+wir)"
    + _TAIL
    + "$"
)
_DAYS_DE = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
_MONTHS_DE = ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez")
# Zone cities whose German names differ; the rest read the same ('Berlin', 'London').
_CITIES_DE = {
    "Brussels": "Brüssel",
    "Vienna": "Wien",
    "Prague": "Prag",
    "Rome": "Rom",
    "Warsaw": "Warschau",
    "Copenhagen": "Kopenhagen",
    "Lisbon": "Lissabon",
    "Zurich": "Zürich",
    "Athens": "Athen",
    "Moscow": "Moskau",
    "Kolkata": "Kalkutta",
}


def language(text: str) -> str:
    """'en' or 'de' for a question about the time, '' for anything else."""
    said = heard(text)
    if _ENGLISH.match(said):
        return "en"
    return "de" if _GERMAN.match(said) else ""


def answer(ctx: Context, text: str) -> Reply | None:
    """The time and day at the conference in scope; None when the line does not ask for the time."""
    lang = language(text)
    if not lang:
        return None
    conf = ctx.conference_info()
    zone_name = conf.timezone if conf and conf.timezone else "UTC"
    local = ctx.now().astimezone(tz_from_name(zone_name))
    city = zone_name.rsplit("/", 1)[-1].replace("_", " ")
    if lang == "de":
        when = f"{_DAYS_DE[local.weekday()]} {local.day}. {_MONTHS_DE[local.month - 1]} {local:%H:%M}"
        where = "UTC" if zone_name == "UTC" else f"in {_CITIES_DE.get(city, city)}"
        said = f"Es ist {when} {where}"
    else:
        said = f"It's {local:%a %d %b %H:%M} {'UTC' if zone_name == 'UTC' else 'in ' + city}"
    where_in = _where_in(conf, ctx.now(), lang) if conf else ""
    return Reply(f"{said} ({where_in})." if where_in else f"{said}.")


def _where_in(conf: Conference, now: datetime, lang: str) -> str:
    """'FOSDEM 2026, day 1 of 2', or how far it is from its days; just its name when it has no dates."""
    name = label(conf)
    if conf.start is None:
        return name
    today, end = today_in(conf, now), conf.end or conf.start
    days = (end - conf.start).days + 1
    german = lang == "de"
    if conf.start <= today <= end:
        day = (today - conf.start).days + 1
        return f"{name}, Tag {day} von {days}" if german else f"{name}, day {day} of {days}"
    if today < conf.start:
        away = (conf.start - today).days
        if german:
            return f"{name} beginnt {'morgen' if away == 1 else f'in {away} Tagen'}"
        return f"{name} starts {'tomorrow' if away == 1 else f'in {away} days'}"
    ago = (today - end).days
    if german:
        return f"{name} ist seit {'gestern' if ago == 1 else f'{ago} Tagen'} vorbei"
    return f"{name} ended {'yesterday' if ago == 1 else f'{ago} days ago'}"
