"""'Did you mean' for a person: speakers whose first or last name is close to the one asked about.

The search's typo guesses come from every word of the schedule, so 'who is jake' was offered 'make, take'.
A question about a person is answered with people: a speaker any of whose names is a near spelling of each
name typed ('jake' -> Jack Adams, 'poetering' -> Lennart Poettering), or whose whole name is ('lenart potering').
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz, process, utils

from bot.context import Context
from bot.elsewhere import elsewhere
from bot.messages import Reply
from bot.search.engine import SearchResult
from bot.search.filters import name_fits, part_fits
from bot.search.query import STOPWORDS
from bot.search.text import fold, words

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


def a_name(text: str) -> bool:
    """'jake wharton', not 'the keynote speaker': a few words, none of them a joining word."""
    parts = text.lower().split()
    return 0 < len(parts) <= 4 and all(p.isalpha() and p not in STOPWORDS for p in parts)


def someone_else(result: SearchResult) -> str:
    """'talks by thorsten leemhuis' answered only with Thorsten Behrens: every session found is by someone who
    shares a part of the name asked, none by a person the whole name fits within the typo rule. The name as
    typed ('Thorsten Leemhuis') when so, else ''."""
    asked = result.query.speaker
    if not result.hits or not a_name(asked):
        return ""
    typed = words(asked)
    for hit in result.hits:
        people = hit.session.speaker_names
        if any(name_fits(asked, person) for person in people):
            return ""
        if not any(part_fits(w, p) for person in people for p in words(person) for w in typed):
            return ""  # found by a topic, not by a name: 'talks by rust'
    said = {fold(w): w for w in re.findall(r"[^\W_]+", result.query.text)}
    return " ".join(said.get(w, w) for w in typed)


def nobody(ctx: Context, name: str) -> Reply:
    """A person who is not in this schedule: say so, offer the speakers whose names are closest, never ordinary
    words that happen to be spelt alike ('make, take' for 'jake'), and the conference that has them, if any."""
    names = {n for s in ctx.engine().index.sessions_of(ctx.conference or "") for n in s.speaker_names}
    offered = close_speakers(names, name)
    text = f"No speaker called '{name}' in this schedule."
    there = (
        "" if ctx.locked() else elsewhere(ctx.whole(), ctx.conference, f"by {name}", ctx.now(), asking=f"who is {name}")
    )
    if offered and not there:  # the person found elsewhere comes first; a guess only when no conference has them
        text += f" Did you mean: {', '.join(offered)}?"
    return Reply(ctx.about_scope(f"{text} {there}".strip()))
