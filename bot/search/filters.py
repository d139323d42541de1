"""Filters a question asks for: a conference, a time window, a speaker, a track, a room.

Each returns a boolean mask over the index's sessions (or None when nothing matched, so the words can be
searched as words instead).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from bot.search.clauses import Clause
from bot.search.fuzzy import allowed_edits, corrections
from bot.search.index import Ints, SearchIndex
from bot.search.parts import conference_languages
from bot.search.query import STOPWORDS, ParsedQuery
from bot.search.rooms import room_names
from bot.search.text import compact, tokens, words
from bot.search.timephrases import resolve
from bot.search.tracks import track_names
from catalog.model import Conference
from catalog.times import tz_from_name


def conference_mask(index: SearchIndex, conference: str | None) -> np.ndarray:
    if conference is None:
        return np.ones(index.n, dtype=bool)
    mask = np.zeros(index.n, dtype=bool)
    found = index.conference_range(conference)
    if found is not None:
        mask[found[0] : found[1]] = True
    return mask


def mask_of(index: SearchIndex, docs: set[int]) -> np.ndarray:
    mask = np.zeros(index.n, dtype=bool)
    mask[list(docs)] = True
    return mask


def named_by(index: SearchIndex, clause: Clause) -> np.ndarray:
    """The sessions where any alternative of a clause is named (all its words, in its fields): 'but not LLMs'
    leaves these out whatever else the question asks, a topic or only a time ('tomorrow without rust')."""
    mask = np.zeros(index.n, dtype=bool)
    for alt in clause.alternatives:
        held: Ints | None = None
        for term in alt.terms:
            docs = index.postings_in(term, alt.fields)[0]
            held = docs if held is None else np.intersect1d(held, docs, assume_unique=True)  # postings: no repeats
        if held is not None:
            mask[held] = True
    return mask


def time_mask(index: SearchIndex, parsed: ParsedQuery, now: datetime, allowed: np.ndarray) -> tuple[np.ndarray, str]:
    mask = np.zeros(index.n, dtype=bool)
    spec = parsed.time
    assert spec is not None
    if spec.problem:  # "feb 30", "at 25:61": said in words, never searched
        return mask, spec.problem
    # Each conference reads the phrase in its own zone and dates (conferences sharing them share the reading);
    # the windows are then spread over each conference's sessions and compared in one pass over all of them.
    # Counted, not sorted: np.unique sorted every allowed session's conference, milliseconds at 100k sessions.
    holds = _holding(index, allowed)
    present = set(np.flatnonzero(holds).tolist())
    placed = False
    bounds = np.full((3, len(index.slugs)), np.nan)  # per conference: how to compare (0 now, 1 at, 2 within), lo, hi
    readings, reading_of = _readings(index)
    beyond: list[str] = []  # readings whose conference the window misses: over before it, or not yet begun
    # A set, not np.unique: that reads numpy.ma in on first use, 8 ms inside the first question with a time.
    for number in sorted(set(reading_of[holds].tolist())):
        zone_name, first, last = readings[number]
        zone = tz_from_name(zone_name) if zone_name else now.tzinfo
        assert zone is not None
        window = resolve(spec, now, zone, first, last)
        if window is not None:
            beyond.append(
                _outside(window.start.astimezone(zone).date(), window.end.astimezone(zone).date(), first, last)
            )
            placed = True
            how = {"now": 0, "at": 1}.get(window.mode, 2)
            bounds[:, holds & (reading_of == number)] = np.array(
                [[how], [window.start.timestamp()], [window.end.timestamp()]]
            )
    if placed:
        mode, lo, hi = (np.repeat(row, np.diff(index.part_starts)) for row in bounds)
        starts, ends = index.starts, index.ends
        # Usually every conference compares one way: only that comparison is made (a conference with no window
        # has no bounds, and fails every comparison alike).
        modes = set(bounds[0][~np.isnan(bounds[0])].tolist())
        with np.errstate(invalid="ignore"):
            if modes == {0}:
                mask = (starts <= lo) & (ends > lo)
            elif modes == {1}:
                mask = (starts < hi) & (ends > lo)
            elif modes == {2}:
                mask = (starts >= lo) & (starts < hi)
            else:
                mask = np.where(
                    mode == 0,
                    (starts <= lo) & (ends > lo),
                    np.where(mode == 1, (starts < hi) & (ends > lo), (starts >= lo) & (starts < hi)),
                )
    if not placed:
        names = [index.conferences[s] for s in index.conferences if index.conference_ids[s] in present]
        spans = "; ".join(f"{c.title} runs {span(c)}" for c in names[:3])
        return mask, f"No day of the conference matches '{spec.label}'" + (f" ({spans})." if spans else ".")
    # Only for a time read from now ('tomorrow', 'now'): a date asked for is answered as that date.
    relative = spec.day_kind == "offset"
    if relative and len(beyond) == 1 and beyond[0] and len(present) == 1 and not (mask & allowed).any():
        return mask, _not_on(index.conferences[index.slugs[present.pop()]], beyond[0], spec.label, parsed)
    return mask, ""


def _outside(start: date, end: date, first: date | None, last: date | None) -> str:
    """'ended' when a window begins after a conference's last day, 'starts' when it ends before its first."""
    if last is not None and start > last:
        return "ended"
    if first is not None and end < first:
        return "starts"
    return ""


def _not_on(conf: Conference, why: str, when: str, parsed: ParsedQuery) -> str:
    """'tomorrow morning' a year after the conference: the time is not wrong, the conference is over; said so,
    with how to see what it had (the same question without the time)."""
    day = conf.end if why == "ended" else conf.start
    assert day is not None
    said = f"{conf.title} ended on {day:%a %d %b %Y}" if why == "ended" else f"{conf.title} starts on {day:%a %d %b %Y}"
    topic = " ".join(parsed.words)
    ask = f"'{topic}' without a time" if topic else "without a time"
    return f"{said}: nothing of it is on {when}. Ask {ask} for its sessions."


def _holding(index: SearchIndex, allowed: np.ndarray) -> np.ndarray:
    """Which conferences have an allowed session: one reduction over each conference's consecutive sessions."""
    sizes = np.diff(index.part_starts)
    holds = np.zeros(len(index.slugs), dtype=bool)
    some = sizes > 0
    if some.any():
        holds[some] = np.logical_or.reduceat(allowed, index.part_starts[:-1][some])
    return holds


Reading = tuple[str, date | None, date | None]


def _readings(index: SearchIndex) -> tuple[list[Reading], Ints]:
    """The distinct (zone, first day, last day) of the index's conferences, and which each conference has: a time
    phrase is read once per distinct one, not once per conference (hundreds, in a hosted store)."""
    found = index.time_readings
    if found is None:
        keys: dict[Reading, int] = {}
        every = (index.conferences[slug] for slug in index.slugs)
        of = [keys.setdefault((c.timezone, c.start, c.end), len(keys)) for c in every]
        found = list(keys), np.array(of, dtype=np.int64)
        index.time_readings = found
    return found


def speaker_docs(index: SearchIndex, text: str) -> set[int]:
    """Sessions of the person named: every word of the name must match a word of one speaker's name."""
    exact = index.compact_speakers.get(compact(text))
    if exact:
        return set(exact)
    docs: set[int] | None = None
    for term in tokens(text):
        options = set(index.speaker_terms.docs(term).tolist())
        if not options:
            for candidate, _ in corrections(index, term):
                options |= set(index.speaker_terms.docs(candidate).tolist())
        docs = options if docs is None else docs & options
        if not docs:
            return set()
    return docs or set()


# Names are typed from memory: one slip is forgiven in a name of four letters too ('ruht' is Ruth), none shorter.
SHORT_NAME = 4


def part_fits(typed: str, part: str) -> bool:
    """A word typed for one part of a name: that part, its start ('lenn'), or the part within the typo rule (one
    slip in 4 to 8 letters, two beyond: 'poetering' is Poettering; 'leemhuis' is no Behrens, 'delta' no Roy)."""
    from bot.search.slips import slips

    edits = allowed_edits(typed) or (1 if len(typed) >= SHORT_NAME else 0)
    return typed == part or part.startswith(typed) or slips(typed, part) <= edits


def name_fits(typed: str, full: str) -> bool:
    """Every word typed is a part of one person's name, as `part_fits` reads it."""
    parts = words(full)
    return all(any(part_fits(w, p) for p in parts) for w in words(typed))


@dataclass(frozen=True)
class TrackMatch:
    mask: np.ndarray
    names: frozenset[str]  # the names of the tracks matched, as the schedule writes them


def track_match(index: SearchIndex, text: str, conference: str | None) -> TrackMatch | None:
    """The tracks a question names, the closest kind of match only: a track whose whole name was asked beats
    one whose name contains the words, which beats one containing them inside a longer word ('Go' devroom is
    not 'MicroGo and friends'), which beats one whose name is nearest to a misspelling ('databses')."""
    wanted = set(tokens(text)) - STOPWORDS
    squeezed = compact(text)
    names = track_names(index)
    tiers = (
        names.whole.get(squeezed, []) if squeezed else [],
        names.with_words(wanted) if wanted else set(),
        names.containing(squeezed) if len(squeezed) >= 3 else set(),
    )
    grouped: list[dict[str, set[int]]] = []
    for tier in tiers:
        by_conference: dict[str, set[int]] = defaultdict(set)
        for slug, key in tier:
            by_conference[slug].add(key)
        grouped.append(by_conference)
    keys: set[int] = set()
    for slug in set().union(*grouped):  # per conference: each catalog's closest match counts
        if conference in (None, slug):
            keys |= next(g[slug] for g in grouped if slug in g)
    if not keys and not all(index.df(term) for term in wanted):  # a word the catalog has is meant as typed
        keys = {key for _, key in names.nearest(squeezed, allowed_edits(squeezed), conference)}
    if not keys:
        return None
    return TrackMatch(np.isin(index.track_of, list(keys)), frozenset(names.named[key] for key in keys))


def room_mask(index: SearchIndex, text: str, conference: str | None) -> np.ndarray | None:
    rooms = rooms_starting(index, text, conference)
    return rooms_mask(index, rooms) if rooms else None


def rooms_starting(index: SearchIndex, text: str, conference: str | None) -> set[str]:
    """Rooms whose name starts with what followed 'room' ('room K.4', 'in UB5.132'), in the conference asked."""
    squeezed = compact(text)
    return in_scope(index, room_names(index).starting(squeezed), conference) if squeezed else set()


def span(conf: Conference) -> str:
    if conf.start and conf.end:
        return f"{conf.start:%a %d %b} to {conf.end:%a %d %b %Y}"
    return "on dates not yet known"


def language_mask(index: SearchIndex, code: str) -> np.ndarray:
    """Sessions held in a language: the catalog's language field, or the language of the title and abstract
    where the catalog gives none (detected at import and saved with each conference's part; for a part saved
    before that, once per index, on the first question that asks)."""
    if index.session_languages is None:
        index.session_languages = saved_languages(index) or [
            languages for slug in index.slugs for languages in conference_languages(index.sessions_of(slug))
        ]
    return np.fromiter((code in langs for langs in index.session_languages), dtype=bool, count=index.n)


def saved_languages(index: SearchIndex) -> list[frozenset[str]] | None:
    """Every session's languages in index order, from the parts' saved facts; None when a part has none saved."""
    found: list[frozenset[str]] = []
    for number in range(len(index.slugs)):
        try:
            saved = index.part(number).facts.get("languages")
        except (AssertionError, OSError, ValueError):  # an index held in memory, or a part that cannot be read
            return None
        if saved is None:
            return None
        found.extend(frozenset(codes) for codes in saved)
    return found if len(found) == index.n else None


def room_named(index: SearchIndex, text: str, conference: str | None) -> set[str]:
    """Rooms a word after 'in'/'at' names: 'Janson' for 'Janson', 'Ada' (not 'Adams') for 'Ada', 'Saal 1'.

    The whole name first, then the first word of a name ('Janson' for 'Janson (Main Hall)'), then the start of
    a name of at least four letters. Empty when the word names no room here, so it is searched as a word; empty
    too when only part of a name was given and several rooms share it ('Saal' of 'Saal 1', 'Saal GLITCH' ...):
    that word says no one room, and filtering on all of them would answer with every hall.
    """
    squeezed = compact(text)
    if len(squeezed) < 2:
        return set()
    names = room_names(index)
    found = in_scope(index, names.whole.get(squeezed, frozenset()), conference)
    if found:
        return found
    found = in_scope(index, names.first.get(squeezed, frozenset()), conference)
    if not found and len(squeezed) >= 4:
        found = in_scope(index, names.starting(squeezed), conference)
    if len(found) == 1:
        return found
    words = text.split()
    if len(words) > 1 and words[0] in ROOM_WORDS:  # 'in Saal Adams' where the schedule calls it 'Adams'
        return room_named(index, " ".join(words[1:]), conference)
    return set()


# Words people put before a room's name that the schedule may leave out ('Saal Adams' for 'Adams').
ROOM_WORDS = frozenset("saal room raum hall halle horsaal hoersaal stage buhne buehne".split())


def in_scope(index: SearchIndex, rooms: set[str] | frozenset[str], conference: str | None) -> set[str]:
    """The rooms among some that the conference asked about has (all of them when none is)."""
    return set(rooms) if conference is None else set(rooms) & index.rooms.get(conference, set())


def rooms_mask(index: SearchIndex, rooms: set[str]) -> np.ndarray:
    ids = room_names(index).ids
    keys = [key for room in rooms for key in ids.get(room, ())]
    return np.isin(index.room_of, keys)
