"""'Nothing found' when another conference in the store has it: say which one, and how to go there.

Every question is answered from one conference (bot/scope.py), so someone asking FOSDEM 2026 about MLflow got
typo guesses ('allow, flow') while the Data + AI Summit next to it has four MLflow talks. When the conference in
scope finds nothing, or only typo guesses, the store-wide index is asked once; a conference with real matches
(not typo readings of the words) is named in one line with what to say to ask it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import datetime

from bot.scope import label
from bot.search.engine import Hit, SearchEngine, SearchResult
from bot.search.query import ParsedQuery
from bot.search.text import fold, stem, tokens, words
from catalog.text import counted, start_of

WIDE = 200  # hits of the store-wide search read to count each conference's matches
PREFIX_LETTERS = 4  # a word asked this long may be the start of one in the schedule ('kube' of 'kubernetes')
_READ = re.compile(r"^read '(?P<typed>[^'→]+) → (?P<read>[^']+)'$")
_FORM = re.compile(r"^word form: (?P<form>.+)$")


def close_reading(typed: str, read: str) -> bool:
    """A typo the search mended ('mlflw → mlflow', 'lenart → Lennart'), not a different word it settled for
    ('mlflow → flow', 'kees → van'): one slip, two in a long word, or the word typed as the start of the one read."""
    from rapidfuzz.distance import OSA

    read = fold(read)
    return read.startswith(typed) or OSA.distance(typed, read) <= max(1, len(typed) // 4)


def typo_guess(hit: Hit) -> bool:
    """Found only by reading a word as another ('mlflow' as 'flow'): the reasons say "read 'x → y'"."""
    return any(reason.startswith("read '") for reason in hit.why)


def _readings(hit: Hit) -> dict[str, set[str]]:
    """The words a hit was found by in place of those typed: close typo mendings and forms of a word."""
    found: dict[str, set[str]] = {}
    for reason in hit.why:
        read, form = _READ.match(reason), _FORM.match(reason)
        if read and close_reading(read["typed"], read["read"]):
            found.setdefault(read["typed"], set()).update(tokens(read["read"]))
        elif form:
            found.setdefault("", set()).update(tokens(form["form"]))  # a form names no typed word: any may use it
    return found


def mended(hit: Hit, asked: tuple[str, ...]) -> list[str]:
    """The words asked as the hit read them: 'horovd' is said back as 'horovod', which is what was found."""
    reads: dict[str, str] = {}
    for reason in hit.why:
        read = _READ.match(reason)
        if read and close_reading(read["typed"], read["read"]):
            reads.setdefault(read["typed"], read["read"])
    return [reads.get(word, word) for word in asked]


def _asked(parsed: ParsedQuery) -> tuple[bool, list[str]]:
    """The words a question asks for, folded as typed; whether they name a person (held by speakers' names)."""
    by_person = bool(parsed.speaker) and not parsed.words
    return by_person, list(words(parsed.speaker) if by_person else parsed.words)


def held(hit: Hit, parsed: ParsedQuery) -> int:
    """How many of the words asked the session holds: as written, in a form of it, or mended from a typo. A word
    found only through another name of it (a synonym, a concept: 'ballot' for 'Wahlcomputer') is not held."""
    session = hit.session
    by_person, asked = _asked(parsed)
    fields = (
        session.speaker_names
        if by_person
        else (session.title, session.subtitle, session.abstract, session.track, *session.tags, *session.speaker_names)
    )
    have = set(tokens(" ".join(fields)))
    if asked and "".join(stem(w) for w in asked) in have:  # 'libre office' in 'LibreOffice'
        return len(asked)
    readings = _readings(hit)
    forms = readings.get("", set())
    count = 0
    for word in asked:
        options = {stem(word)} | readings.get(word, set()) | forms
        prefix = len(word) >= PREFIX_LETTERS and any(h.startswith(stem(word)) for h in have)
        count += bool(options & have or prefix)
    return count


def holds_asked(hit: Hit, parsed: ParsedQuery) -> bool:
    """Every word asked is in the session (see `held`); nothing asked in words (a time, a track): it holds."""
    return held(hit, parsed) == len(_asked(parsed)[1])


def real_match(hit: Hit, parsed: ParsedQuery) -> bool:
    """The words themselves found in the session, not a session counted only for sitting in a track about the
    topic (its reasons then say just 'matches' or '(on the topic)')."""
    vague = all(reason == "matches" or reason.endswith("(on the topic)") for reason in hit.why)
    return not vague and holds_asked(hit, parsed)


def weak(result: SearchResult) -> bool:
    """Nothing found, only typo guesses, or sessions that hold none of the words asked, only other names of
    them: worth looking elsewhere. Sessions holding some of several words are an answer: 'rust compiler llvm
    backend' is answered here, not sent to a conference whose three sessions hold all four."""
    if all(typo_guess(h) for h in result.hits):
        return True
    return bool(_asked(result.query)[1]) and not any(held(h, result.query) for h in result.hits)


def elsewhere(
    whole: SearchEngine,
    here: str | None,
    query: str,
    now: datetime,
    *,
    searching: bool = True,
    asking: str = "",
    timed: bool = False,
    on: str = "",
) -> str:
    """One line naming the other conference with the most real matches for `query`, or ''.


    `searching`: the question was a search, which can name the conference ('mlflow at dais-2025'); a command
    such as 'remind' cannot, so only 'switch to' is offered. `asking`: the question to offer with the conference
    named ('who is poettering' at fosdem-2025), where the search's words alone would ask something else.
    `timed`: a session is sought to be reminded of, so only sessions with a time are counted; a conference whose
    matches have none yet (the Data + AI Summit's keynotes) is named only when no other has any, and says so.
    `on`: the conference the person is on when this question named another ('and at fosdem?' on 38C3): never
    offered as somewhere to switch to, they are there already."""
    if len(whole.index.conferences) < 2:
        return ""
    result = whole.search(query, now=now, conference=None, limit=WIDE)
    found = [h for h in result.hits if h.conference not in (here, on) and real_match(h, result.query)]
    with_time = [h for h in found if h.session.start is not None]
    untimed = timed and not with_time
    counts = Counter(h.conference for h in (with_time if timed and with_time else found))
    if not counts:
        return ""
    slug, count = counts.most_common(1)[0]  # among equal counts, the conference of the best-ranked hit
    conf = whole.index.conferences[slug]
    parsed = result.query
    best = next(h for h in found if h.conference == slug)
    # A word typed many times is said once; a long question only by its start ('rust rust rust' pasted 400 times).
    typed = list(dict.fromkeys(mended(best, parsed.words)))
    asked = parsed.as_typed(typed) or parsed.speaker or parsed.track or parsed.room
    what = f" for '{start_of(asked)}'" if asked else ""
    plus = "+" if len(result.hits) == WIDE and count == WIDE else ""
    sessions = f"{counted(count, 'session').replace(' ', plus + ' ', 1)}{what}"
    by_person = parsed.speaker and not parsed.words  # 'poettering at X' alone would search words, not people
    phrase = asking or (f"talks by {parsed.speaker}" if by_person else asked)
    typeable = searching and phrase and start_of(phrase) == phrase  # a question too long to retype is not offered
    how = f"'{phrase} at {slug}', or 'switch to {slug}'" if typeable else f"'switch to {slug}'"
    yet = ", none with a time yet" if untimed else ""
    return f"{label(conf)} has {sessions}{yet}: say {how}."


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
