"""Answering a question from the index: intent filters, clauses with their alternatives, ranking, reasons.

A query becomes clauses, one per thing the person named; each clause has alternatives (the word itself, a
typo correction, a joined or split form, a synonym, a prefix completion), and a session scores the best
alternative of each clause. Sessions that match every clause come first; an exact speaker name beats all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from bot.search.fuzzy import corrections
from bot.search.index import FIELDS, Floats, SearchIndex
from bot.search.query import FILLER, ParsedQuery, parse
from bot.search.synonyms import load_synonyms
from bot.search.text import compact, fold, stem, tokens
from bot.search.timephrases import resolve
from catalog.model import Conference, Session
from catalog.times import tz_from_name

SPEAKER_BONUS = 1000.0
PHRASE_BONUS = 1.3
TRACK_TOPIC_SHARE = 0.4  # a track where this share of sessions match (far above the norm) is about it
STOPWORDS = frozenset({"and", "or", "the", "a", "an", "of", "to", "in", "on", "for", "with", "at", "by", "from"})


@dataclass(frozen=True)
class Alternative:
    terms: tuple[str, ...]
    weight: float
    require_all: bool = False
    note: str = ""  # e.g. 'kotln → kotlin', shown in the reasons


@dataclass
class Clause:
    words: tuple[str, ...]
    alternatives: list[Alternative] = field(default_factory=list)


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


class SearchEngine:
    """Holds one index; `search` never raises on any text a person can type."""

    def __init__(self, conferences: list[Conference], sessions: dict[str, list[Session]]) -> None:
        self.index = SearchIndex(conferences, sessions)
        self.synonyms = load_synonyms()

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
        parsed = parse(text)
        notes: list[str] = []
        if parsed.truncated:
            notes.append(f"Your question was cut to its first {len(parsed.text)} characters.")
        if parsed.is_empty:
            message = "Tell me what to look for: a topic, a speaker, a track or a time, e.g. 'rust tomorrow'."
            return SearchResult(parsed, (), 0, message=" ".join([*notes, message]))
        ix = self.index
        allowed = self._conference_mask(conference)
        free = list(parsed.words)
        if parsed.time:
            time_mask, message = self._time_mask(parsed, now, allowed)
            if message:
                return SearchResult(parsed, (), 0, message=" ".join([*notes, message]))
            allowed &= time_mask
        if parsed.speaker:
            speaker_docs = self._speaker_docs(parsed.speaker)
            if speaker_docs:
                allowed &= self._mask_of(speaker_docs)
            else:
                free = parsed.speaker.split() + free
        if parsed.track:
            track_mask = self._track_mask(parsed.track, conference)
            if track_mask is not None:
                allowed &= track_mask
            else:
                free = [w for w in parsed.track.split() if w not in FILLER] + free
        if parsed.room:
            room_mask = self._room_mask(parsed.room, conference)
            if room_mask is not None:
                allowed &= room_mask
            else:
                free = free + parsed.room.split()
        clauses = self._clauses(free, parsed.prefix)
        if clauses:
            scores, _ = self._score(clauses)
            scores = self._speaker_bonus(free, scores)
            unfiltered = int(np.count_nonzero(scores))
            scores = np.where(allowed, scores, 0.0)
            candidates = np.flatnonzero(scores > 0)
            order = candidates[np.lexsort((ix.start_order[candidates], -scores[candidates]))]
            order = self._phrase_bonus(free, order, scores)
        else:
            scores = np.zeros(ix.n)
            unfiltered = 0
            candidates = np.flatnonzero(allowed)
            order = candidates[np.argsort(ix.start_order[candidates], kind="stable")]
        total = int(order.size)
        page = order[offset : offset + limit]
        masks = self._page_masks(page, clauses)
        hits = tuple(self._hit(int(d), float(scores[d]), clauses, parsed, masks[k]) for k, d in enumerate(page))
        suggestions: tuple[str, ...] = ()
        if not hits:
            what = " ".join(free) or parsed.speaker or parsed.track or parsed.room
            when = f" {parsed.time.label}" if parsed.time else ""
            notes.append(f"Nothing found for '{what}'{when}." if what else f"Nothing scheduled{when}.")
            if unfiltered:
                notes.append(f"{unfiltered} sessions match at other times or places.")
            else:
                suggestions = self.suggest(free or parsed.speaker.split() or parsed.track.split(), conference)
        return SearchResult(parsed, hits, total, suggestions, " ".join(notes))

    def similar(self, conference: str, session: Session, limit: int = 5) -> list[Hit]:
        """Sessions on the same topic: the rarest words of the title and the tags, searched in its conference."""
        ix = self.index
        candidates = [w for w in tokens(session.title) if w not in FILLER and w not in STOPWORDS and len(w) > 2]
        candidates += [w for tag in session.tags[:3] for w in tokens(tag)]
        ranked = sorted(dict.fromkeys(candidates), key=lambda t: ix.df(t) or ix.n)[:4]
        if not ranked:
            ranked = tokens(session.track)[:3]
        if not ranked:
            return []
        clauses = [Clause((t,), [Alternative((t,), 1.0)]) for t in ranked if t in ix.vocab]
        if not clauses:
            return []
        scores, _ = self._score(clauses)
        # Any one of the words is enough here; the same track counts for something on its own.
        scores = scores + 0.5 * (ix.track_of == ix.docs[ix.by_ref[(conference, session.id)]].track_key)
        scores = np.where(self._conference_mask(conference), scores, 0.0)
        scores[ix.by_ref[(conference, session.id)]] = 0.0
        order = np.argsort(-scores, kind="stable")[:limit]
        order = order[scores[order] > 0]
        masks = self._page_masks(order, clauses)
        parsed = parse("")
        hits = [self._hit(int(d), float(scores[d]), clauses, parsed, masks[k]) for k, d in enumerate(order)]
        return [
            h if h.why != ("matches",) else Hit(h.conference, h.session, h.score, (f"same track: {h.session.track}",))
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
            term = stem(word)
            for candidate, distance in corrections(ix, term, limit=2, edits=max(1, min(2, len(term) // 3))):
                found.append((100.0 - 10 * distance, ix.surface.get(candidate, candidate)))
        found.sort(key=lambda f: -f[0])
        return tuple(dict.fromkeys(name for _, name in found))[:5]

    # ----------------------------------------------------------------------------------------------- filters
    def _conference_mask(self, conference: str | None) -> np.ndarray:
        if conference is None:
            return np.ones(self.index.n, dtype=bool)
        cid = self.index.conference_ids.get(conference)
        if cid is None:
            return np.zeros(self.index.n, dtype=bool)
        mask: np.ndarray = self.index.conference_of == cid
        return mask

    def _mask_of(self, docs: set[int]) -> np.ndarray:
        mask = np.zeros(self.index.n, dtype=bool)
        mask[list(docs)] = True
        return mask

    def _time_mask(self, parsed: ParsedQuery, now: datetime, allowed: np.ndarray) -> tuple[np.ndarray, str]:
        ix = self.index
        mask = np.zeros(ix.n, dtype=bool)
        spec = parsed.time
        assert spec is not None
        counts = np.bincount(ix.conference_of[allowed], minlength=len(ix.conference_ids))
        present = {int(c) for c in np.flatnonzero(counts)}
        placed = False
        for slug, conf in ix.conferences.items():
            cid = ix.conference_ids[slug]
            if cid not in present:
                continue
            zone = tz_from_name(conf.timezone) if conf.timezone else now.tzinfo
            assert zone is not None
            window = resolve(spec, now, zone, conf.start, conf.end)
            if window is None:
                continue
            placed = True
            lo, hi = window.start.timestamp(), window.end.timestamp()
            starts, ends = ix.starts, ix.ends
            with np.errstate(invalid="ignore"):
                if window.mode == "now":
                    inside = (starts <= lo) & (ends > lo)
                elif window.mode == "at":
                    inside = (starts < hi) & (ends > lo)
                else:
                    inside = (starts >= lo) & (starts < hi)
            mask |= inside & (ix.conference_of == cid)
        if not placed:
            names = [ix.conferences[s] for s in ix.conferences if ix.conference_ids[s] in present]
            spans = "; ".join(f"{c.title} runs {_span(c)}" for c in names[:3])
            return mask, f"No day of the conference matches '{spec.label}'" + (f" ({spans})." if spans else ".")
        return mask, ""

    def _speaker_docs(self, text: str) -> set[int]:
        """Sessions of the person named: every word of the name must match a word of one speaker's name."""
        ix = self.index
        exact = ix.compact_speakers.get(compact(text))
        if exact:
            return set(exact)
        docs: set[int] | None = None
        for term in tokens(text):
            options = set(ix.speaker_terms.get(term, ()))
            if not options:
                for candidate, _ in corrections(ix, term):
                    options |= ix.speaker_terms.get(candidate, set())
            docs = options if docs is None else docs & options
            if not docs:
                return set()
        return docs or set()

    def _track_mask(self, text: str, conference: str | None) -> np.ndarray | None:
        wanted = set(tokens(text)) - STOPWORDS
        squeezed = compact(text)
        keys = []
        for slug, tracks in self.index.tracks.items():
            if conference not in (None, slug):
                continue
            for name, key in tracks.items():
                have, squeezed_name = self.index.track_terms[name]
                if (wanted and wanted <= have) or (len(squeezed) >= 3 and squeezed in squeezed_name):
                    keys.append(key)
        if not keys:
            return None
        return np.isin(self.index.track_of, keys)

    def _room_mask(self, text: str, conference: str | None) -> np.ndarray | None:
        squeezed = compact(text)
        if not squeezed:
            return None
        rooms = {
            room
            for slug, names in self.index.rooms.items()
            if conference in (None, slug)
            for room in names
            if self.index.room_keys[room].startswith(squeezed)
        }
        if not rooms:
            return None
        return np.array([d.session.room in rooms for d in self.index.docs], dtype=bool)

    # ----------------------------------------------------------------------------------------------- scoring
    def _clauses(self, free: list[str], prefix: bool) -> list[Clause]:
        words = [w for w in free if w not in STOPWORDS] or free
        ix = self.index
        clauses: list[Clause] = []
        i = 0
        while i < len(words):
            # A synonym phrase of up to three words becomes one clause with the other phrasings as alternatives.
            span = next(
                (
                    n
                    for n in (3, 2)
                    if i + n <= len(words) and tuple(stem(w) for w in words[i : i + n]) in self.synonyms
                ),
                1,
            )
            # Two words that the catalog writes joined ("libre office" / "libreoffice", "risc v") are one clause.
            if span == 1 and i + 1 < len(words) and stem(words[i] + words[i + 1]) in ix.vocab:
                span = 2
            group = tuple(words[i : i + span])
            clause = Clause(group)
            stems = tuple(stem(w) for w in group)
            if span == 1:
                self._word_alternatives(clause, group[0], prefix and i == len(words) - 1)
            else:
                clause.alternatives.append(Alternative(stems, 1.0))
                joined = stem("".join(group))
                if joined in ix.vocab:
                    clause.alternatives.append(Alternative((joined,), 1.0))
            for phrase in self.synonyms.get(stems, ()):
                if all(t in ix.vocab for t in phrase):
                    shown = " ".join(ix.surface.get(t, t) for t in phrase)
                    # A rarer synonym ("db" for "databases") must not outrank the words actually typed.
                    weight = (
                        0.9 * min(1.0, self._idf(stems) / self._idf(phrase))
                        if all(t in ix.vocab for t in stems)
                        else 0.9
                    )
                    clause.alternatives.append(Alternative(phrase, weight, require_all=True, note=shown))
            if clause.alternatives:
                clauses.append(clause)
            else:
                clauses.append(Clause(group, []))  # counts against coverage: nothing matched this word
            i += span
        return clauses

    def _word_alternatives(self, clause: Clause, word: str, is_prefix: bool) -> None:
        ix = self.index
        term = stem(word)
        if term in ix.vocab:
            clause.alternatives.append(Alternative((term,), 1.0))
        else:
            for candidate, distance in corrections(ix, term):
                shown = ix.surface.get(candidate, candidate)
                clause.alternatives.append(
                    Alternative((candidate,), 0.85 if distance == 1 else 0.7, note=f"{word} → {shown}")
                )
        if is_prefix and len(word) >= 2:
            for completion in ix.with_prefix(word, 8):
                if completion != term:
                    clause.alternatives.append(Alternative((completion,), 0.6))

    def _alternative_vector(self, alt: Alternative) -> tuple[Floats, Floats]:
        """Scores of one alternative, and how completely each session matches it (share of its words)."""
        ix = self.index
        if len(alt.terms) == 1:
            vec = ix.vector(alt.terms[0]) * alt.weight
            return vec, (vec > 0).astype(np.float64)
        # Several words naming one thing score like one word: their mean, scaled by how many are present.
        vectors = [ix.vector(t) for t in alt.terms]
        mean = np.mean(vectors, axis=0)
        share = np.sum([v > 0 for v in vectors], axis=0) / len(vectors)
        if alt.require_all:
            share = np.where(share == 1.0, 1.0, 0.0)
        return mean * share * alt.weight, share

    def _score(self, clauses: list[Clause]) -> tuple[Floats, Floats]:
        ix = self.index
        total = np.zeros(ix.n)
        covered = np.zeros(ix.n)
        weights = []
        for clause in clauses:
            # Missing a common word ("software") costs less than missing a rare one ("local-first").
            stems = tuple(stem(w) for w in clause.words)
            weight = max(self._idf(stems), self._idf((stem("".join(clause.words)),)) if len(stems) > 1 else 0.0)
            weights.append(weight)
            if not clause.alternatives:
                continue
            scored = [self._alternative_vector(a) for a in clause.alternatives]
            if len(scored) == 1:
                vec, complete = scored[0]
            else:
                vec = np.maximum.reduce([v for v, _ in scored])
                complete = np.maximum.reduce([c for _, c in scored])
            topical = self._track_topic(vec)
            complete = np.where(topical > vec, 1.0, complete)
            total += topical
            covered += weight * complete
        coverage = covered / max(1e-9, sum(weights))
        return total * (0.1 + 0.9 * coverage**2), covered

    def _idf(self, terms: tuple[str, ...]) -> float:
        """Mean inverse document frequency of some terms; an unknown term is as rare as can be."""
        n = max(1, self.index.n)
        values = [float(np.log(1 + (n - df + 0.5) / (df + 0.5))) for df in (self.index.df(t) for t in terms)]
        return sum(values) / len(values) if values else 1.0

    def _track_topic(self, vec: Floats) -> Floats:
        """When most of a track's sessions match, the track is about the topic: its other sessions count too."""
        ix = self.index
        hits = vec > 0
        per_track = np.bincount(ix.track_of[hits], minlength=ix.track_sizes.size)
        share = per_track / np.maximum(1, ix.track_sizes)
        overall = hits.sum() / max(1, ix.n)
        topical = (share >= TRACK_TOPIC_SHARE) & (share >= 4 * overall) & (per_track >= 3)
        if not topical.any():
            return vec
        in_topical = topical[ix.track_of]
        floor = np.zeros(ix.n)
        best = np.zeros(ix.track_sizes.size)
        np.maximum.at(best, ix.track_of[hits], vec[hits])
        floor[in_topical] = 0.35 * best[ix.track_of[in_topical]]
        return np.maximum(vec, floor)

    def _speaker_bonus(self, free: list[str], scores: Floats) -> Floats:
        """Someone's name puts that person's sessions first: an exact full name above everything, and a part of
        a name ("lennart", "zacchiroli") when in this catalog that word is mostly used as a name."""
        if not free:
            return scores
        ix = self.index
        docs = ix.compact_speakers.get(compact(" ".join(free)))
        bonus = SPEAKER_BONUS
        if not docs:
            terms = [stem(w) for w in free if w not in STOPWORDS]
            if not terms or any(t not in ix.speaker_terms for t in terms):
                return scores
            docs = set.intersection(*(ix.speaker_terms[t] for t in terms))
            if not docs or any(len(ix.speaker_terms[t]) * 2 < ix.df(t) for t in terms):
                return scores
            bonus = SPEAKER_BONUS / 2
        boosted = scores.copy()
        boosted[list(docs)] += bonus
        return boosted

    def _phrase_bonus(self, free: list[str], order: np.ndarray, scores: Floats) -> np.ndarray:
        """Words in the order typed, side by side in a title or track, lift a session among the first fifty."""
        if len(free) < 2 or order.size == 0:
            return order
        phrase = " ".join(tokens(" ".join(free)))
        head = order[:50]
        boosted = []
        for d in head:
            text = self.index.phrase_text.get(int(d))
            if text is None:
                s = self.index.docs[int(d)].session
                text = self.index.phrase_text[int(d)] = " ".join(
                    tokens(f"{s.title} | {s.track} | {' | '.join(s.tags)}")
                )
            boosted.append(scores[d] * (PHRASE_BONUS if phrase in text else 1.0))
        new_head = head[np.argsort(-np.array(boosted), kind="stable")]
        return np.concatenate((new_head, order[50:]))

    # ----------------------------------------------------------------------------------------------- reasons
    def _page_masks(self, page: np.ndarray, clauses: list[Clause]) -> list[dict[str, int]]:
        """For each session shown, which fields hold each query term: one vectorised look-up per term."""
        wanted = {t for clause in clauses for alt in clause.alternatives for t in alt.terms}
        per_doc: list[dict[str, int]] = [{} for _ in range(page.size)]
        for term in wanted:
            for k, mask in enumerate(self.index.field_masks(page, term).tolist()):
                if mask:
                    per_doc[k][term] = mask
        return per_doc

    def _hit(self, doc: int, score: float, clauses: list[Clause], parsed: ParsedQuery, masks: dict[str, int]) -> Hit:
        d = self.index.docs[doc]
        return Hit(d.conference, d.session, round(score, 3), tuple(self._why(doc, clauses, parsed, masks)))

    def _why(self, doc: int, clauses: list[Clause], parsed: ParsedQuery, masks: dict[str, int]) -> list[str]:
        reasons: list[str] = []
        session = self.index.docs[doc].session
        fields: dict[str, set[str]] = {name: set() for name in FIELDS}
        for term, mask in masks.items():
            for bit, name in enumerate(FIELDS):
                if mask >> bit & 1:
                    fields[name].add(term)
        if parsed.speaker and session.speakers:
            reasons.append("speaker: " + ", ".join(session.speaker_names))
        if parsed.track and session.track:
            reasons.append(f"track: {session.track}")
        if parsed.room and session.room:
            reasons.append(f"room: {session.room}")
        for clause in clauses:
            for alt in clause.alternatives:
                present = [t for t in alt.terms if any(t in terms for terms in fields.values())]
                if not present:
                    continue
                reasons.extend(self._field_reasons(session, fields, present, clause, alt))
                break
        if parsed.time:
            reasons.append(f"time: {parsed.time.label}")
        return list(dict.fromkeys(reasons)) or ["matches"]

    def _field_reasons(
        self, session: Session, fields: dict[str, set[str]], present: list[str], clause: Clause, alt: Alternative
    ) -> list[str]:
        out = []
        hit = set(present)
        if hit & fields["speakers"]:
            names = [n for n in session.speaker_names if hit & set(tokens(n))] or list(session.speaker_names)
            out.append("speaker: " + ", ".join(names))
        if hit & fields["title"] or hit & fields["subtitle"]:
            out.append("title")
        if hit & fields["track"]:
            out.append(f"track: {session.track}")
        if hit & fields["tags"]:
            tags = [t for t in session.tags if hit & (set(tokens(t)) | {stem("".join(tokens(t)))})]
            out.append("tags: " + ", ".join(tags or session.tags))
        if not out and hit & fields["abstract"]:
            word = self.index.surface.get(present[0], present[0])
            out.append(f"abstract mentions '{word}'")
        if not out:
            for name in ("room", "type", "companies"):
                if hit & fields[name]:
                    out.append(name)
        if not out and session.track:
            out.append(f"track: {session.track} (on the topic)")
        if alt.note and "→" in alt.note:
            out.append(f"read '{alt.note}'")
        elif alt.note:
            out.append(f"synonym: {alt.note}")
        return out


def _span(conf: Conference) -> str:
    if conf.start and conf.end:
        return f"{conf.start:%a %d %b} to {conf.end:%a %d %b %Y}"
    return "on dates not yet known"
