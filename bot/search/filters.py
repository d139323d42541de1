"""Filters a question asks for: a conference, a time window, a speaker, a track, a room.

Each returns a boolean mask over the index's sessions (or None when nothing matched, so the words can be
searched as words instead).
"""

from __future__ import annotations

from datetime import datetime

import numpy as np

from bot.search.fuzzy import corrections
from bot.search.index import SearchIndex
from bot.search.query import STOPWORDS, ParsedQuery
from bot.search.text import compact, tokens
from bot.search.timephrases import resolve
from catalog.model import Conference
from catalog.times import tz_from_name


def conference_mask(index: SearchIndex, conference: str | None) -> np.ndarray:
    if conference is None:
        return np.ones(index.n, dtype=bool)
    cid = index.conference_ids.get(conference)
    if cid is None:
        return np.zeros(index.n, dtype=bool)
    mask: np.ndarray = index.conference_of == cid
    return mask


def mask_of(index: SearchIndex, docs: set[int]) -> np.ndarray:
    mask = np.zeros(index.n, dtype=bool)
    mask[list(docs)] = True
    return mask


def time_mask(index: SearchIndex, parsed: ParsedQuery, now: datetime, allowed: np.ndarray) -> tuple[np.ndarray, str]:
    mask = np.zeros(index.n, dtype=bool)
    spec = parsed.time
    assert spec is not None
    if spec.problem:  # "feb 30", "at 25:61": said in words, never searched
        return mask, spec.problem
    counts = np.bincount(index.conference_of[allowed], minlength=len(index.conference_ids))
    present = {int(c) for c in np.flatnonzero(counts)}
    placed = False
    for slug, conf in index.conferences.items():
        cid = index.conference_ids[slug]
        if cid not in present:
            continue
        zone = tz_from_name(conf.timezone) if conf.timezone else now.tzinfo
        assert zone is not None
        window = resolve(spec, now, zone, conf.start, conf.end)
        if window is None:
            continue
        placed = True
        lo, hi = window.start.timestamp(), window.end.timestamp()
        starts, ends = index.starts, index.ends
        with np.errstate(invalid="ignore"):
            if window.mode == "now":
                inside = (starts <= lo) & (ends > lo)
            elif window.mode == "at":
                inside = (starts < hi) & (ends > lo)
            else:
                inside = (starts >= lo) & (starts < hi)
        mask |= inside & (index.conference_of == cid)
    if not placed:
        names = [index.conferences[s] for s in index.conferences if index.conference_ids[s] in present]
        spans = "; ".join(f"{c.title} runs {span(c)}" for c in names[:3])
        return mask, f"No day of the conference matches '{spec.label}'" + (f" ({spans})." if spans else ".")
    return mask, ""


def speaker_docs(index: SearchIndex, text: str) -> set[int]:
    """Sessions of the person named: every word of the name must match a word of one speaker's name."""
    exact = index.compact_speakers.get(compact(text))
    if exact:
        return set(exact)
    docs: set[int] | None = None
    for term in tokens(text):
        options = set(index.speaker_terms.get(term, ()))
        if not options:
            for candidate, _ in corrections(index, term):
                options |= index.speaker_terms.get(candidate, set())
        docs = options if docs is None else docs & options
        if not docs:
            return set()
    return docs or set()


def track_mask(index: SearchIndex, text: str, conference: str | None) -> np.ndarray | None:
    wanted = set(tokens(text)) - STOPWORDS
    squeezed = compact(text)
    keys = []
    for slug, tracks in index.tracks.items():
        if conference not in (None, slug):
            continue
        for name, key in tracks.items():
            have, squeezed_name = index.track_terms[name]
            if (wanted and wanted <= have) or (len(squeezed) >= 3 and squeezed in squeezed_name):
                keys.append(key)
    if not keys:
        return None
    return np.isin(index.track_of, keys)


def room_mask(index: SearchIndex, text: str, conference: str | None) -> np.ndarray | None:
    squeezed = compact(text)
    if not squeezed:
        return None
    rooms = {
        room
        for slug, names in index.rooms.items()
        if conference in (None, slug)
        for room in names
        if index.room_keys[room].startswith(squeezed)
    }
    if not rooms:
        return None
    return np.array([d.session.room in rooms for d in index.docs], dtype=bool)


def span(conf: Conference) -> str:
    if conf.start and conf.end:
        return f"{conf.start:%a %d %b} to {conf.end:%a %d %b %Y}"
    return "on dates not yet known"
