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


# Single letters that are no words of their own. A letter hyphenated to a word ('E-Voting', 'X-ray', 'T-Shirt',
# 'USB-C') is one compound; letters with dots ('M.A.R.S.', 'J. R. R.'), spaced out ('b l a d e'), joined by a
# sign ('R&D', 'I/O', "c't") or in brackets inside a word ('Trace(r)s') spell one word.
_L = r"[^\W\d_]"
_LETTERS = re.compile(
    rf"""\b(?:(?P<dotted>{_L}(?:\.{_L})+\b\.?|(?:{_L}\.\s?){{2,}})
        |(?P<spaced>{_L}(?:\ {_L}){{2,}}\b)
        |(?<!-)(?P<letter>{_L})-(?P<word>{_L}[^\W_]+)
        |(?P<pair>{_L}[&/'’]{_L}\b))
    |-(?P<last>{_L})\b(?!-)
    |\((?P<paren>{_L})\)
    |(?P<escape>\\[rnt])""",
    re.VERBOSE,
)
_STEM = re.compile(r"(?<![^\W_-])[^\W_]{2,}$")  # the word before '-C' in 'USB-C'
# A text whose words hold no lone letter but 'a' and 'i' has nothing to join (most titles and abstracts).
_LONE = frozenset("bcdefghjklmnopqrstuvwxyz")
_CONTRACTED = frozenset("stmd")
_SIGNS = re.compile(r"[.\s&/'’]")


def _has_lone_letters(text: str, found: list[str]) -> bool:
    """Whether a text's words hold a lone letter other than 'a', 'i' and the ends of "it's", "don't", "I'm"."""
    lone = _LONE.intersection(found)
    if not lone or not lone <= _CONTRACTED:
        return bool(lone)
    return any(found.count(x) > text.count("'" + x) + text.count("’" + x) for x in lone)


def letter_words(text: str) -> tuple[str, list[str]]:
    """The text with letter compounds and spelled-out letters joined, and the words of the compounds.

    'E-Voting' -> 'EVoting' and 'Voting'; 'USB-C' -> 'USBC' and 'USB'; 'R&D', 'I/O' -> 'RD', 'IO';
    'M.A.R.S.' -> 'MARS'; 'b l a d e' -> 'blade'; 'Trace(r)s' -> 'Tracers'. A lone letter left over is a word
    of its own ('Programming in C', 'the R language').
    """
    parts: list[str] = []

    def join(m: re.Match[str]) -> str:
        group = m.lastgroup
        if group in ("dotted", "spaced"):
            return _SIGNS.sub("", m.group()) + " "
        if group == "word":
            parts.append(m.group("word"))
            return m.group("letter") + m.group("word")
        if group == "last":
            before = _STEM.search(text, max(0, m.start() - 40), m.start())
            if before is None:
                return m.group()
            parts.append(before.group())
            return m.group("last")
        if group == "pair":
            return _SIGNS.sub("", m.group())
        if group == "paren":
            glued = text[m.start() - 1 : m.start()].isalnum() or text[m.end() : m.end() + 1].isalnum()
            return m.group("paren") if glued else m.group()
        return " "  # '\r\n' written out in an abstract: no letters 'r' and 'n'

    return _LETTERS.sub(join, text), parts


def index_words(text: str) -> list[str]:
    """Words as the index stores them: a word with an umlaut also in its transliterated spelling, a letter
    compound joined and its word alone ('E-Voting': 'evoting' and 'voting').

    'Geräten' is stored as 'geraten' (for people who type without umlauts) and as 'geraeten', so a question
    typed with the umlaut can ask for exactly that word and not the different word 'geraten'.
    """
    found = words(text)
    if _has_lone_letters(text, found):
        text, parts = letter_words(text)
        found = words(text) + [fold(p) for p in parts]
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


def is_letter(word: str) -> bool:
    """A lone letter ('r', 'c', 'x'): almost no meaning on its own."""
    return len(word) == 1 and word.isalpha()


def letter_compound(word: str) -> tuple[str, str] | None:
    """'e-voting' -> ('evoting', 'voting'): a letter hyphenated to a word, as typed in a question."""
    letter, sep, rest = word.partition("-")
    if sep and is_letter(letter) and len(rest) > 1 and rest[0].isalpha() and "-" not in rest:
        return letter + rest, rest
    return None
