"""The words a question is built with, typed with a slip: 'tomorow', 'saturady', 'nachmitag', 'devrom', 'trakc'.

The search forgives a slip in a word it searches (bot.search.fuzzy), but the words that say when ('tomorrow') or
what kind of thing is asked for ('devroom') are never searched: they are read before the search. With a slip in
one, "postgresql devroom tomorow" became a search for 'tomorow' that found nothing. Such a word is read as the
one meant by the same typo rule, unless it is a word of its own ('mourning' is never 'morning') or one the
catalog uses (a speaker called Sundar is not Sunday).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

from bot.search.fuzzy import allowed_edits
from bot.search.language import is_everyday_word
from bot.search.text import stem

if TYPE_CHECKING:
    from bot.search.index import SearchIndex

Known = Callable[[str], bool]  # whether the catalog uses a word

ENGLISH_TIME_WORDS = frozenset(
    """today tonight tomorrow yesterday monday tuesday wednesday thursday friday saturday sunday morning afternoon
    evening night lunchtime""".split()
)
GERMAN_TIME_WORDS = frozenset(
    """heute morgen gestern morgens vormittag vormittags nachmittag nachmittags abend abends nachts montag dienstag
    mittwoch donnerstag freitag samstag sonnabend sonntag""".split()
)
KIND_WORDS = frozenset({"track", "tracks", "devroom", "devrooms"})
_DOUBLED = re.compile(r"(.)\1+")


def _single(word: str) -> str:
    """'tommorow' -> 'tomorow': a doubled letter typed once, or a single one twice, is one slip wherever it is."""
    return _DOUBLED.sub(r"\1", word)


def slips(typed: str, meant: str) -> int:
    """How many slips apart two words are (a swap of two letters is one, so is a letter doubled or not)."""
    from rapidfuzz.distance import OSA  # loaded by the first long word, not by every process start

    plain = int(OSA.distance(typed, meant))
    single = _single(typed), _single(meant)
    return min(plain, 1 + int(OSA.distance(*single))) if single[0] != typed or single[1] != meant else plain


def meant(word: str, vocabulary: frozenset[str], known: Known | None = None) -> str:
    """The one word of a small vocabulary a word was typed for, within the typo rule; '' when it was typed as
    meant, is a word of its own or of the catalog, or is as near to two of them."""
    from rapidfuzz.distance import OSA
    from rapidfuzz.process import extract

    edits = allowed_edits(word)
    if not edits or word in vocabulary or not word.isalpha():
        return ""
    # Every word of every question comes here: one pass in C over the vocabulary as typed and one with doubled
    # letters typed once ('tommorow'), each cut off at the rule.
    plain, singles = _prepared(vocabulary)
    distances: dict[str, int] = {}
    for found, distance, _ in extract(word, plain, scorer=OSA.distance, score_cutoff=edits, limit=None):
        distances[found] = int(distance)
    single = _single(word)
    for found, distance, _ in extract(single, list(singles), scorer=OSA.distance, score_cutoff=edits - 1, limit=None):
        other = singles[found]
        if single != word or found != other:
            distances[other] = min(distances.get(other, edits + 1), 1 + int(distance))
    near = [(d, w) for w, d in distances.items() if d <= edits and abs(len(w) - len(word)) <= edits]
    if not near:
        return ""
    best = min(d for d, _ in near)
    closest = [w for d, w in near if d == best]
    if len(closest) != 1 or is_everyday_word(word, "en") or is_everyday_word(word, "de"):
        return ""
    return "" if known is not None and known(word) else closest[0]


@lru_cache(maxsize=8)
def _prepared(vocabulary: frozenset[str]) -> tuple[list[str], dict[str, str]]:
    """A vocabulary as a list, and each of its words with doubled letters typed once (to the word), once."""
    return sorted(vocabulary), {_single(w): w for w in sorted(vocabulary)}


# After these a name follows, and a name is typed as it is spelled: 'talks by Sundar' asks for no Sunday.
NAME_BEFORE = frozenset({"by", "from", "with", "speaker", "speakers", "von", "mit"})


def read_slips(raw: list[str], vocabulary: frozenset[str], known: Known | None = None) -> list[str]:
    """The words of a question with each slip of the vocabulary read as the word meant."""
    words = vocabulary
    return [w if i and raw[i - 1] in NAME_BEFORE else meant(w, words, known) or w for i, w in enumerate(raw)]


@lru_cache(maxsize=4)
def time_and_kind_words(lang: str) -> frozenset[str]:
    """The words read before the search in a question of a language: German time words only in German ones,
    where 'morgen' is a time at all."""
    base = ENGLISH_TIME_WORDS | KIND_WORDS
    return base | GERMAN_TIME_WORDS if lang == "de" else base


def catalog_words(index: SearchIndex) -> Known:
    """Whether a word is one the catalog uses (as the index keeps it, plural and possessive endings off)."""
    return lambda word: stem(word) in index.vocab
