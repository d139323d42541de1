"""Stores holding several conferences, for the scope tests: two editions of our own SearchCon, and the shared ones.

SearchCon 2025 is SearchCon 2026 a year (52 weeks) earlier under another slug: the same titles, speakers and
ids, so a leak from one edition into the other shows at once.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from bot.store import CatalogStore, open_database
from catalog.load import load
from catalog.model import Catalog, Conference, Session
from tests.conftest import CATALOGS, FIXTURES

YEAR = timedelta(days=364)
SHARED = ("fosdem-2025.xml", "fosdem-2026.xml", "38c3.xml", "debconf23.xml")


def searchcon(editions: int = 2) -> list[Catalog]:
    current = load(str(FIXTURES / "searchcon.schedule.json"))
    conf = current.conference
    earlier = Catalog(
        replace(
            conf,
            slug="searchcon-2025",
            title="SearchCon 2025",
            start=conf.start - YEAR if conf.start else None,
            end=conf.end - YEAR if conf.end else None,
        ),
        tuple(
            replace(s, start=s.start - YEAR if s.start else None, end=s.end - YEAR if s.end else None)
            for s in current.sessions
        ),
    )
    return [earlier, current][-editions:]


def untimed() -> Catalog:
    """A schedule published before its times: titles and speakers only."""
    conf = Conference("plancon-2027", "PlanCon 2027", "Europe/Berlin", date(2027, 5, 1), date(2027, 5, 2))
    sessions = tuple(Session(str(i), title) for i, title in enumerate(["Rust at scale", "Planning ahead"], start=1))
    return Catalog(conf, sessions)


def store_with(path: Path, catalogs: list[Catalog]) -> Path:
    store = CatalogStore(open_database(path))
    for catalog in catalogs:
        store.save(catalog)
    return path


def shared_store(path: Path) -> Path:
    return store_with(path, [load(str(CATALOGS / name)) for name in SHARED])
