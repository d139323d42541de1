"""SQLite holds the truth; everything else (search index, scheduler jobs) is rebuilt from it."""

from bot.store.agenda import AgendaStore
from bot.store.catalogs import CatalogStore
from bot.store.db import StoreError, open_database, write_transaction

__all__ = ["AgendaStore", "CatalogStore", "StoreError", "open_database", "write_transaction"]
