"""Languages of questions and sessions: which one a text is in, its stop words, its word forms, and how common
a word is in everyday use (so "anything" or "gibt" weighs less than "amateur" or "Datenschutz").

Every table comes from a package that ships its data: py3langid (language identification), stopwordsiso (ISO
stop word lists), PyStemmer (Snowball stemmers) and wordfreq (general-language word frequencies). Each is loaded
once per process on first use, never at index build.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

# Languages whose stop words, stemmers and frequencies are used; the first is the fallback.
LANGUAGES = ("en", "de", "fr", "es", "nl", "it")
STEMMER_NAMES = {"en": "english", "de": "german", "fr": "french", "es": "spanish", "nl": "dutch", "it": "italian"}
# A word this common in everyday language (Zipf scale: 6 is once per thousand words, 3 once per million) carries
# little of a question's topic; a word at or below RARE carries all of it.
COMMON, RARE = 6.3, 3.6
MIN_WEIGHT = 0.2
STOPWORD_WEIGHT = 0.1  # kept (a half-remembered title may need it) but hardly counted
EVERYDAY = 3.0  # a word at least this common is a real word, not a typo of a catalog word
# A stop word this common (about once in a thousand words) is a word of the sentence ('into', 'should', 'sind',
# 'dem'), never its topic; rarer stop words ('web', 'zero', 'making', 'high') may still name one.
FUNCTION = 5.9
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})
_HAS_UMLAUT = re.compile("[äöüßÄÖÜ]")
# How a language asked for is said back ("Nothing found for 'talks in German' tomorrow").
SPOKEN = {"de": "German", "en": "English", "fr": "French", "es": "Spanish", "nl": "Dutch", "it": "Italian"}
# Names of languages as people write them in a question, in English and German, with their ISO codes.
LANGUAGE_NAMES = {
    "english": "en",
    "englisch": "en",
    "englische": "en",
    "englischen": "en",
    "englischer": "en",
    "englischsprachig": "en",
    "englischsprachige": "en",
    "englischsprachigen": "en",
    "german": "de",
    "deutsch": "de",
    "deutsche": "de",
    "deutschen": "de",
    "deutscher": "de",
    "deutschsprachig": "de",
    "deutschsprachige": "de",
    "deutschsprachigen": "de",
    "french": "fr",
    "franzoesisch": "fr",
    "francais": "fr",
    "spanish": "es",
    "spanisch": "es",
    "espanol": "es",
    "dutch": "nl",
    "niederlaendisch": "nl",
    "italian": "it",
    "italienisch": "it",
    "italiano": "it",
}
LANGUAGE_LABELS = {"en": "English", "de": "German", "fr": "French", "es": "Spanish", "nl": "Dutch", "it": "Italian"}


def transliterate(text: str) -> str:
    """'Geräten' -> 'geraeten': the German way of writing without umlauts, kept apart from 'geraten'."""
    return text.lower().translate(_UMLAUTS)


def has_umlaut(text: str) -> bool:
    return bool(_HAS_UMLAUT.search(text))


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from bot.search.langcache import identifier

    return identifier(LANGUAGES)


@lru_cache(maxsize=4096)
def detect(text: str) -> str:
    """The language a question or a session is written in, among LANGUAGES.

    Short questions are hard for any detector, so stop words decide first when they clearly point one way
    ("was gibt es zu X" is German whatever X is); the statistical model decides the rest.
    """
    words = re.findall(r"[^\W\d_]+", text.lower())
    if not words:
        return LANGUAGES[0]
    hits = {lang: sum(1 for w in words if w in stopwords(lang)) for lang in ("en", "de")}
    if hits["de"] > hits["en"] or (has_umlaut(text) and hits["de"] >= hits["en"]):
        return "de"
    if hits["en"] > hits["de"]:
        return "en"
    found = str(_identifier().classify(text)[0])
    return found if found in LANGUAGES else LANGUAGES[0]


@lru_cache(maxsize=len(LANGUAGES))
def stopwords(lang: str) -> frozenset[str]:
    """The ISO list for a language, folded as the index folds words (with both umlaut spellings)."""
    import stopwordsiso

    from bot.search.text import fold

    words = set()
    for w in stopwordsiso.stopwords(lang) if lang in LANGUAGES else ():
        words.add(fold(w))
        words.add(transliterate(w))
    return frozenset(words - PROTECTED)


# Words the ISO lists count as stop words that name a topic at a technical conference.
PROTECTED = frozenset(
    """computer computers system systems research information microsoft problem problems internet security
    science data network networks software hardware program programs programming game games music art women
    world state states member members number numbers home page pages test tests open free go""".split()
)


@lru_cache(maxsize=len(LANGUAGES))
def stemmer(lang: str) -> Any:
    import Stemmer

    return Stemmer.Stemmer(STEMMER_NAMES.get(lang, "english"))


@lru_cache(maxsize=100_000)
def stem_in(lang: str, word: str) -> str:
    """The Snowball stem of a folded word: 'Sicherheitslücken' and 'Sicherheitslücke' share one."""
    return str(stemmer(lang).stemWord(word))


@lru_cache(maxsize=len(LANGUAGES))
def frequencies(lang: str) -> dict[str, float]:
    """wordfreq's table for a language: word -> share of all words in everyday text."""
    from bot.search.langcache import frequencies as table

    # The small list holds every word used at least once per million words (Zipf 3): all that the weights and
    # the typo rule ask about, since anything rarer counts as rare alike.
    return table(lang if lang in LANGUAGES else "en")


def zipf(word: str, lang: str) -> float:
    """Zipf frequency: log10 of occurrences per billion words (0 when the word is not in everyday use)."""
    share = frequencies(lang).get(word, 0.0)
    return math.log10(share) + 9.0 if share > 0 else 0.0


def prepare(languages: tuple[str, ...] = ("en", "de")) -> None:
    """Load the language data a question needs (about a second) before the first question, at start-up."""
    _identifier()
    for lang in languages:
        stopwords(lang)
        frequencies(lang)
        stemmer(lang)


def everyday_weight(word: str, lang: str) -> float:
    """How much of a question's topic a word can carry, by how common it is in everyday language.

    'get', 'anything', 'gibt' weigh little; 'amateur', 'Datenschutz' weigh fully. Checked in the question's
    language and in English, since technical English words appear in every language's questions.
    """
    if len(word) <= 1:
        return MIN_WEIGHT
    lang = lang if lang in ("en", "de") else "en"  # everyday frequencies are loaded for these two only
    common = max(zipf(word, lang), zipf(word, "en") if lang != "en" else 0.0)
    if common <= RARE:
        return 1.0
    if common >= COMMON:
        return MIN_WEIGHT
    return 1.0 - (1.0 - MIN_WEIGHT) * (common - RARE) / (COMMON - RARE)


def language_code(value: str) -> set[str]:
    """A session's language field ('de', 'de, en', 'German', 'en-GB') as ISO codes."""
    out = set()
    for part in re.split(r"[,;/ ]+", value.lower()):
        if not part:
            continue
        code = LANGUAGE_NAMES.get(part, part.split("-")[0].split("_")[0])
        out.add(code[:2])
    return out


def importance(word: str, lang: str) -> float:
    """A question word's share of the topic: stop words of the question's language (or English) little,
    everyday words less than rare ones."""
    weight = everyday_weight(word, lang)
    if word in stopwords(lang) or word in stopwords("en"):
        return min(weight, STOPWORD_WEIGHT)
    return weight


# Words of the ISO lists that name things in titles though they are that common: numbers and ordinals, nouns and
# adjectives ('first steps in rust', 'ten years of', 'back to basics', 'the future of work', 'good first issues').
NAMING_WORDS = frozenset(
    """one two first back new good right way work year years other zwei gut zeit menschen mensch jahr jahre jahren
    ende teil wissen sache beispiel recht rechte ordnung gott mittel""".split()
)
# A German stop word this common is a word of the sentence in a German question ('für', 'denen', 'bei', 'noch').
GERMAN_FUNCTION = 5.5
_UMLAUT_OF = {"a": "ä", "o": "ö", "u": "ü"}


def is_function_word(word: str, lang: str) -> bool:
    """'into', 'but', 'sind', 'ist': a stop word of the question's language (or English) in very common use.

    These hold a sentence together and name nothing, so they are not searched beside the words that do.
    """
    if word in NAMING_WORDS:
        return False
    lang = lang if lang in ("en", "de") else "en"
    if word in stopwords(lang) and zipf(word, lang) >= FUNCTION:
        return True
    return word in stopwords("en") and zipf(word, "en") >= FUNCTION


def german_zipf(word: str) -> float:
    """How common a folded word is in German, by its spelling with umlauts: 'fur' and 'fuer' are 'für', which
    everyday German uses a thousand times more often than the table's 'fur'."""
    spellings = {word, word.replace("ae", "ä").replace("oe", "ö").replace("ue", "ü")}
    vowels = [i for i, c in enumerate(word) if c in _UMLAUT_OF]
    if len(vowels) <= 2:  # function words are short: 'fur', 'uber', 'konnen'
        for i in vowels:
            spellings |= {s[:i] + _UMLAUT_OF[s[i]] + s[i + 1 :] for s in list(spellings) if len(s) == len(word)}
    return max(zipf(w, "de") for w in spellings)


def is_german_function_word(word: str) -> bool:
    """'für', 'denen', 'bei', 'noch': a German stop word in very common use, read by its umlaut spelling. Such a
    word is searched in no question that says otherwise that it is German (bot.search.query)."""
    return word not in NAMING_WORDS and word in stopwords("de") and german_zipf(word) >= GERMAN_FUNCTION


def is_everyday_word(word: str, lang: str) -> bool:
    """'tapping' is a word of its own, not a misspelling of the catalog's 'mapping'."""
    lang = lang if lang in ("en", "de") else "en"
    return max(zipf(word, lang), zipf(word, "en")) >= EVERYDAY
