"""'switch to data ai sumit': which conference a person means when they say it the way they remember it.

People name a conference by some of its title's words ('ai summit'), its initials ('lca' for linux.conf.au),
a word of its slug, and with typos; they rarely type the slug. So every word said is matched to a word of the
title, the slug, the year or the initials, exactly or within a typo, and the conferences matching the most
words win. Two conferences that fit equally are not guessed between: the caller asks which one (unless they are
editions of one series, where the calendar picks as it does for 'switch to fosdem').
"""

from __future__ import annotations

from datetime import datetime

from rapidfuzz.distance import OSA

from bot.scope import by_calendar, family, named
from bot.search.text import words
from catalog.model import Conference

# Words that name no conference: 'switch to the data and ai summit', 'the conference in berlin'.
_FILLER = frozenset(
    {"the", "a", "an", "and", "of", "at", "in", "on", "for", "from", "to", "conference", "conf", "event"}
)
SHORTEST_TYPO = 4  # a typo is told from another word only in words this long: 'ai' is not 'au'


def vocabulary(conf: Conference) -> set[str]:
    """Every word that stands for this conference: title and slug words, its year, and the title's initials."""
    title = words(conf.title)
    found = set(title) | set(words(conf.slug.replace("-", " ")))
    if conf.start:
        found.add(str(conf.start.year))
    lettered = [w for w in title if w[0].isalpha()]
    if len(lettered) >= 2:
        found.add("".join(w[0] for w in lettered))
    return found


def _fits(word: str, known: set[str]) -> int:
    """2 for a word of the conference, 1 for a typo of one (one edit, two in long words), 0 for neither."""
    if word in known:
        return 2
    if len(word) < SHORTEST_TYPO or not word.isalpha():
        return 0
    edits = 1 if len(word) < 8 else 2
    close = (k for k in known if k.isalpha() and abs(len(k) - len(word)) <= edits)
    return 1 if any(OSA.distance(word, k, score_cutoff=edits) <= edits for k in close) else 0


def conferences_named(conferences: list[Conference], text: str, now: datetime) -> list[Conference]:
    """One conference when the words name one; several when they fit several equally well; none when none.

    Every word said should fit; one word in three may be missing from the title (said from memory)."""
    exact = named(conferences, text, now)
    if exact is not None:
        return [exact]
    said = [w for w in words(text) if w not in _FILLER] or words(text)
    if not said:
        return []
    scored: list[tuple[tuple[int, int], Conference]] = []
    for conf in conferences:
        known = vocabulary(conf)
        fits = [_fits(w, known) for w in said]
        matched = sum(1 for f in fits if f)
        if matched and 3 * matched >= 2 * len(said):
            scored.append(((matched, sum(fits)), conf))
    if not scored:
        return []
    best = max(score for score, _ in scored)
    tied = [conf for score, conf in scored if score == best]
    series = {family(c) for c in tied}
    if len(tied) > 1 and len(series) == 1 and "" not in series:
        chosen = by_calendar(tied, now)
        return [chosen[0]] if chosen else tied
    return tied
