"""An expansion learned from the catalog itself: pseudo-relevance feedback.

The best few answers to a question share words in their titles and tags that the question did not use ("backup"
and "recovery" for "saving copies of your servers"). Those words find further sessions on the same topic that
share none of the question's words; they are weighted well below direct matches, and each result they bring says
so in its reasons ("related: backup").
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from bot.search.clauses import Alternative, Clause
from bot.search.index import Floats, SearchIndex
from bot.search.language import stopwords
from bot.search.query import FILLER, STOPWORDS

TOP = 5  # answers read for shared words
MIN_SHARED = 2  # a word must appear in at least this many of them
MAX_TERMS = 3
MAX_SHARE = 0.03  # words in more than this share of all sessions say nothing about a topic
CEILING = 0.5  # a session found only through feedback scores at most half the best direct match


def feedback_clause(index: SearchIndex, order: np.ndarray, clauses: list[Clause], lang: str) -> Clause | None:
    """Words shared by the titles and tags of the best answers, as one optional clause."""
    if order.size < MIN_SHARED:
        return None
    asked = {t for clause in clauses for alt in clause.alternatives for t in alt.terms}
    asked |= {w for clause in clauses for w in clause.words}
    ignore = FILLER | STOPWORDS | stopwords("en") | stopwords(lang)
    counts: Counter[str] = Counter()
    seen: list[frozenset[str]] = []
    for doc in order[: TOP * 4].tolist():
        terms = index.topics(doc)  # saved at import: no session is read
        if any(len(terms & other) >= 0.6 * max(len(terms), len(other)) for other in seen):
            continue  # one session in several slots ("Meetup (Day 1)", "(Day 2)") is one answer, not several
        seen.append(terms)
        if len(seen) > TOP:
            break
        counts.update(t for t in terms if len(t) > 3 and t.isalpha() and t not in asked and t not in ignore)
    limit = max(4, int(MAX_SHARE * index.stats_n))  # a small catalog still has topics of a few sessions
    # Ties broken by the word itself: by set order they followed the process's string hashing, so the same question
    # could bring other related sessions after a restart.
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    chosen = [t for t, c in ranked if c >= MIN_SHARED and 1 < index.df(t) <= limit][:MAX_TERMS]
    if not chosen:
        return None
    alternatives = [Alternative((t,), 1.0, note=index.surface.get(t, t), kind="related") for t in chosen]
    return Clause(tuple(chosen), alternatives, importance=1.0, optional=True, kind="learned")


def feedback_scores(index: SearchIndex, clause: Clause, best: float) -> Floats:
    """Scores from the learned words, scaled so the best of them stays well below the best direct match."""
    vec = np.maximum.reduce([index.vector(alt.terms[0]) for alt in clause.alternatives])
    top = float(vec.max()) if vec.size else 0.0
    if top <= 0 or best <= 0:
        return np.zeros(index.n)
    scaled: Floats = vec * (CEILING * best / top)
    return scaled
