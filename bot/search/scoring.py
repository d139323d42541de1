"""Scoring a question's clauses over the sessions: each clause's best alternative per session, how much of the
question a session covers, and the levels that order sessions before their scores do.

The word asked beats a wider concept of it; asked for two things, a session holding both beats one naming either,
and a passing mention in an abstract comes last.
"""

from __future__ import annotations

from functools import reduce
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from bot.search.clauses import TRACK_TOPIC_SHARE, Alternative, Clause
from bot.search.expand import idf
from bot.search.index import NAMING, Floats, Ints, SearchIndex, field_bits
from bot.search.phrasings import phrase_postings
from bot.search.text import stem

CONTEXT_LIFT = 1.5  # a lone letter beside words that say what it names (the R language)
NAMED_IN = NAMING | field_bits("speakers")
# Asked for three things or more, a session that only mentions some in passing (no title, track, tag or name
# holds any) scores this share: an abstract saying 'spoiler' no longer beats the C++ titles of 'spoiler ... c++',
# while a question in words of its own still finds what its abstracts describe.
MENTION_ONLY = 0.8
WHOLE_LEVEL = 2.0  # the level of a session holding every thing asked (see score)
WHOLLY = 0.999  # the share of a question a session holding all of it holds (less a rounding)
# Alternatives that are the word asked: as typed, a form of it, its typo mended, another name of the same thing.
AS_TYPED = frozenset({"", "form", "typo", "synonym"})
# A word carrying this share of the question is what it names: sessions holding it come before those holding only
# a wider concept of it. A question put in many words of its own ('casting ballots over the internet') is about
# what they mean together: there the concepts are the point.
NAMED_SHARE = 0.75
# Where the words of a phrase asked are ('ham radio'), perhaps apart or only some: neither what was asked for
# certain (abstracts that say 'Linux' and 'phone' apart put the postmarketOS talks last) nor a wider concept.
PARTLY = 1e-12
WIDER_SHARE = 0.95  # the best concept-only match of a clause scores this share of the least match of the word


Bools = npt.NDArray[np.bool_]


class Matched(NamedTuple):
    """How a clause matches each session."""

    vec: Floats  # the best alternative's score
    complete: Floats  # how completely it matches (a share of a phrase's words)
    typed: Floats  # the best score of the word asked (as typed, a form, typo-mending or synonym); PARTLY for a phrase
    support: Ints  # the sessions any alternative reaches (sorted): the only ones where any of these is not zero
    single: Bools  # holding one word standing for the clause (not words of a phrase, perhaps apart)
    named: Bools  # naming it in a title, subtitle, track or tags, or as a speaker


def _alternative_postings(index: SearchIndex, alt: Alternative) -> tuple[Ints, Floats, Floats]:
    """An alternative's scores and shares over the sessions holding any of its words (zero everywhere else).

    Several words naming one thing score like one word (phrasings.py)."""
    ix = index
    if len(alt.terms) == 1:
        docs, scores = ix.postings_in(alt.terms[0], alt.fields)
        values = scores * alt.weight
        return docs, values, (values > 0).astype(np.float64)
    return phrase_postings(ix, alt)


def _clause_vector(index: SearchIndex, clause: Clause, where: bool) -> Matched:
    found = _best_alternatives(index, clause, where)
    if clause.context:
        # A lone letter beside words that say what it names ('R' in a title with 'programming') is lifted.
        beside = np.zeros(index.n, dtype=bool)
        for term in clause.context:
            beside[index.postings_in(term, NAMING)[0]] = True
        found = found._replace(vec=np.where(beside, found.vec * CONTEXT_LIFT, found.vec))
    return found


def _best_alternatives(index: SearchIndex, clause: Clause, where: bool) -> Matched:
    """The best alternative per session and more (see `Matched`). Single words (most alternatives: forms,
    synonyms, concepts) are merged through their postings alone, so a clause with many alternatives costs
    little more than one; where each is (a title, an abstract) is read in the same pass, and for a phrase
    only when asked (`where`)."""
    ix = index
    vec = np.zeros(ix.n)
    complete = np.zeros(ix.n)
    typed = np.zeros(ix.n)
    touched = np.zeros(ix.n, dtype=bool)
    single = np.zeros(ix.n, dtype=bool)
    named = np.zeros(ix.n, dtype=bool)
    for alt in clause.alternatives:
        if len(alt.terms) == 1:
            docs, v, masks = ix.postings_masked(alt.terms[0], alt.fields)
            v = v * alt.weight
            complete[docs] = 1.0
            if where:  # read only when a question asks for several things
                single[docs] = True
                named[docs[(masks & NAMED_IN) != 0]] = True
        else:  # zero outside its sessions, and every score and share is at least zero: the maximum is there
            docs, v, c = _alternative_postings(index, alt)
            complete[docs] = np.maximum(complete[docs], c)
            if where:  # postings are sorted, without repeats
                held = [ix.named_docs(t, NAMED_IN) for t in alt.terms]
                named[reduce(lambda a, b: np.intersect1d(a, b, assume_unique=True), held[1:], held[0])] = True
        vec[docs] = np.maximum(vec[docs], v)
        if alt.kind in AS_TYPED:
            typed[docs] = np.maximum(typed[docs], v if len(alt.terms) == 1 else PARTLY)
        touched[docs] = True
    return Matched(vec, complete, typed, np.flatnonzero(touched), single, named)


def score(index: SearchIndex, clauses: list[Clause]) -> tuple[Floats, Floats]:
    """Scores, and levels that order sessions before their scores do. Asked for two things ('postgres
    performance'), a session holding both comes first; then one naming the rarer in its title, track or tags,
    then one naming the other; a mere mention of one in an abstract last ('30 years of Postgres' and the
    performance talks above IAM talks whose abstracts say their data is in PostgreSQL). A question in more
    words of its own is about what they mean together: its scores alone order it.

    Each clause adds to the sessions it reaches only: a common word's clause at 100k sessions was a dozen
    passes over every session; the same additions over its own sessions give the same floats (elsewhere
    it added zeros)."""
    ix = index
    total = np.zeros(ix.n)
    covered = np.zeros(ix.n)
    hints: Floats | None = None  # a lone letter beside other words lifts what they found, and finds nothing itself
    weights = []
    clause_weights = [_clause_weight(index, c) for c in clauses]
    asked = sum(w for c, w in zip(clauses, clause_weights, strict=True) if not c.optional)
    required = sum(1 for c in clauses if not c.optional)
    several = required >= 2
    named, held = (np.zeros(ix.n), np.zeros(ix.n)) if several else (np.zeros(0), np.zeros(0))
    for clause, weight in zip(clauses, clause_weights, strict=True):
        if not clause.optional:
            weights.append(weight)
        if not clause.alternatives:
            continue
        vec, complete, typed, support, single, named_here = _clause_vector(index, clause, several)
        if clause.optional and clause.kind == "letter":
            if hints is None:
                hints = np.zeros(ix.n)
            hints[support] += vec[support] * clause.importance
            continue
        support, topical = _track_topic(index, vec, support)
        if not clause.optional and weight >= NAMED_SHARE * asked:
            topical = _below_typed(topical, typed[support])
        reached = np.where(topical > vec[support], 1.0, complete[support])
        if not clause.optional and several:
            # Not a track where many sessions match ('local' administrations): its own name says what it is.
            # Added over the clause's own sessions only (elsewhere both are False): passes over the whole subset
            # per clause were most of a long question's time at 100k sessions.
            named[support] += weight * named_here[support]
            held[support] += weight * (named_here[support] | single[support])
        total[support] += topical * clause.importance
        if not clause.optional:
            covered[support] += weight * reached
    if hints is not None:
        total += np.where(total > 0, hints, 0.0)
    coverage = covered / max(1e-9, sum(weights))
    levels = np.zeros(ix.n)
    scores = total * (0.1 + 0.9 * coverage**2)
    if required == 2:
        levels = np.where(held >= WHOLLY * asked, WHOLE_LEVEL, np.round(named / max(1e-9, asked), 6))
    elif several:  # a passing mention of one of many words: a little below a title naming another
        scores = np.where((named == 0) & (held < WHOLLY * asked), scores * MENTION_ONLY, scores)
    return scores, levels


def _clause_weight(index: SearchIndex, clause: Clause) -> float:
    """Missing a common word ("software") costs less than missing a rare one ("local-first"), and missing
    an everyday word of the sentence ("started", "gibt") costs little."""
    stems = tuple(stem(w) for w in clause.words)
    joined = idf(index, (stem("".join(clause.words)),)) if len(stems) > 1 else 0.0
    return max(idf(index, stems), joined) * clause.importance


def _track_topic(index: SearchIndex, vec: Floats, support: Ints) -> tuple[Ints, Floats]:
    """When most of a track's sessions match, the track is about the topic: its other sessions count too.
    Returns the sessions the clause now reaches (sorted) and their scores."""
    ix = index
    values = vec[support]
    hits = support[values > 0]
    hit_tracks = ix.track_of[hits]
    sizes = ix.track_sizes
    per_track = np.bincount(hit_tracks, minlength=sizes.size)
    # Shares only for the few tracks with three matches: dividing every track's count was a pass over some
    # four thousand tracks per clause at 100k sessions.
    three = np.flatnonzero(per_track >= 3)
    share = per_track[three] / sizes[three]
    overall = hits.size / max(1, ix.stats_n)
    chosen = three[(share >= TRACK_TOPIC_SHARE) & (share >= 4 * overall)]
    if chosen.size == 0:
        return support, values
    topical = np.zeros(sizes.size, dtype=bool)
    topical[chosen] = True
    # The best score in each topical track (zero in every other track): sorted by track, each run's maximum.
    keep = topical[hit_tracks]
    tracks, best_values = hit_tracks[keep], vec[hits[keep]]
    by_track = np.argsort(tracks, kind="stable")
    tracks, best_values = tracks[by_track], best_values[by_track]
    runs = np.flatnonzero(np.concatenate(([True], tracks[1:] != tracks[:-1])))
    best = np.zeros(ix.track_sizes.size)
    best[tracks[runs]] = np.maximum.reduceat(best_values, runs)
    # Every session of those tracks (which the sessions a question is scored over always hold).
    members = ix.local(ix.track_docs(chosen))
    reached = np.zeros(ix.n, dtype=bool)
    reached[support] = True
    reached[members[members >= 0]] = True
    support = np.flatnonzero(reached)
    return support, np.maximum(vec[support], 0.35 * best[ix.track_of[support]])


def _below_typed(values: Floats, typed: Floats) -> Floats:
    """A clause's scores with every session that holds only a wider concept of the word asked (or shares a track
    with sessions holding it) scaled below the least of those holding the word itself: 'sqlite' mentioned in one
    abstract beats 'Databases' in a title. Among themselves they keep their order."""
    holding = typed > PARTLY
    if not holding.any() or holding.all():
        return values
    least = float(typed[holding].min())
    wider = (typed == 0) & (values > 0)  # some words of 'ham radio' as typed are no wider concept of it either
    top = float(values[wider].max()) if wider.any() else 0.0
    if top < least:
        return values
    return np.where(wider, values * (WIDER_SHARE * least / top), values)
