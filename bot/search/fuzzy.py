"""Typo tolerance as search engines do it: none under 5 letters, one edit for 5-8, two beyond.

Candidates come from the catalog's own vocabulary, compared only with words of a near length, and a
transposition ("duckbd") counts as one edit.
"""

from __future__ import annotations

from bot.search.index import SearchIndex


def allowed_edits(word: str) -> int:
    if len(word) < 5:
        return 0
    return 1 if len(word) <= 8 else 2


def corrections(index: SearchIndex, term: str, limit: int = 3, edits: int | None = None) -> list[tuple[str, int]]:
    """Nearest catalog terms within the allowed edits, closest first, then the most common.

    Results are remembered per index, since the same misspelling tends to come back.
    """
    cached = index.corrections_cached((term, edits))
    if cached is not None:
        return cached[:limit]
    found = _corrections(index, term, allowed_edits(term) if edits is None else edits)
    index.remember_corrections((term, edits), found)
    return found[:limit]


def _corrections(index: SearchIndex, term: str, edits: int) -> list[tuple[str, int]]:
    """Any single edit keeps either the first letter, or moves the second letter to first place, or keeps the
    second letter, or moves the first letter to second place; so four small lists hold every candidate one edit
    away (and nearly all two edits away), and no comparison with the whole vocabulary is needed.
    """
    if not edits or len(term) < 2:
        return []
    for allowed in range(1, edits + 1):  # the nearest words first: two edits only when nothing is one away
        found = _candidates(index, term, allowed)
        if found:
            return found
    return []


def _candidates(index: SearchIndex, term: str, edits: int) -> list[tuple[str, int]]:
    first, second = term[0], term[1]
    keys = {(first, "f"), (second, "f"), (first, "s"), (second, "s")}
    best: dict[str, int] = {}
    for length in range(len(term) - edits, len(term) + edits + 1):
        for letter, where in keys:
            bucket = (index.by_first if where == "f" else index.by_second).get((length, letter))
            for candidate, distance in _within(term, bucket or [], edits):
                best[candidate] = min(distance, best.get(candidate, edits))
    return sorted(best.items(), key=lambda c: (c[1], -index.df(c[0])))[:5]


def _within(term: str, choices: list[str], edits: int) -> list[tuple[str, int]]:
    if not choices:
        return []
    from rapidfuzz.distance import OSA  # loaded by the first typo, not by every process start
    from rapidfuzz.process import extract

    return [
        (candidate, int(distance))
        for candidate, distance, _ in extract(term, choices, scorer=OSA.distance, score_cutoff=edits, limit=None)
        if candidate != term
    ]
