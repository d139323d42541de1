"""Answering a question from the index: clauses with their alternatives, and ranking.

A query becomes clauses, one per thing the person named; each clause has alternatives (the word itself, a
typo correction, a joined or split form, a synonym, a prefix completion), and a session scores the best
alternative of each clause. Sessions that match every clause come first; an exact speaker name beats all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np

from bot.search import filters
from bot.search.bare_rooms import bare_room
from bot.search.candidates import Reachable, reachable
from bot.search.clauses import Alternative, Clause
from bot.search.expand import build_clauses, excluded_clause, similar_terms
from bot.search.feedback import feedback_clause, feedback_scores
from bot.search.fuzzy import corrections
from bot.search.index import Floats, SearchIndex
from bot.search.language import SPOKEN, prepare, stopwords
from bot.search.memory import reuse_large_arrays
from bot.search.query import FILLER, STOPWORDS, ParsedQuery, hour_left, parse
from bot.search.reasons import page_masks, why
from bot.search.scoring import WHOLE_LEVEL
from bot.search.scoring import score as score_clauses
from bot.search.slips import catalog_words
from bot.search.synonyms import prepare_tables
from bot.search.text import compact, fold, letter_compound, stem, tokens
from catalog.model import Conference, Session
from catalog.text import counted, shown

SPEAKER_BONUS = 1000.0
SAME_TRACK = 0.6  # `like N`: the same track outweighs sharing one topic word, not sharing several
PHRASE_BONUS = 1.3
PHRASE_WORDS = 3  # the most words typed that are looked for side by side in an abstract
PHRASE_READ = 10  # sessions at the head whose abstracts are read for the words typed side by side
RANKED_HEAD = 50  # sessions ranked in full: the phrase bonus reorders the first fifty, feedback reads twenty
ECHOED = 60  # characters of a question said back in a message: enough to recognise it
WHOLE_SHARE = 0.5  # beyond this share of sessions reachable, scoring them all costs no more
MENTIONED = 0.6  # a word of the question this important that no answer holds is said to be missing


@dataclass(frozen=True)
class Hit:
    conference: str
    session: Session
    score: float
    why: tuple[str, ...]


@dataclass(frozen=True)
class SearchResult:
    query: ParsedQuery
    hits: tuple[Hit, ...]
    total: int
    suggestions: tuple[str, ...] = ()
    message: str = ""
    unfiltered: int = 0  # with no hits: how many sessions the words find at other times or places


class SearchEngine:
    """Holds one index; `search` never raises on any text a person can type."""

    def __init__(
        self,
        conferences: list[Conference] | None = None,
        sessions: dict[str, list[Session]] | None = None,
        *,
        index: SearchIndex | None = None,
    ) -> None:
        if index is None:
            # Built on the spot: language data and the concept table now, so the first question does not wait.
            # An index opened from disk skips this: a one-shot question loads only what it needs.
            prepare()
            prepare_tables()
            index = SearchIndex.build(conferences or [], sessions or {})
        reuse_large_arrays()
        self.index = index

    # ----------------------------------------------------------------------------------------------- public
    def search(
        self,
        text: str,
        *,
        now: datetime,
        conference: str | None = None,
        limit: int = 10,
        offset: int = 0,
    ) -> SearchResult:
        parsed = parse(text, catalog_words(self.index))
        notes: list[str] = []
        if parsed.truncated:
            notes.append(f"Your question was cut to its first {len(parsed.text)} characters.")
        if parsed.is_empty:
            message = "Tell me what to look for: a topic, a speaker, a track or a time, e.g. 'rust tomorrow'."
            return SearchResult(parsed, (), 0, message=" ".join([*notes, message]))
        ix = self.index
        allowed = filters.conference_mask(self.index, conference)
        free = list(parsed.words)
        if parsed.time:
            time_mask, message = filters.time_mask(self.index, parsed, now, allowed)
            if message:
                return SearchResult(parsed, (), 0, message=" ".join([*notes, message]))
            allowed &= time_mask
        if parsed.speaker:
            speaker_docs = filters.speaker_docs(self.index, parsed.speaker)
            if speaker_docs:
                allowed &= filters.mask_of(self.index, speaker_docs)
            else:
                free = parsed.speaker.split() + free
        if parsed.track:
            track = filters.track_match(self.index, parsed.track, conference)
            if track is not None:
                allowed &= track.mask
                if len(track.names) == 1:  # said back as the schedule names it: 'databses' is 'Databases'
                    parsed = replace(parsed, track=next(iter(track.names)))
            else:  # no such track: its words are searched, and no answer is said to be in it
                free = [w for w in parsed.track.split() if w not in FILLER] + free
                parsed = replace(parsed, track="", words=tuple(free))
        if parsed.room:
            rooms = filters.rooms_starting(self.index, parsed.room, conference)
            if rooms:
                allowed &= filters.rooms_mask(self.index, rooms)
                if len(rooms) == 1:  # said back as the schedule names it: 'k.1.105' is 'K.1.105 (La Fontaine)'
                    parsed = replace(parsed, room=next(iter(rooms)))
            else:
                free = free + parsed.room.split()
        if free and not parsed.room:
            parsed, free, room_filter = self._place(parsed, free, conference)
            if room_filter is not None:
                allowed &= room_filter
        hour = hour_left(parsed, free) if parsed.room else None
        if hour is not None:  # 'k.1.105 at 11': beside a room, the number after 'at' left over is the hour
            parsed, free = replace(parsed, time=hour, words=()), []
            time_mask, message = filters.time_mask(self.index, parsed, now, allowed)
            if message:
                return SearchResult(parsed, (), 0, message=" ".join([*notes, message]))
            allowed &= time_mask
        if parsed.language:
            allowed &= filters.language_mask(self.index, parsed.language)
        left_out = (
            filters.named_by(self.index, excluded_clause(self.index, parsed.excluded, parsed.lang))
            if parsed.excluded
            else None
        )
        if left_out is not None:
            allowed &= ~left_out
        clauses = build_clauses(self.index, free, parsed.prefix, parsed)
        scorer = self
        if clauses:
            # Scored over the sessions the question can reach only (see candidates.py): numbers below are
            # positions among them, and `allowed` is narrowed alike.
            subset = reachable(ix, clauses, free)
            # Most of the catalog reachable (a common word, a small catalog): scoring all of it costs no more.
            whole = subset.size > WHOLE_SHARE * ix.n
            scorer = self if whole else self._over(Reachable(ix, subset))
            here = allowed if whole else allowed[subset]
            scores, levels = score_clauses(scorer.index, clauses)
            scores = scorer._speaker_bonus(free, scores, clauses)
            matched = scores > 0
            if left_out is not None:  # a session left out ('but not X') matches nowhere else either
                matched &= ~(left_out if whole else left_out[subset])
            unfiltered = int(np.count_nonzero(matched))
            scores = np.where(here, scores, 0.0)
            head = max(RANKED_HEAD, offset + limit)
            order, total = scorer._rank(scores, levels, free, head)
            direct = scores > 0
            # Learned words help a question put in words of its own; a single name or topic word means exactly it.
            # Never beside someone's exact name: that person's sessions are the answer (and learned words are
            # not even worked out then: a name was the question where they cost most and were never used).
            named = total > 0 and scores[order[0]] >= SPEAKER_BONUS / 2
            described = len(clauses) >= 2 and not parsed.speaker and total > 0 and not named
            learned = feedback_clause(scorer.index, order, clauses, parsed.lang) if described else None
            if learned is not None:
                best = float(scores[order[0]])
                # The learned words reach sessions of their own: the subset grows to hold them.
                if not whole:
                    wider = reachable(ix, [learned], [], extra=subset)
                    at = np.searchsorted(wider, subset)
                    scores, direct = _spread(scores, at, wider.size), _spread(direct, at, wider.size)
                    levels = _spread(levels, at, wider.size)
                    scorer, here = self._over(Reachable(ix, wider)), allowed[wider]
                # Never a lift for direct matches (the best answers would lift themselves): it only adds sessions.
                learned_scores = feedback_scores(scorer.index, learned, best)
                scores = np.where(here & ~direct, learned_scores, scores)
                order, total = scorer._rank(scores, levels, free, head)
                clauses = [*clauses, learned]
            if offset < PHRASE_READ:
                order = scorer._phrase_in_abstracts(free, order, scores, levels)
        else:
            scores = np.zeros(ix.n)
            direct = np.zeros(ix.n, dtype=bool)
            unfiltered = 0
            candidates = np.flatnonzero(allowed)
            order = candidates[np.argsort(ix.start_order_of(candidates), kind="stable")]
            total = int(order.size)
        page = order[offset : offset + limit]
        scorer.index.docs.prefetch(page.tolist())
        masks = page_masks(scorer.index, page, clauses)
        # A session found directly is explained by the question's words; one found through learned words by those.
        direct_clauses = [c for c in clauses if c.kind != "learned"]
        hits = tuple(
            scorer._hit(int(d), float(scores[d]), clauses if not direct[d] else direct_clauses, parsed, masks[k])
            for k, d in enumerate(page)
        )
        suggestions: tuple[str, ...] = ()
        # A word of the question that none of the answers shown holds ('lockpicking for beginners' at a congress
        # with no lockpicking): they match the rest of it only, and saying so beats reading 191 beginner talks as
        # lockpicking ones. Everyday words of a sentence carry too little to mention.
        missing = [
            w
            for c in clauses
            if not c.optional and not c.kind and c.importance >= MENTIONED and not any(_holds(c, m) for m in masks)
            for w in c.words
        ]
        if hits and missing and not offset:
            notes.append(f"None of these mention '{shown(parsed.as_typed(missing), ECHOED)}'; they match the rest.")
        if not hits:
            spoken = SPOKEN.get(parsed.language, parsed.language)
            asked = f"talks in {spoken}" if spoken else ""
            what = shown(
                parsed.as_typed(list(dict.fromkeys(free))) or parsed.speaker or parsed.track or parsed.room or asked,
                ECHOED,
            )
            when = (f" in {parsed.room}" if parsed.room and what != parsed.room else "") + (
                f" {parsed.time.label}" if parsed.time else ""
            )
            notes.append(f"Nothing found for '{what}'{when}." if what else f"Nothing scheduled{when}.")
            if unfiltered:
                agrees = "matches" if unfiltered == 1 else "match"
                notes.append(f"{counted(unfiltered, 'session')} {agrees} at other times or places.")
            else:
                suggestions = self.suggest(free or parsed.speaker.split() or parsed.track.split(), conference)
        return SearchResult(parsed, hits, total, suggestions, " ".join(notes), unfiltered=0 if hits else unfiltered)

    def _over(self, index: SearchIndex) -> SearchEngine:
        """This engine's ranking over another view of its index."""
        engine = object.__new__(SearchEngine)
        engine.index = index
        return engine

    def _rank(self, scores: Floats, levels: Floats, free: list[str], head: int) -> tuple[np.ndarray, int]:
        """The first `head` sessions (or more, when some tie with the last) best first, the earlier session first
        among equals, phrases typed in order lifted; and how many sessions scored. Someone named comes first, then
        the sessions of a higher level (see `_score`), then the higher score.

        Only the head is ever read (the page, the phrase bonus, the answers feedback reads), so only sessions
        scoring at least the head's lowest score are sorted: a common word at 100k sessions scores tens of
        thousands, and sorting them all was most of such a question's time. Those sessions are exactly the
        first ones of the full order, in the same order (the sort is stable, ties keep session order)."""
        candidates = np.flatnonzero(scores > 0)
        total = int(candidates.size)
        levels = _with_names(scores, levels)
        if total > head:
            # The head's lowest level, and among sessions of that level the lowest score the head needs.
            level = levels[candidates]
            floor = np.partition(level, total - head)[total - head]
            above, at = candidates[level > floor], candidates[level == floor]
            values = scores[at]
            needed = head - above.size
            lowest = np.partition(values, values.size - needed)[values.size - needed]
            candidates = np.concatenate((above, at[values >= lowest]))
        order = candidates[
            np.lexsort((self.index.start_order_of(candidates), -scores[candidates], -levels[candidates]))
        ]
        return self._phrase_bonus(free, order, scores, levels), total

    def _place(
        self, parsed: ParsedQuery, free: list[str], conference: str | None
    ) -> tuple[ParsedQuery, list[str], np.ndarray | None]:
        """'in Janson', 'at Ada': a room of the catalog named after 'in' or 'at' becomes a room filter; so does
        one named bare ('Saal GLITCH now', 'janson tomorrow'), by the stricter rules of bare_rooms.py."""
        for candidate in parsed.places:
            words = candidate.split()
            if not all(w in free for w in words):
                continue
            rooms = filters.room_named(self.index, candidate, conference)
            if rooms:
                rest = list(free)
                for w in words:
                    rest.remove(w)
                return self._in_room(parsed, rest, rooms, candidate)
        bare = bare_room(self.index, free, conference)
        if bare is not None:
            rest = free[: bare.start] + free[bare.end :]
            return self._in_room(parsed, rest, bare.rooms, " ".join(free[bare.start : bare.end]))
        return parsed, free, None

    def _in_room(
        self, parsed: ParsedQuery, rest: list[str], rooms: set[str], typed: str
    ) -> tuple[ParsedQuery, list[str], np.ndarray]:
        named = next(iter(rooms)) if len(rooms) == 1 else typed  # said back as the schedule names it
        return replace(parsed, room=named, words=tuple(rest)), rest, filters.rooms_mask(self.index, rooms)

    def similar(self, conference: str, session: Session, limit: int = 5) -> list[Hit]:
        """Sessions on the same topic: the same track first, then its tags and the title's topic words.

        A title word counts by how much it names a topic: words used in other titles, tags or tracks, and rare in
        everyday language; a word only this session uses ('supercharge') says nothing about what else to see.
        """
        ix = self.index
        own = ix.doc_of(conference, session.id)
        if own is None:
            return []
        weights = similar_terms(ix, session)
        clauses = [Clause((t,), [Alternative((t,), 1.0)], importance=w) for t, w in weights.items()]
        text = np.zeros(ix.n)
        for t, w in weights.items():
            text += w * ix.vector(t)
        top = float(text.max()) if text.size else 0.0
        scores = text / top if top > 0 else text
        if session.track:
            scores = scores + SAME_TRACK * (ix.track_of == ix.track_of[own])
        scores = np.where(filters.conference_mask(self.index, conference), scores, 0.0)
        scores[own] = 0.0
        order = np.argsort(-scores, kind="stable")[:limit]
        order = order[scores[order] > 0]
        masks = page_masks(self.index, order, clauses)
        parsed = parse("")
        hits = [self._hit(int(d), float(scores[d]), clauses, parsed, masks[k]) for k, d in enumerate(order)]
        same = f"same track: {session.track}"
        return [
            Hit(h.conference, h.session, h.score, (same, *(r for r in h.why if r != "matches")))
            if session.track and h.session.track == session.track
            else h
            for h in hits
        ]

    def suggest(self, words: list[str], conference: str | None = None) -> tuple[str, ...]:
        """'Did you mean': the nearest speakers, tracks and catalog words to what was typed."""
        from rapidfuzz import fuzz, process

        text = fold(" ".join(words)).strip()
        if not text:
            return ()
        found: list[tuple[float, str]] = []
        ix = self.index
        for _, score, i in process.extract(text, ix.folded_speakers, scorer=fuzz.ratio, limit=2, score_cutoff=70):
            found.append((score, ix.speaker_names[i]))
        tracks = [pair for slug, pairs in ix.folded_tracks.items() if conference in (None, slug) for pair in pairs]
        folded_tracks = [folded for folded, _ in tracks]
        for _, score, i in process.extract(text, folded_tracks, scorer=fuzz.token_set_ratio, limit=2, score_cutoff=75):
            found.append((score, f"{tracks[i][1]} (track)"))
        for word in words:
            compound = letter_compound(word)
            term = stem(compound[0] if compound else word)
            for candidate, distance in corrections(ix, term, limit=4, edits=max(1, min(2, len(term) // 3))):
                if candidate in STOPWORDS or any(candidate in stopwords(lang) for lang in ("en", "de")):
                    continue  # 'cheese' -> 'these': a word that asks for nothing is no suggestion
                found.append((100.0 - 10 * distance, ix.surface.get(candidate, candidate)))
        found.sort(key=lambda f: -f[0])
        return tuple(dict.fromkeys(name for _, name in found))[:5]

    # ----------------------------------------------------------------------------------------------- scoring
    def _speaker_bonus(self, free: list[str], scores: Floats, clauses: list[Clause]) -> Floats:
        """Someone's name puts that person's sessions first: an exact full name above everything, and a part of
        a name ("lennart", "zacchiroli") when in this catalog that word is mostly used as a name. A part of a
        name is one of the question's words: never a lone letter or a piece of a compound ('x-ray' is not Ray)."""
        if not free:
            return scores
        ix = self.index
        asked = compact(" ".join(free))
        docs = ix.compact_speakers.get(asked) if len(asked) > 1 else None  # a lone letter names no one
        bonus = SPEAKER_BONUS
        if not docs:
            pieces = {w for c in clauses if c.kind in ("compound", "letter") for w in c.words}
            terms = [stem(w) for w in free if w not in STOPWORDS and w not in pieces and len(w) > 1 and "-" not in w]
            if not terms or any(t not in ix.speaker_terms for t in terms):
                return scores
            docs = set.intersection(*(ix.speaker_terms[t] for t in terms))
            if not docs or any(len(ix.speaker_terms[t]) * 2 < ix.df(t) for t in terms):
                return scores
            bonus = SPEAKER_BONUS / 2
        boosted = scores.copy()
        boosted[ix.local(np.array(sorted(docs), dtype=np.int64))] += bonus
        return boosted

    def _phrase_bonus(self, free: list[str], order: np.ndarray, scores: Floats, levels: Floats) -> np.ndarray:
        """Words in the order typed, side by side in a title or track, lift a session among the first fifty."""
        if len(free) < 2 or order.size == 0:
            return order
        phrase = f" {' '.join(tokens(' '.join(free)))} "
        head = order[:50]
        boosted = [scores[d] * (PHRASE_BONUS if phrase in f" {self.index.phrase(int(d))} " else 1.0) for d in head]
        new_head = head[np.lexsort((-np.array(boosted), -levels[head]))]
        return np.concatenate((new_head, order[50:]))

    def _phrase_in_abstracts(self, free: list[str], order: np.ndarray, scores: Floats, levels: Floats) -> np.ndarray:
        """Words typed side by side in the abstract of one of the first few lift it as in a title ('mlflow 3.0':
        the talk on MLflow 3.0, not 'DSPy 3.0' tagged MLflow). Those few are the page about to be shown, read in
        one query and kept for it; only the final order is read, once."""
        typed = tokens(" ".join(free))
        if not 2 <= len(typed) <= PHRASE_WORDS or order.size == 0:
            return order  # a sentence's many words are never all side by side: no abstract is read for it
        phrase = f" {' '.join(typed)} "
        # Each word as typed begins a word of the abstract ('manager' of 'managers'), with nothing but spaces or
        # signs between them: one search of the folded text, not splitting it into words.
        pattern = r"(?<!\w)" + r"\w*\W+".join(re.escape(t) for t in typed)  # compiled only if all words are there
        head = order[:PHRASE_READ]
        self.index.docs.prefetch(head.tolist())
        boosted, lifted = [], _with_names(scores[head], levels[head])
        for k, d in enumerate(head.tolist()):
            abstract = fold(self.index.docs[d].session.abstract)
            held = phrase in f" {self.index.phrase(d)} " or (
                all(t in abstract for t in typed) and re.search(pattern, abstract) is not None
            )
            boosted.append(scores[d] * (PHRASE_BONUS if held else 1.0))
            if held:  # every word asked, side by side: the session holds them all
                lifted[k] = max(lifted[k], WHOLE_LEVEL)
        new_head = head[np.lexsort((-np.array(boosted), -lifted))]
        return np.concatenate((new_head, order[PHRASE_READ:]))

    # ----------------------------------------------------------------------------------------------- reasons
    def _hit(self, doc: int, score: float, clauses: list[Clause], parsed: ParsedQuery, masks: dict[str, int]) -> Hit:
        d = self.index.docs[doc]
        return Hit(d.conference, d.session, round(score, 3), tuple(why(self.index, doc, clauses, parsed, masks)))


def _holds(clause: Clause, fields: dict[str, int]) -> bool:
    """Whether a session shown holds some alternative of a clause (all its words), by its field masks."""
    return any(all(t in fields for t in alt.terms) for alt in clause.alternatives)


def _with_names(scores: Floats, levels: Floats) -> Floats:
    """Levels with someone named above every other: their sessions come first whatever the words found."""
    named: Floats = levels + 4.0 * (scores >= SPEAKER_BONUS / 2)
    return named


def _spread(values: np.ndarray, at: np.ndarray, size: int) -> np.ndarray:
    """Values over a subset of sessions, placed among a larger subset holding it (zero elsewhere)."""
    out = np.zeros(size, dtype=values.dtype)
    out[at] = values
    return out
