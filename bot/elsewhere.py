"""'Nothing found' when another conference in the store has it: say which one, and how to go there.

Every question is answered from one conference (bot/scope.py), so someone asking FOSDEM 2026 about MLflow got
typo guesses ('allow, flow') while the Data + AI Summit next to it has four MLflow talks. When the conference in
scope finds nothing, or only typo guesses, the store-wide index is asked once; a conference with real matches
(not typo readings of the words) is named in one line with what to say to ask it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import datetime

from bot.scope import label
from bot.search.engine import Hit, SearchEngine, SearchResult
from catalog.text import counted, start_of

WIDE = 200  # hits of the store-wide search read to count each conference's matches


def typo_guess(hit: Hit) -> bool:
    """Found only by reading a word as another ('mlflow' as 'flow'): the reasons say "read 'x → y'"."""
    return any(reason.startswith("read '") for reason in hit.why)


def real_match(hit: Hit) -> bool:
    """The words themselves found in the session: not a typo reading, nor a session counted only for sitting in
    a track about the topic (its reasons then say just 'matches' or '(on the topic)')."""
    vague = all(reason == "matches" or reason.endswith("(on the topic)") for reason in hit.why)
    return not vague and not typo_guess(hit)


def weak(result: SearchResult) -> bool:
    """Nothing found, or only typo guesses: worth looking in the other conferences."""
    return all(typo_guess(h) for h in result.hits)


def elsewhere(
    whole: SearchEngine,
    here: str | None,
    query: str,
    now: datetime,
    *,
    searching: bool = True,
    asking: str = "",
    on: str = "",
) -> str:
    """One line naming the other conference with the most real matches for `query`, or ''.

    `on`: the conference the person is on when this question named another ('and at fosdem?' on 38C3): never
    offered as somewhere to switch to, they are there already.

    `searching`: the question was a search, which can name the conference ('mlflow at dais-2025'); a command
    such as 'remind' cannot, so only 'switch to' is offered. `asking`: the question to offer with the conference
    named ('who is poettering' at fosdem-2025), where the search's words alone would ask something else."""
    if len(whole.index.conferences) < 2:
        return ""
    result = whole.search(query, now=now, conference=None, limit=WIDE)
    counts = Counter(h.conference for h in result.hits if h.conference not in (here, on) and real_match(h))
    if not counts:
        return ""
    slug, count = counts.most_common(1)[0]  # among equal counts, the conference of the best-ranked hit
    conf = whole.index.conferences[slug]
    parsed = result.query
    # A word typed many times is said once; a long question only by its start ('rust rust rust' pasted 400 times).
    asked = parsed.as_typed(list(dict.fromkeys(parsed.words))) or parsed.speaker or parsed.track or parsed.room
    what = f" for '{start_of(asked)}'" if asked else ""
    plus = "+" if len(result.hits) == WIDE and count == WIDE else ""
    sessions = f"{counted(count, 'session').replace(' ', plus + ' ', 1)}{what}"
    by_person = parsed.speaker and not parsed.words  # 'poettering at X' alone would search words, not people
    phrase = asking or (f"talks by {parsed.speaker}" if by_person else asked)
    typeable = searching and phrase and start_of(phrase) == phrase  # a question too long to retype is not offered
    how = f"'{phrase} at {slug}', or 'switch to {slug}'" if typeable else f"'switch to {slug}'"
    return f"{label(conf)} has {sessions}: say {how}."


def pointed_elsewhere(
    result: SearchResult, whole: SearchEngine, here: str | None, now: datetime, on: str = ""
) -> SearchResult:
    """A weak result with a line on the conference that has the matches; its typo guesses then say nothing more."""
    if not weak(result):
        return result
    hint = elsewhere(whole, here, result.query.text, now, on=on)
    if not hint:
        return result
    return replace(result, message=f"{result.message} {hint}".strip(), suggestions=())
