"""Typo tolerance as search engines do it: none under 5 letters, one edit for 5-8, two beyond.

Candidates come from the catalog's own vocabulary, compared only with words of a near length, and a
transposition ("duckbd") counts as one edit.
"""

from __future__ import annotations

from rapidfuzz.distance import OSA
from rapidfuzz.process import extract

from bot.search.index import SearchIndex


def allowed_edits(word: str) -> int:
    if len(word) < 5:
        return 0
    return 1 if len(word) <= 8 else 2


def corrections(index: SearchIndex, term: str, limit: int = 3, edits: int | None = None) -> list[tuple[str, int]]:
    """Nearest catalog terms within the allowed edits, closest first, then the most common.

    Typos rarely touch the first letter, so words sharing it (or swapped with the second) are tried first;
    only when none is close enough does the search widen to every word of a near length.
    """
    edits = allowed_edits(term) if edits is None else edits
    if not edits or len(term) < 2:
        return []
    lengths = range(len(term) - edits, len(term) + edits + 1)
    likely: list[str] = []
    for length in lengths:
        likely += index.by_first.get((length, term[0]), [])
        likely += index.by_first.get((length, term[1]), []) if term[1] != term[0] else []
        likely += [w for w in index.by_second.get((length, term[0]), []) if w[0] not in (term[0], term[1])]
    found = _within(term, likely, edits)
    if not found:
        found = _within(term, [w for length in lengths for w in index.by_length.get(length, [])], edits)
    found.sort(key=lambda c: (c[1], -index.df(c[0])))
    return found[:limit]


def _within(term: str, choices: list[str], edits: int) -> list[tuple[str, int]]:
    if not choices:
        return []
    return [
        (candidate, int(distance))
        for candidate, distance, _ in extract(term, choices, scorer=OSA.distance, score_cutoff=edits, limit=None)
        if candidate != term
    ]
