"""Keeps one search engine per store, rebuilt only when a catalog in the store has changed."""

from __future__ import annotations

from bot.search.engine import SearchEngine
from bot.store import CatalogStore


def engine_from_store(store: CatalogStore) -> SearchEngine:
    conferences = store.conferences()
    return SearchEngine(conferences, {c.slug: store.sessions(c.slug) for c in conferences})


class SearchService:
    def __init__(self, store: CatalogStore) -> None:
        self.store = store
        self._engine: SearchEngine | None = None
        self._fingerprint: str | None = None

    def engine(self) -> SearchEngine:
        fingerprint = self.store.fingerprint()
        if self._engine is None or fingerprint != self._fingerprint:
            self._engine = engine_from_store(self.store)
            self._fingerprint = fingerprint
        return self._engine
