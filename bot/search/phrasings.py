"""The postings of an alternative of several words ('free software' standing for 'open source'), kept per index.

Several words naming one thing score like one word: their mean, scaled by how many are present. Working that out
marks and gathers over every session of the store for each word; the same phrasings come back in question after
question (the synonym and concept table maps common words onto them), and a question of everyday words at 100k
sessions held a dozen of them, most of its time. So each is worked out once over the whole index, without its
weight, and a view over some sessions takes its own out of it: the same floats either way.
"""

from __future__ import annotations

from functools import reduce

import numpy as np

from bot.search.candidates import Reachable
from bot.search.clauses import Alternative
from bot.search.index import Floats, Ints, SearchIndex

KEPT_ENTRIES = 4_000_000  # sessions held over all kept phrasings (three numbers each: under 100 MB)


def phrase_postings(index: SearchIndex, alt: Alternative) -> tuple[Ints, Floats, Floats]:
    """The sessions holding any (or, for `require_all`, every) word of a phrasing, their weighted scores and how
    completely each holds it; numbers are the index's own (positions, for a view over some sessions)."""
    whole = index.whole if isinstance(index, Reachable) else index
    key = (alt.terms, alt.fields, alt.require_all)
    kept = whole.phrasings.get(key)
    if kept is None:
        kept = _over_whole(whole, alt)
        if whole.phrasings_held + kept[0].size > KEPT_ENTRIES:
            whole.phrasings.clear()
            whole.phrasings_held = 0
        whole.phrasings[key] = kept
        whole.phrasings_held += kept[0].size
    docs, unweighted, share = kept
    if index is not whole:
        at = index.local(docs)
        inside = at >= 0
        docs, unweighted, share = at[inside], unweighted[inside], share[inside]
    return docs, unweighted * alt.weight, share


def _over_whole(ix: SearchIndex, alt: Alternative) -> tuple[Ints, Floats, Floats]:
    found = [ix.postings_in(t, alt.fields) for t in alt.terms]
    # The sessions holding all its words (those a phrase that needs every word keeps) or any, marked in one
    # array; each word's scores placed by a gather, not a search.
    held = np.zeros(ix.n, dtype=bool)
    held[found[0][0]] = True
    for docs, _ in found[1:]:
        if alt.require_all:
            has = np.zeros(ix.n, dtype=bool)
            has[docs] = True
            held &= has
        else:
            held[docs] = True
    docs = np.flatnonzero(held)
    position = np.empty(ix.n, dtype=np.intp)
    position[docs] = np.arange(docs.size)
    rows = np.zeros((len(found), docs.size))
    for row, (holders, scores) in zip(rows, found, strict=True):
        if alt.require_all:
            inside = held[holders]
            holders, scores = holders[inside], scores[inside]
        row[position[holders]] = scores
    mean = reduce(np.add, rows[1:], rows[0].copy()) / len(found)  # np.mean's order: row by row, then divide
    share = np.sum(rows > 0, axis=0) / len(found)
    if alt.require_all:
        share = np.where(share == 1.0, 1.0, 0.0)
    return docs, mean * share, share
