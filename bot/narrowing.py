"""'only in room K.4.201', 'which of these are in English?', 'davon nur morgen': the last list, narrowed.

People narrow what they were just shown the way they would with a person beside them. Read as questions of their
own, these searched the whole conference ('883 sessions in English' after 111 on AI ethics). A line counts only
when it is a way of saying 'of these' plus filters and nothing else (a room, a language, a time, a track), so
'only rust talks' and 'which of these speakers is famous' stay questions of their own.
"""

from __future__ import annotations

import re

from bot.references import said
from bot.search.language import LANGUAGE_NAMES, SPOKEN
from bot.search.query import ParsedQuery, parse

_THESE = r"(?:these|those|them|the\s+above|this\s+list|that\s+list)"
_VERB = r"(?:(?:is|are|was|were|will\s+be|happens?|takes?\s+place|runs?|held)\s+)?"
_GERMAN_THESE = r"(?:davon|von\s+(?:diesen|denen|ihnen))"
_GERMAN_VERB = r"(?:(?:sind|ist|laufen|läuft|laeuft|finden\s+statt|findet\s+statt)\s+)?"
# The ways of saying 'of what you just showed me, only ...', in English and German; `rest` is the filter.
_LEADS = tuple(
    re.compile(pattern)
    for pattern in (
        rf"^(?:(?:and|but|ok|okay|so|now)\s+)?(?:of\s+{_THESE},?\s+)?(?:only|just)\s+(?:the\s+ones?\s+|those\s+)?"
        r"(?:(?:that|which)\s+(?:are|is)\s+)?(?P<rest>.+)$",
        rf"^(?:(?:and|but|ok|okay|so|now)\s+)?(?:which|what)(?:\s+ones?)?\s+of\s+{_THESE}(?:\s+ones)?\s+{_VERB}"
        r"(?P<rest>.+)$",
        rf"^(?:(?:and|but|so)\s+)?(?:(?:are|is)\s+)?(?:any|one)\s+of\s+{_THESE}\s+{_VERB}(?P<rest>.+)$",
        rf"^(?:of|from|among)\s+{_THESE},?\s+(?:the\s+ones\s+)?{_VERB}(?P<rest>.+)$",
        r"^(?:(?:and|but|ok|okay|so|now)\s+)?(?:only\s+)?(?:the\s+ones|those)\s+(?:(?:that|which)\s+(?:are|is)\s+)?"
        r"(?P<rest>.+?)(?:\s+only)?$",
        r"^(?P<rest>.+?)\s+only$",
        rf"^(?:(?:und|aber|ok|okay|also|jetzt)\s+)?(?:{_GERMAN_THESE}\s+)?(?:nur|bloß|bloss|lediglich)\s+(?:noch\s+)?"
        r"(?:die\s+)?(?P<rest>.+?)(?:\s+davon)?$",
        rf"^(?:(?:und|aber)\s+)?welche\s+{_GERMAN_THESE}\s+{_GERMAN_VERB}(?P<rest>.+?)(?:\s+(?:sind|ist|laufen|läuft))?$",
        rf"^(?:(?:und|aber)\s+)?(?:gibt\s+es\s+)?(?:welche|einige|etwas)\s+{_GERMAN_THESE}\s+(?P<rest>.+)$",
        rf"^(?:(?:und|aber)\s+)?{_GERMAN_THESE}\s+(?:nur\s+)?(?:die\s+)?(?P<rest>.+)$",
    )
)
# 'im Raum K.4.201', 'im Saal 1': German puts the room after words the question reader takes for topics.
_GERMAN_ROOM = re.compile(r"^(?:im|in\s+dem|in)\s+(?:raum|zimmer)\s+")


def narrowing(line: str) -> str | None:
    """The filter a line adds to the last list, as a phrase any question can end with ('in room k.4.201',
    'in German', 'sunday'); None when the line is not only 'of these, just ...'."""
    text = said(line).strip("\"'“”")
    for lead in _LEADS:
        found = lead.match(text)
        if found is None:
            continue
        # 'in room Saal 3', 'im Raum K.4.201', 'im Saal 1': the room's own name is what finds it, as a place.
        rest = re.sub(r"^in\s+room\s+", "in ", _GERMAN_ROOM.sub("in ", found["rest"].strip(" ,")))
        rest = re.sub(r"^im\s+", "in ", rest)
        rest = f"in {rest}" if rest in LANGUAGE_NAMES else rest  # 'English only', 'nur Deutsch'
        phrase = filter_phrase(parse(rest))
        if phrase:
            return phrase
    return None


def filter_phrase(parsed: ParsedQuery) -> str:
    """Only filters, said the way the question reader reads them back whatever language the question is in:
    'in room k.4.201 in German tomorrow'. '' when the line asks for anything more, or for nothing at all.

    Words are allowed only as a place ('in Janson'), which the search reads as a room of the schedule."""
    place = " ".join(parsed.places[0].split()) if parsed.places else ""
    if parsed.speaker or parsed.excluded or parsed.truncated:
        return ""
    if parsed.words and (not place or set(parsed.words) != set(place.split())):
        return ""
    parts = []
    if parsed.room:
        parts.append(f"in room {parsed.room}")
    elif place:
        parts.append(f"in {place}")
    if parsed.track:
        parts.append(f"in the {parsed.track} track")
    if parsed.language:
        parts.append(f"in {SPOKEN.get(parsed.language, parsed.language)}")
    if parsed.time is not None and not parsed.time.problem:
        parts.append(parsed.time.label)
    return " ".join(parts)
