"""`confbot remove`: taking a conference out of the store, with everything that only made sense beside it.

A broken or test import would otherwise stay for good, listed in every `conferences` and `switch` answer. What
is keyed to the conference goes with it, in one transaction with the saved search index's stamp, so a reader
sees the conference whole or not at all: its sessions, how it was imported, the guard's marks, its sync log,
the channels and people that chose it, its announcement routes and published events, and the deliveries not
yet made. Deliveries already sent or skipped stay: they are the record of what people were told.

People's saved sessions are the one thing a person chose, so a removal that would take some is refused unless
forced, and the refusal counts them the way the import guard does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlite_utils import Database

from bot.search.persist import refresh
from bot.store import CatalogStore, write_transaction
from bot.sync import people_affected
from catalog.errors import CatalogError
from catalog.text import counted, shown

log = logging.getLogger("confbot.sync")

# Table, and the condition on it naming the conference; in an order the sessions' foreign key allows.
_KEYED = (
    ("agenda", "conference = ?"),
    ("deliveries", "conference = ? AND state IN ('pending', 'claimed', 'failed')"),
    ("channels", "conference = ?"),
    ("conference_scope", "conference = ?"),
    ("last_list", "scope = ?"),
    ("platform_events", "conference = ?"),
    ("sync_guard", "conference = ?"),
    ("sync_log", "conference = ?"),
    ("search_index", "conference = ?"),
    ("sessions", "conference = ?"),
    ("conferences", "slug = ?"),
)


class RemovalRefused(CatalogError):
    """A removal that would take people's saved sessions, asked for without --force; nothing was changed."""


@dataclass(frozen=True)
class Removed:
    slug: str
    title: str
    sessions: int
    saved: int  # saved sessions (one person's saved session is one)
    people: str  # "2 people's saved sessions", as the import guard says it
    routes: int  # announcement routes and channel choices of this conference

    def summary(self) -> str:
        """One line for the operator: what went, and whose."""
        saved = f", {counted(self.saved, 'saved session')} ({self.people})" if self.saved else ""
        routes = f", {counted(self.routes, 'channel setting')}" if self.routes else ""
        return f"Removed {self.slug} ({shown(self.title, 60)}): {counted(self.sessions, 'session')}{saved}{routes}."


def remove_conference(store: CatalogStore, slug: str, *, force: bool = False, now: datetime | None = None) -> Removed:
    """Delete `slug` and everything keyed to it, and re-stamp the search index, in one transaction."""
    with write_transaction(store.db):
        conference = store.conference(slug)
        if conference is None:
            raise CatalogError(_missing(store, slug))
        db = store.db
        sessions = _count(db, "SELECT count(*) FROM sessions WHERE conference = ?", slug)
        saved = _count(db, "SELECT count(*) FROM agenda WHERE conference = ?", slug)
        saved_ids = {r[0] for r in db.execute("SELECT session_id FROM agenda WHERE conference = ?", [slug])}
        people = people_affected(db, slug, saved_ids)
        if saved and not force:
            raise RemovalRefused(
                f"{slug} ({shown(conference.title, 60)}): removing it would delete its "
                f"{counted(sessions, 'session')}, affecting {people} ({counted(saved, 'saved session')}); "
                f"nothing was changed. Add --force to remove it anyway."
            )
        routes = _count(db, "SELECT count(*) FROM channels WHERE conference = ?", slug) + _count(
            db, "SELECT count(*) FROM conference_scope WHERE conference = ?", slug
        )
        for table, where in _KEYED:
            db.execute(f"DELETE FROM {table} WHERE {where}", [slug])
        db.execute("UPDATE settings SET conference = '' WHERE conference = ?", [slug])
        _record(db, slug, now or datetime.now(UTC))
        _restamp(store)
    return Removed(slug, conference.title, sessions, saved, people, routes)


def _record(db: Database, slug: str, now: datetime) -> None:
    """A removal leaves a row behind: the store fingerprint counts them, so no removal ever brings it back to a
    value an index was built for while the conference was there (an import at the same virtual time would)."""
    db.execute("INSERT INTO removals (conference, at) VALUES (?, ?)", [slug, now.astimezone(UTC).isoformat()])


def _restamp(store: CatalogStore) -> None:
    """The saved index without the conference, stamped in the same transaction. A folder that cannot be written
    never keeps a conference in the store: the stamp then stays old, and the next reader builds its own."""
    try:
        refresh(store)
    except Exception as exc:  # noqa: BLE001 - a damaged or unwritable index folder never fails a removal
        log.warning("search index not saved (%s); it will be rebuilt when next opened", exc)


def _count(db: Database, sql: str, slug: str) -> int:
    return int(db.execute(sql, [slug]).fetchone()[0])


def _missing(store: CatalogStore, slug: str) -> str:
    slugs = [c.slug for c in store.conferences()]
    there = f"the store has {', '.join(slugs)}" if slugs else "the store has none"
    return f"no conference {shown(slug, 64)!r} to remove; {there} (see 'confbot catalogs')"
