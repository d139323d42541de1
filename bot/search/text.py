"""How words meet: accents and case folded, light plural stemming, hyphenated and joined words alike.

The same functions serve the index and the query, so whatever a person types is normalised exactly as the
catalog was.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters NFKD does not decompose into a base letter and a mark.
_SPECIAL = {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
_SPECIAL_RE = re.compile("[" + "".join(_SPECIAL) + "]")
_WORD = re.compile(r"[^\W_]+(?:\+\+|#)?")
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """'Čermák' -> 'cermak': what people type from memory rarely carries the accents."""
    if text.isascii():
        return text.lower()
    lowered = text.casefold()
    if _SPECIAL_RE.search(lowered):
        lowered = _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group()], lowered)
    return _MARKS.sub("", unicodedata.normalize("NFKD", lowered))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Plural and possessive endings only: 'managers' meets 'manager', 'crdts' meets 'crdt'.

    Deliberately light: stronger stemmers conflate names and product words that attendees search for exactly.
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "os")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """Folded words in order, before stemming (for phrases and display). Letters of any script count."""
    return _WORD.findall(fold(text))


_UMLAUT = re.compile("[äöüßÄÖÜ]")
_UMLAUT_WORD = re.compile(r"[^\W_]*[äöüßÄÖÜ][^\W_]*")
_VOWEL_UMLAUT = re.compile("[äöüÄÖÜ]")  # 'ß' folds to 'ss' already: only these spell differently
_TRANSLITERATE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def index_words(text: str) -> list[str]:
    """Words as the index stores them: a word with an umlaut also in its transliterated spelling.

    'Geräten' is stored as 'geraten' (for people who type without umlauts) and as 'geraeten', so a question
    typed with the umlaut can ask for exactly that word and not the different word 'geraten'.
    """
    found = words(text)
    if not _UMLAUT.search(text):
        return found
    extra = (fold(w.translate(_TRANSLITERATE)) for w in _UMLAUT_WORD.findall(text) if _VOWEL_UMLAUT.search(w))
    return found + list(extra)


def spelled(word: str) -> str:
    """The transliterated spelling of a word as typed ('Überwachung' -> 'ueberwachung'), or '' without umlauts."""
    if not _UMLAUT.search(word):
        return ""
    return fold(word.translate(_TRANSLITERATE))


def tokens(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


def joined_pairs(seq: list[str]) -> list[str]:
    """'risc v' -> 'riscv', 'libre office' -> 'libreoffice': written apart, hyphenated or joined, they meet."""
    return [a + b for a, b in zip(seq, seq[1:], strict=False) if a.isalpha()]


def compact(text: str) -> str:
    """A name with spaces and punctuation removed: 'K.4.401' and 'k4 401' both become 'k4401'."""
    return "".join(words(text))
