"""Questions typed as sentences: the scaffolding around the topic, and the language a person asks talks in.

"is there anything on how to get started with ham radio?" asks for 'ham radio'; "gibt es was zu
Überwachung?" asks for 'Überwachung'; "German talks tomorrow" asks for talks held in German, not about it.
The patterns are general ways of asking, in English and German; the words left are weighed afterwards by how
common they are in everyday language (bot.search.language), so nothing here lists topics.
"""

from __future__ import annotations

import re

from bot.search.language import EVERYDAY, LANGUAGE_NAMES, is_german_function_word, zipf

# Folded text (lower case, accents removed). Each pattern removes a way of asking, never a topic word.
_SCAFFOLDING = [
    # English
    r"\b(?:i'?d|i would|i'?m|i am|we'?d|we would) (?:like|love|want|keen|interested|looking)(?: to)?"
    r"(?: (?:hear|learn|know|see|find|understand|go|attend))?(?: (?:more|something|anything))?(?: (?:about|on|of))?",
    r"\b(?:i|we) (?:want|need|wanna|hope)(?: to)?(?: (?:finally|really|actually))?"
    r"(?: (?:learn|know|understand|see|hear|find))?(?: (?:more|something|anything))?(?: (?:about|on|of))?",
    r"\b(?:is|are) there (?:any|some)?(?:thing|one|body)?(?: talks?| sessions?| lectures?)?"
    r"(?: (?:on|about|regarding|covering|for))?",
    r"\b(?:is|are) (?:any|some)(?:one|body) (?:talking|speaking|presenting) (?:about|on)",
    r"\b(?:who(?:'s| is| are)|who will be|which talks are) (?:talking|speaking|presenting) (?:about|on)",
    r"\b(?:how|where) (?:do|can|could|should|would) (?:i|we|you|people|one)\b",
    r"\bwhere should i go\b",
    r"\b(?:tell|show) (?:me|us) (?:about|more about)",
    # 'in' stays: "what's happening in Saal GLITCH" names a room the way "what's on in Janson" does
    r"\bwhat(?:'s| is| are) (?:happening|going on|new)(?: (?:with|around))?",
    r"\b(?:get|getting) started(?: with| on)?\b",
    r"\bhow to\b",
    r"\b(?:any|some) (?:talks?|sessions?) (?:about|on|for)\b",
    r"\bwhat can i do\b",
    r"\bwhether\b",
    # German
    r"\b(?:gibt es|gibt's|gibts) (?:hier |auch |heute |morgen )?(?:etwas|was|vortraege|vortrage|talks|sessions)?"
    r"(?: (?:ueber|uber|zu|zum|zur|zu dem thema|fuer|fur))?",
    r"\b(?:wer|wo|wann) (?:redet|spricht|erzaehlt|erzahlt|haelt|halt) (?:ueber|uber|zu|von)?",
    r"\b(?:ich|wir) (?:moechte|mochte|moechten|mochten|will|wollen|wuerde|wurde) (?:gern|gerne)?"
    r"(?: (?:mehr|etwas))?(?: (?:ueber|uber|zu))?(?: (?:lernen|hoeren|horen|wissen|erfahren|sehen))?",
    r"\b(?:vortraege|vortrage|vortraegen|vortragen|vortrag|talks|sessions|veranstaltungen) (?:ueber|uber|zu|zum|zur|"
    r"zu dem thema|ueber das thema|uber das thema)\b",
    r"\bwas (?:gibt es|laeuft|lauft|ist los|kommt)(?: (?:zu|ueber|uber|zum|zur|mit))?",
    r"\bwie (?:funktioniert|geht|kann ich|koennen wir|konnen wir)\b",
    r"\bzum thema\b",
]
SCAFFOLDING = re.compile("|".join(f"(?:{p})(?![\\w'])" for p in _SCAFFOLDING))  # whole words only
# German words that carry no topic in a question to a schedule, beside the ISO stop words.
GERMAN_FILLER = frozenset(
    """vortrag vortraege vortrage vortraegen vortragen vortragende sitzung sitzungen veranstaltung veranstaltungen
    thema themen gibt es etwas was zu zum zur ueber uber ich wir mir mich bitte zeig zeige suche finde welche
    welcher welches wer wann redet spricht irgendwas irgendetwas laeuft lauft am im los mehr noch""".split()
)
# A language named next to one of these asks for the talks' language: "German talks", "talks in English".
_TALK_WORDS = (
    r"(?:talks?|sessions?|lectures?|presentations?|events?|vortraege|vortrage|vortraegen|vortrag|vortragen|"
    r"veranstaltungen|sessions)"
)
_NAMES = "|".join(sorted(LANGUAGE_NAMES, key=len, reverse=True))
LANGUAGE_FILTER = re.compile(
    rf"\b(?:(?P<before>{_NAMES}) {_TALK_WORDS}|{_TALK_WORDS} (?:in|auf) (?P<after>{_NAMES})"
    rf"|(?:in|auf) (?P<bare>{_NAMES})\b(?! (?:law|laws|politics|history|police|government|cities|companies))"
    rf"|(?P<adjective>englischsprachige\w*|deutschsprachige\w*))\b"
)


# "when does the rust talk start?", "wann fängt der Rust-Vortrag an?": asking when, the verb for starting or ending
# is part of the question, not of the topic (it found abstracts that say 'started').
_WHEN_QUESTION = re.compile(r"^\W*(?:so |and |und )?(?:when|what time|at what time|wann|um wie ?viel uhr)\b")
_WHEN_VERBS = re.compile(
    r"\b(?:start|starts|begin|begins|end|ends|finish|finishes|happen|happens|take place|takes place|fangt|faengt|"
    r"beginnt|startet|endet|stattfinden|findet|statt)\b"
)


def strip_scaffolding(folded: str) -> str:
    """The question with its ways of asking removed; the topic words stay in order."""
    if _WHEN_QUESTION.search(folded):
        folded = _WHEN_VERBS.sub(" ", folded)
    return SCAFFOLDING.sub(" ", folded)


def language_filter(folded: str) -> tuple[str, str]:
    """('de', text without the phrase) when the question asks for talks held in a language."""
    match = LANGUAGE_FILTER.search(folded)
    if not match:
        return "", folded
    name = next(v for v in match.group("before", "after", "bare", "adjective") if v)
    code = LANGUAGE_NAMES.get(name) or ("en" if name.startswith("englisch") else "de")
    # The talk word stays: it is filler anyway, and it keeps "German talks tomorrow" a question about talks.
    return code, folded[: match.start()] + " talks " + folded[match.end() :]


# German ways of saying when, as the English words the time parser reads. Two-word phrases come first.
_GERMAN_TIME_PHRASES = {
    ("heute", "morgen"): ["this", "morning"],
    ("heute", "abend"): ["tonight"],
    ("heute", "nachmittag"): ["this", "afternoon"],
    ("heute", "vormittag"): ["this", "morning"],
    ("morgen", "frueh"): ["tomorrow", "morning"],
    ("morgen", "fruh"): ["tomorrow", "morning"],
    ("morgen", "abend"): ["tomorrow", "evening"],
    ("morgen", "nachmittag"): ["tomorrow", "afternoon"],
    ("morgen", "vormittag"): ["tomorrow", "morning"],
    ("spaeter", "heute"): ["later", "today"],
    ("spater", "heute"): ["later", "today"],
    ("als", "naechstes"): ["next"],
    ("als", "nachstes"): ["next"],
    ("letzten", "tag"): ["last", "day"],
    ("letzter", "tag"): ["last", "day"],
    ("jetzt", "gerade"): ["now"],
    ("jetzt", "grad"): ["now"],
}
_GERMAN_TIME_WORDS = {
    "heute": "today",
    "morgen": "tomorrow",
    "gestern": "yesterday",
    "jetzt": "now",
    "gerade": "now",
    "grad": "now",  # 'was läuft grad'
    "morgens": "morning",
    "vormittag": "morning",
    "vormittags": "morning",
    "nachmittag": "afternoon",
    "nachmittags": "afternoon",
    "abend": "evening",
    "abends": "evening",
    "nachts": "night",
    "montag": "monday",
    "dienstag": "tuesday",
    "mittwoch": "wednesday",
    "donnerstag": "thursday",
    "freitag": "friday",
    "samstag": "saturday",
    "sonnabend": "saturday",
    "sonntag": "sunday",
    "tag": "day",
    "um": "at",
    "ab": "after",
    "nach": "after",
    "vor": "before",
    "bis": "until",
}


# German meals as the time parser's meal words; 'nach dem Mittagessen' is 'after lunch', 'beim Mittagessen' 'at lunch'.
_GERMAN_MEALS = {
    "mittagessen": "lunch",
    "mittagspause": "lunch",
    "fruehstueck": "breakfast",
    "fruhstuck": "breakfast",
    "abendessen": "dinner",
}
_GERMAN_MEAL_WORDS = {
    "nach": "after",
    "vor": "before",
    "bis": "until",
    "um": "at",
    "ab": "after",
    "beim": "at",
    "zum": "at",
    "waehrend": "during",
    "wahrend": "during",
    "in": "during",
}
_GERMAN_ARTICLES = frozenset({"dem", "der", "den", "die", "das"})


def _meal_after(raw: list[str], i: int) -> str:
    """The meal a word before it times ('nach dem Mittagessen', 'beim Frühstück'), or ''."""
    j = i + 1
    if j < len(raw) and raw[j] in _GERMAN_ARTICLES:
        j += 1
    return _GERMAN_MEALS.get(raw[j], "") if j < len(raw) else ""


def german_time_words(raw: list[str]) -> list[str]:
    """'morgen nachmittag' -> 'tomorrow afternoon', 'um 14 uhr' -> 'at 14h', 'tag 2' -> 'day 2'.

    Only for questions detected as German: 'morgen' or 'um' mean nothing of the kind in English ones.
    """
    out: list[str] = []
    i = 0
    while i < len(raw):
        pair = (raw[i], raw[i + 1]) if i + 1 < len(raw) else None
        if pair in _GERMAN_TIME_PHRASES:
            out += _GERMAN_TIME_PHRASES[pair]
            i += 2
            continue
        w = raw[i]
        meal = _meal_after(raw, i) if w in _GERMAN_MEAL_WORDS else ""
        if meal:
            out += [_GERMAN_MEAL_WORDS[w], meal]
            i += 2 if raw[i + 1] in _GERMAN_MEALS else 3
            continue
        if w == "uhr" and out and out[-1].isdigit():
            out[-1] += "h"  # '14 uhr' -> '14h'
        elif w in ("ab", "nach", "vor", "bis", "um") and not (i + 1 < len(raw) and raw[i + 1][:1].isdigit()):
            out.append(w)  # 'nach' and 'vor' are times only before a clock time
        elif w == "tag" and not (i + 1 < len(raw) and raw[i + 1].isdigit()):
            out.append(w)
        else:
            out.append(_GERMAN_TIME_WORDS.get(w, w))
        i += 1
    return out


def _german_only(word: str) -> bool:
    """A word that says a question is German: a German function word or time word that is no English word too
    ('bei', 'noch', 'heute'; not 'die', 'war', 'fur')."""
    return (is_german_function_word(word) or word in _GERMAN_TIME_WORDS) and zipf(word, "en") < EVERYDAY


def german_function_words(raw: list[str], umlauted: set[str], lang: str) -> frozenset[str]:
    """The German function words of a question that it says itself is German, never to be searched.

    Short and mixed questions fool the detectors ('etwas für Anfänger heute' searched 'für'), so the words decide:
    a function word typed with its umlaut ('für') is German; one that is no English word ('denen', 'bei') is
    German in a question found German or holding another German word (one typed with an umlaut, or a function or
    time word no English word); one that is an English word too ('fur', 'die', 'war') needs both.
    """
    out = set()
    for word in set(raw):
        if not is_german_function_word(word):
            continue
        elsewhere = bool(umlauted - {word}) or any(_german_only(w) for w in raw if w != word)
        if zipf(word, "en") >= EVERYDAY:
            german = word in umlauted or (lang == "de" and elsewhere)
        else:
            german = lang == "de" or elsewhere
        if german:
            out.add(word)
    return frozenset(out)
