"""One search engine per conference, so counts, "did you mean" words, speakers and typo corrections come from
the conference in scope alone, without teaching the engine about scopes.

A store on disk keeps each conference's own index beside the database (bot/search/persist.py), opened in
milliseconds. Where there is none (a store in memory, a folder that could not be written), one is built from the
conference's sessions: nothing for a FOSDEM-size schedule, seconds for a 70,000-session one. Built inline on the
thread that answers, a large one would hold up every request queued behind it past a chat platform's 3 seconds,
so it is built in a thread of its own; until it is ready the store-wide engine answers, filtered to the
conference (the same sessions; only spelling suggestions may come from the whole store for that moment).
"""

from __future__ import annotations

import logging
import threading

import numpy as np

from bot.search.engine import SearchEngine

log = logging.getLogger("confbot.search")
# Sessions up to which a conference's engine is built inline (a few tenths of a second at most).
INLINE_SESSIONS = 3_000


class ScopedEngines:
    """Shared by every conversation over one index (the store thread's and those answered apart)."""

    def __init__(self, background: bool = True) -> None:
        self._built: dict[str, tuple[SearchEngine, SearchEngine]] = {}
        self._building: set[str] = set()
        self._lock = threading.Lock()
        self._background = background

    def engine(self, whole: SearchEngine, slug: str) -> SearchEngine:
        if len(whole.index.conferences) <= 1 or slug not in whole.index.conferences:
            return whole
        with self._lock:
            cached = self._built.get(slug)
            if cached is not None and cached[0] is whole:
                return cached[1]
            if slug in self._building:
                return whole
        saved = whole.index.conference_index(slug)  # the conference's own saved index: opened in milliseconds
        if saved is not None:
            return self._keep(whole, slug, SearchEngine(index=saved))
        with self._lock:
            size = int(np.count_nonzero(whole.index.conference_of == whole.index.conference_ids[slug]))
            inline = not self._background or size <= INLINE_SESSIONS
            if not inline:
                self._building.add(slug)
        if inline:
            return self._build(whole, slug)
        name = f"confbot-scope-{slug}"
        threading.Thread(target=self._build_apart, args=(whole, slug), name=name, daemon=True).start()
        return whole

    def _keep(self, whole: SearchEngine, slug: str, engine: SearchEngine) -> SearchEngine:
        with self._lock:
            self._built[slug] = (whole, engine)
        return engine

    def _build(self, whole: SearchEngine, slug: str) -> SearchEngine:
        sessions = whole.index.sessions_of(slug)
        return self._keep(whole, slug, SearchEngine([whole.index.conferences[slug]], {slug: sessions}))

    def _build_apart(self, whole: SearchEngine, slug: str) -> None:
        try:
            self._build(whole, slug)
            log.info("search index for %s ready", slug)
        except Exception:  # noqa: BLE001 - the store-wide engine keeps answering for this conference
            log.exception("building the search index for %s failed", slug)
        finally:
            with self._lock:
                self._building.discard(slug)
