"""The small words of a conversation: 'the second one', 'number 2', 'it', 'yes', 'nein'.

People answer a list and a question the way they would answer a person, not with the bot's own syntax, so
these are read before anything is searched: a search for 'second one' or 'yes' finds nothing they wanted.
"""

from __future__ import annotations

import re

from bot.search.timephrases import ORDINALS

LAST = -1  # 'the last one': the last position of whatever list was shown

# 'first' … 'seventh' as the time phrases read them ('the second day'), without their cardinals ('one', 'two').
_ORDINAL_WORDS = {word: n for word, n in ORDINALS.items() if word.endswith(("st", "nd", "rd", "th"))} | {
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "last": LAST,
    "premier": 1,
    "première": 1,
    "deuxième": 2,
    "troisième": 3,
    "dernier": LAST,
    "dernière": LAST,
}
# German ordinals take an ending by case and gender ('die zweite', 'den zweiten', 'das zweites'): the stems.
_GERMAN_STEMS = {
    "erst": 1,
    "zweit": 2,
    "dritt": 3,
    "viert": 4,
    "fünft": 5,
    "fuenft": 5,
    "sechst": 6,
    "siebt": 7,
    "siebent": 7,
    "acht": 8,
    "neunt": 9,
    "zehnt": 10,
    "letzt": LAST,
}
_ARTICLE = r"(?:the|der|die|das|den|dem|le|la|l')"
_NOUN = r"(?:one|talk|session|item|result|entry|option|choice|eintrag|vortrag|termin|punkt)"
# 'show me the second one', 'zeig mir die zweite': asking to be shown is still naming a place in the list.
_LEAD = r"(?:(?:show|give|tell|zeig|zeige|gib)\s+)?(?:(?:me|us|mir|uns)\s+)?"
_WORD_ORDINAL = re.compile(rf"^{_LEAD}(?:{_ARTICLE}\s*)?(?P<word>[a-zäöüèé]+)(?:\s+{_NOUN})?$")
_NUMBER_ORDINAL = re.compile(rf"^{_LEAD}(?:{_ARTICLE}\s+)?(?P<n>\d{{1,4}})(?:st|nd|rd|th|\.|e|er|ème)(?:\s+{_NOUN})?$")
_NUMBERED = re.compile(rf"^{_LEAD}(?:number|num\.?|no\.?|nr\.?|nummer|n°|№|#|item|option|choice)\s*(?P<n>\d{{1,4}})$")

PRONOUNS = frozenset(
    {
        "it",
        "that",
        "this",
        "that one",
        "this one",
        "that talk",
        "this talk",
        "that session",
        "this session",
        "es",
        "das",
        "daran",
        "dran",
        "ihn",
        "diesen",
        "diese",
        "dieses",
        "den",
        "ça",
        "ca",
        "celui-ci",
    }
)

YES = frozenset(
    {
        "yes",
        "y",
        "yeah",
        "yea",
        "yep",
        "yup",
        "ya",
        "sure",
        "ok",
        "okay",
        "k",
        "confirm",
        "do it",
        "go ahead",
        "yes please",
        "please do",
        "of course",
        "absolutely",
        "ja",
        "jawohl",
        "jo",
        "klar",
        "ja bitte",
        "gerne",
        "oui",
        "si",
        "sí",
        "da",
        "👍",
        "✅",
    }
)
NO = frozenset(
    {
        "no",
        "n",
        "nope",
        "nah",
        "cancel",
        "no thanks",
        "no thank you",
        "never mind",
        "nevermind",
        "dont",
        "don't",
        "stop",
        "abort",
        "keep it",
        "nein",
        "nee",
        "lieber nicht",
        "abbrechen",
        "non",
        "👎",
        "❌",
    }
)


def said(text: str) -> str:
    """The words as compared here: lower case, one space, no closing punctuation or typographic apostrophe."""
    return " ".join(text.lower().replace("’", "'").split()).strip(" .!?,;:…")


def is_yes(text: str) -> bool:
    return said(text) in YES


def is_no(text: str) -> bool:
    return said(text) in NO


def is_pronoun(text: str) -> bool:
    """'it', 'that one', 'das': the session the conversation is about, not a title to look for."""
    return said(text).strip("\"'“”") in PRONOUNS


def list_position(text: str) -> int | None:
    """'the second one' -> 2, '3rd' -> 3, 'number 2', '#2', 'no. 2' -> 2, 'the last one' -> LAST; else None.

    A bare ordinal word ('second') is not enough, nor is 'first' inside a longer line: 'first steps in rust'
    is a title, so only a whole line that is nothing but a reference counts.
    """
    text = " ".join(text.lower().replace("’", "'").split()).rstrip(" !?,;:")
    if not text:
        return None
    numbered = _NUMBERED.match(text) or _NUMBER_ORDINAL.match(text)
    if numbered:
        return int(numbered["n"])
    found = _WORD_ORDINAL.match(text.rstrip("."))
    if found is None or " " not in text.rstrip("."):  # 'second' alone may be a search; 'the second' is not
        return None
    word = found["word"]
    if word in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[word]
    stem = re.sub(r"e[nrsm]?$", "", word)
    return _GERMAN_STEMS.get(stem)


# Sentences that only point back at what was shown: 'tell me more about it', 'what about the third one?',
# 'erzähl mir mehr darüber'. What they point at must be a reference ('it', 'the third one', '2'), so
# 'more about rust' and 'tell me about kubernetes' stay searches.
_PLEASE = r"(?:(?:and|so|ok|okay|also|und)\s+)?(?:(?:can|could|would)\s+you\s+|please\s+|bitte\s+)?"
_ABOUT = (
    rf"^{_PLEASE}(?:(?:tell|show|give)\s+(?:me|us)\s+)?(?:(?:a\s+(?:bit|little)\s+)?more\s+|the\s+)?"
    r"(?:details\s+|info\s+)?(?:about|on)\s+(?P<ref>.+)$",
    rf"^{_PLEASE}(?:what|how)\s+about\s+(?P<ref>.+)$",
    r"^(?:and|und)\s+(?P<ref>.+)$",
    rf"^{_PLEASE}(?:erzähl|erzähle|erzaehl|sag|sage|zeig|zeige)\s+(?:mir|uns)\s+(?:mehr\s+)?(?:über|ueber|von|zu)\s+"
    r"(?P<ref>.+)$",
    r"^(?:was\s+ist\s+mit|wie\s+wäre\s+es\s+mit)\s+(?P<ref>.+)$",
)
# German points back with one word: 'darüber' (about it), 'dazu', 'davon'.
_GERMAN_IT = (
    r"^(?:(?:erzähl|erzähle|erzaehl|sag|sage|zeig|zeige)\s+(?:mir|uns)\s+)?(?:bitte\s+)?(?:noch\s+)?(?:mehr|details|"
    r"infos?|näheres)\s+(?:darüber|dazu|davon)(?:\s+bitte)?$"
)
_MEANWHILE = (
    rf"^{_PLEASE}(?:what|which|anything|is\s+there\s+anything)(?:'s|\s+is|\s+are|\s+talks)?\s+(?:else\s+)?"
    r"(?:(?:is|are)\s+)?(?:on|running|happening|there|going\s+on|scheduled|else)?\s*(?:at\s+the\s+same\s+time|"
    r"meanwhile|in\s+parallel|simultaneously|at\s+that\s+time|alongside(?:\s+it)?)(?:\s+as\s+(?P<ref>.+))?$",
    r"^(?:und\s+)?(?:was|welche\s+vorträge)\s+(?:läuft|laeuft|gibt\s+es|ist|kommt|laufen)\s+(?:sonst\s+)?(?:noch\s+)?"
    r"(?:gleichzeitig|parallel|zur\s+(?:selben|gleichen)\s+zeit)(?:\s+(?:dazu|mit\s+(?P<ref>.+)))?$",
)


def follow_up(text: str) -> str | None:
    """A sentence that asks about what was just shown, as the command it means: 'tell me more about it' ->
    'about it', 'what about the third one?' -> 'about the third one', 'what else is on at the same time?' ->
    'meanwhile it'; None for anything else, which stays a command or a search."""
    line = re.sub(r"[\s,]+(?:please|bitte)$", "", said(text)).rstrip(" ,")
    if re.match(_GERMAN_IT, line):
        return "about it"
    for pattern in _MEANWHILE:
        found = re.match(pattern, line)
        if found:
            ref = found["ref"] or "it"
            return f"meanwhile {ref}"
    for pattern in _ABOUT:
        found = re.match(pattern, line)
        if found and _points_back(found["ref"]):
            return f"about {found['ref']}"
    return None


def _points_back(ref: str) -> bool:
    """'it', 'the third one', '2', '#2': a reference to what was shown, never a topic."""
    ref = ref.strip()
    return is_pronoun(ref) or ref.strip("#").isdecimal() and len(ref) <= 5 or list_position(ref) is not None
