"""'Did you mean' for a person: speakers whose first or last name is close to the one asked about.

The search's typo guesses come from every word of the schedule, so 'who is jake' was offered 'make, take'.
A question about a person is answered with people: a speaker any of whose names is a near spelling of each
name typed ('jake' -> Jack Adams, 'poetering' -> Lennart Poettering), or whose whole name is ('lenart potering').
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process, utils

from bot.search.text import words

NAME_LIKENESS = 80  # rapidfuzz WRatio of whole names: 'jake wharton' and 'Jake Warton' are alike
PART_LIKENESS = 75  # rapidfuzz ratio of one name: 'jake' and 'jack' are; 'jake' and 'jan' are not
SHOWN = 3


def _part_fits(typed: str, part: str) -> bool:
    """A first or last name spelt nearly as typed, starting with the same letter (people rarely miss that one)."""
    return part[:1] == typed[:1] and (part.startswith(typed) or fuzz.ratio(typed, part) >= PART_LIKENESS)


def close_speakers(names: Iterable[str], typed: str, limit: int = SHOWN) -> list[str]:
    """Speakers whose names are near what was typed, closest first; never a word that is not a name."""
    wanted = words(typed)
    if not wanted:
        return []
    known = sorted(set(names))
    scored: dict[str, float] = {}
    for full in known:
        parts = words(full)
        if all(any(_part_fits(w, p) for p in parts) for w in wanted):
            scored[full] = fuzz.WRatio(typed, full, processor=utils.default_process)
    for full, score, _ in process.extract(
        typed, known, scorer=fuzz.WRatio, processor=utils.default_process, limit=limit
    ):
        if score >= NAME_LIKENESS:
            scored[full] = max(score, scored.get(full, 0.0))
    return sorted(scored, key=lambda n: (-scored[n], n))[:limit]
