"""'and at 36c3?', 'and tomorrow?', 'und morgen?': the last question asked again, somewhere or sometime else.

People compare the way they would with a person beside them: after 'rust at fosdem 2026' the next question is
'and at 36c3?', not the whole sentence again. Searching the leftover 'and' found nothing and asked what to
look for. Only a line that is a connector plus a conference or a time counts; anything with words of its own
is a question of its own.
"""

from __future__ import annotations

import re

from bot.search.query import ParsedQuery, parse

# What is left of 'and at 36c3?' once the conference is taken out: a connector, perhaps a preposition.
_CONNECTOR = (
    r"(?:and|und|also|so|ok|okay|what\s+about|how\s+about|and\s+what\s+about|and\s+how\s+about|was\s+ist\s+mit)"
)
_LEFTOVER = re.compile(rf"^{_CONNECTOR}(?:\s+(?:at|in|for|on|bei|auf|auf\s+dem|auf\s+der|im|in\s+der))?$")
_LEAD = re.compile(rf"^{_CONNECTOR}\s+(?P<rest>.+)$")
MAX_WORDS = 16  # a question longer than this is not cut apart word by word to find its time


def only_connector(rest: str) -> bool:
    """What is left of 'and at 36c3?' without the conference: nothing but a way of saying 'the same, there'."""
    return bool(_LEFTOVER.match(_said(rest)))


def retimed(last: str, line: str) -> str | None:
    """'and tomorrow?' after 'rust today' -> 'rust tomorrow'; None when the line is not just a new time."""
    found = _LEAD.match(_said(line))
    if found is None:
        return None
    when = parse(found["rest"])
    if when.time is None or _narrows(when):
        return None
    base = without_time(last)
    return f"{base} {when.time.label}".strip() if base else None


def without_time(question: str) -> str:
    """The question with its time phrase taken out: the longest run of its words that is a time and nothing else."""
    words = question.split()
    if parse(question).time is None or len(words) > MAX_WORDS:
        return question
    for size in range(len(words), 0, -1):
        for start in range(len(words) - size + 1):
            span = parse(" ".join(words[start : start + size]))
            if span.time is not None and not _narrows(span):
                start, size = _trimmed(words, start, size, span.time.label)
                return " ".join(words[:start] + words[start + size :])
    return question


def _trimmed(words: list[str], start: int, size: int, label: str) -> tuple[int, int]:
    """The span without words around it that say no time: 'when does it end today' is all a time with nothing
    else asked, but only 'today' is its time; 'and tomorrow?' then asks 'when does it end tomorrow'."""

    def same(first: int, count: int) -> bool:
        span = parse(" ".join(words[first : first + count])).time
        return span is not None and span.label == label

    while size > 1 and same(start + 1, size - 1):
        start, size = start + 1, size - 1
    while size > 1 and same(start, size - 1):
        size -= 1
    return start, size


def _narrows(parsed: ParsedQuery) -> bool:
    """Whether a question asks for anything besides a time: words, a speaker, a track, a room, a language."""
    return bool(parsed.words or parsed.speaker or parsed.track or parsed.room or parsed.language or parsed.excluded)


def _said(text: str) -> str:
    return " ".join(text.lower().split()).strip(" ?!.,;:")
