"""Word forms and compounds that should meet: 'Sicherheitslücken' and 'Sicherheitslücke', 'started' and
'starting', 'Softwarelizenzen' and 'software' + 'Lizenzen'.

The index keeps words nearly as written (names and product words are searched exactly), so other forms are
found at question time: catalog words that share the Snowball stem of a typed word, in the question's language
and in English, reached through the sorted vocabulary by their common beginning.
"""

from __future__ import annotations

from bisect import bisect_left

from bot.search.index import SearchIndex
from bot.search.language import stem_in

MAX_SCAN = 300
MIN_PART = 4  # the shortest part of a compound worth splitting off ("auto", "bahn")
LINKS = ("s", "es", "n", "en", "")  # German linking letters between the parts of a compound


def forms(index: SearchIndex, term: str, lang: str) -> list[str]:
    """Catalog words with the same stem as `term` in `lang` or English, other than `term` itself."""
    if len(term) < 4 or not term.isalpha():
        return []
    cached = index.forms_cache.get((term, lang))
    if cached is not None:
        return cached
    found: list[str] = []
    for code in dict.fromkeys((lang, "en")):
        root = stem_in(code, term)
        prefix = root[: max(4, len(root) - 1)]
        # An inflection keeps all of the word but its ending: most words sharing the first letters are ruled out
        # by that alone, before the stemmer is asked about them (most of the time of a word not asked before).
        stub = term[: max(0, len(term) - LONGEST_ENDING.get(code, LONGEST_ENDING["en"]))]
        vocab = index.fuzzy_vocab
        start = bisect_left(vocab, prefix)
        for candidate in vocab[start : start + MAX_SCAN]:
            if not candidate.startswith(prefix):
                break
            if (
                candidate != term
                and candidate.startswith(stub)
                and candidate not in found
                and inflections_of_one_word(term, candidate, code)
                and stem_in(code, candidate) == root
            ):
                found.append(candidate)
    index.forms_cache[(term, lang)] = found
    return found


# Endings that inflect a word without changing what it means (stemmers also strip derivations: 'extremism' and
# 'extremely' share the stem 'extrem'; 'security' and 'secure' share 'secur').
INFLECTIONS = {
    "en": frozenset({"", "s", "es", "e", "ed", "d", "ing", "er", "ers", "y", "ies", "ied"}),
    "de": frozenset({"", "e", "en", "n", "s", "es", "er", "ern", "em", "nen", "ens", "in", "innen"}),
    "fr": frozenset({"", "s", "e", "es", "x"}),
    "es": frozenset({"", "s", "es", "a", "as", "o", "os"}),
    "nl": frozenset({"", "s", "en", "e", "n"}),
    "it": frozenset({"", "i", "e", "a", "o"}),
}


LONGEST_ENDING = {code: max(map(len, endings)) for code, endings in INFLECTIONS.items()}


def inflections_of_one_word(a: str, b: str, lang: str) -> bool:
    """True when a and b differ only in inflectional endings after their common beginning."""
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    endings = INFLECTIONS.get(lang, INFLECTIONS["en"])
    return a[common:] in endings and b[common:] in endings


def known(index: SearchIndex, term: str, lang: str) -> bool:
    return term in index.vocab or bool(forms(index, term, lang))


def split_compound(index: SearchIndex, word: str, lang: str) -> list[str]:
    """'softwarelizenzen' -> ['software', 'lizenzen'] when the catalog knows both parts but rarely the whole.

    The split with the most common rarer part wins; a linking 's' or 'n' between the parts is tried too.
    """
    if len(word) < 2 * MIN_PART + 1 or not word.isalpha() or index.df(word) > 1:
        return []
    best: tuple[int, list[str]] = (0, [])
    for cut in range(MIN_PART, len(word) - MIN_PART + 1):
        head, tail = word[:cut], word[cut:]
        for link in LINKS:
            if link and not head.endswith(link):
                continue
            left = head[: len(head) - len(link)] if link else head
            if len(left) < MIN_PART:
                continue
            weight = min(_df(index, left, lang), _df(index, tail, lang))
            if weight > best[0]:
                best = (weight, [left, tail])
    return best[1]


def _df(index: SearchIndex, term: str, lang: str) -> int:
    if term in index.vocab:
        return index.df(term)
    return max((index.df(f) for f in forms(index, term, lang)), default=0)
