"""'switch to data ai sumit': which conference a person means when they say it the way they remember it.

People name a conference by some of its title's words ('ai summit'), its initials ('lca' for linux.conf.au),
a word of its slug, and with typos; they rarely type the slug. So every word said is matched to a word of the
title, the slug, the year or the initials, exactly or within a typo, and the conferences matching the most
words win. Two conferences that fit equally are not guessed between: the caller asks which one (unless they are
editions of one series, where the calendar picks as it does for 'switch to fosdem').
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rapidfuzz.distance import OSA

from bot.scope import by_calendar, family, named
from bot.search.language import is_everyday_word
from bot.search.text import compact, words
from bot.series import series_names
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


@dataclass(frozen=True)
class Choice:
    """The conference a name picks (`chosen`), the others it also fits (`others`), or, when it fits several
    alike and none is running, those to ask between (`ambiguous`)."""

    chosen: Conference | None = None
    others: tuple[Conference, ...] = ()
    ambiguous: tuple[Conference, ...] = ()
    why: str = ""  # running, next, recent: how the calendar chose among several


def choose(conferences: list[Conference], text: str, now: datetime) -> Choice:
    """'ccc' during 38C3 is 38C3, though 35C3, 36C3 and the camp fit too: among the conferences a series name
    (or any name) fits, the one running now wins, else for a series the next to start, else the most recent;
    the others are named so nobody is moved silently. Different conferences fitting alike, none running, are
    asked between."""
    key = compact(text)
    exact = named(conferences, text, now)
    if exact is not None and key not in series_names(exact):
        return Choice(exact)
    series = [c for c in conferences if key and key in series_names(c)]
    fits = conferences_named(conferences, text, now)
    pool = series + [c for c in fits if c not in series]
    if not pool:
        return Choice()
    if len(pool) == 1:
        return Choice(pool[0])
    picked = by_calendar(pool, now)
    assert picked is not None
    conf, why = picked
    if series or why == "running":
        others = sorted((c for c in pool if c is not conf), key=_latest_first)
        return Choice(conf, tuple(others), why=why)
    return Choice(ambiguous=tuple(pool))


def _latest_first(conf: Conference) -> tuple[int, str]:
    return (-(conf.start.toordinal() if conf.start else 0), conf.slug)


# Words before a conference named inside a question: 'kubernetes at lca', 'rust bei der FOSDEM 2025'.
JOINERS = frozenset({"at", "in", "from", "of", "during", "bei", "auf", "im", "von", "waehrend", "wahrend"})
_ARTICLES = frozenset({"the", "der", "die", "dem", "den", "das"})
LONGEST_NAME = 4  # 'data ai summit 2025'


def named_in_question(conferences: list[Conference], text: str, now: datetime) -> tuple[Conference | None, str]:
    """'kubernetes at lca', 'rust at fosdem-2025 tomorrow', 'postgres at the data ai summit': the conference
    named after 'at'/'in'/'bei', by the same words, initials and typos `switch to` understands, and the question
    without it. Only when every word of the name fits one conference: 'at Janson' (a room) or 'in rust' (a topic)
    stay in the question, and so does a lone everyday word ('in data', 'at the summit')."""
    if len(conferences) < 2:
        return None, text
    parts = text.split()
    for i, word in enumerate(parts):
        if compact(word) not in JOINERS:
            continue
        start = i + 1 + (i + 1 < len(parts) and compact(parts[i + 1]) in _ARTICLES)
        for size in range(min(LONGEST_NAME, len(parts) - start), 0, -1):
            conf = _names_one(conferences, " ".join(parts[start : start + size]), now)
            rest = " ".join(parts[:i] + parts[start + size :])
            if conf is not None and rest.strip(" ?!.,:;"):
                return conf, rest
    return None, text


def _names_one(conferences: list[Conference], phrase: str, now: datetime) -> Conference | None:
    """The one conference every word of a phrase fits, else None."""
    exact = named(conferences, phrase, now)
    if exact is not None:
        return exact
    said = [w for w in words(phrase) if w not in _FILLER]
    if not said or len(said) == 1 and is_everyday_word(said[0], "en"):
        return None
    found = conferences_named(conferences, phrase, now)
    if len(found) != 1 or not all(_fits(w, vocabulary(found[0])) for w in said):
        return None
    return found[0]
