"""`confbot import` of a conference that is already in the store: the same guard as sync, said to a person.

A slug names a conference, but two schedules can carry the same slug (the hub's 38c3 and the frab 38c3, or two
files whose acronym is the same), and importing the second used to replace the first without a word, taking
people's saved sessions with it. So a re-import that would remove or blank too much, or lose too much since
the first or last forced import, is refused unless forced, as a sync is; the refusal says what would be lost
and the two ways on: another name if it is a different conference, --force if it is meant to replace it.

Check and write happen in one transaction that holds the write lock, so a refused import leaves the store
exactly as it was and an accepted one cannot be checked against a copy another import has already replaced.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from bot.store import CatalogStore, write_transaction
from bot.sync import guard_marks, people_affected, retitled, set_guard_marks
from bot.sync_guard import Marks, finding, lost_ids, marks_of
from catalog.diff import ScheduleDiff
from catalog.errors import CatalogError
from catalog.model import Catalog, Conference, Session
from catalog.text import counted, shown

# Below this share of the stored sessions' ids found again, a schedule under another title is more likely a
# different conference than a new version of the same one.
FEW_SHARED = 0.5


class ImportRefused(CatalogError):
    """A re-import the guard stopped; nothing was written."""


@dataclass(frozen=True)
class ImportOptions:
    """How the schedule was read, remembered so that a later sync reads it the same way."""

    timezone: str | None
    csv_columns: tuple[tuple[str, str], ...]
    allow_private: bool = False
    title: str = ""  # --title: the conference's name, kept for every later import and sync


@dataclass(frozen=True)
class Imported:
    changes: ScheduleDiff
    existed: bool  # the conference was in the store before: `changes` is a re-import's diff
    catalog: Catalog  # as stored: under the title an admin gave, if any
    zone_before: str = ""  # the stored conference's zone: an offset named as Area/City changes no session time

    @property
    def zone_changed(self) -> bool:
        return self.existed and self.zone_before != self.catalog.conference.timezone


def save_import(
    store: CatalogStore,
    catalog: Catalog,
    options: ImportOptions,
    *,
    force: bool = False,
    now: datetime | None = None,
) -> Imported:
    """Store `catalog` (and how it was read) unless it would replace a stored conference with too great a loss.

    An accepted re-import raises the guard's marks as a sync does, and a forced one sets them anew: a run of
    imports, each losing a little, is caught like a run of syncs."""
    slug = catalog.conference.slug
    before = store.snapshot(slug)  # read before the lock: a big conference takes a while to read
    with write_transaction(store.db):
        before = store.fresh(before, slug)
        title = options.title or store.given_title(slug)
        catalog = retitled(catalog, title)
        stored = store.conference(slug)
        high = guard_marks(store.db, slug) or marks_of(before.sessions)
        if stored is not None and not force:
            reason = _refusal(store.db, stored, catalog, before.sessions, high)
            if reason:
                raise ImportRefused(reason)
        changes = store.save(catalog, now, before)
        fresh = marks_of(catalog.sessions)
        set_guard_marks(store.db, slug, fresh if force or stored is None else high.raised_to(fresh))
        store.remember_import_options(
            slug, options.timezone, options.csv_columns, allow_private=options.allow_private, title=title
        )
    return Imported(changes, stored is not None, catalog, stored.timezone if stored else "")


def _refusal(db: Database, stored: Conference, catalog: Catalog, old: Sequence[Session], high: Marks) -> str | None:
    """One line: what the import would do, to whom, and the two ways on; None when it may go ahead."""
    why = finding(old, catalog.sessions, high)
    if why is None:
        return None
    slug = stored.slug
    fresh_ids = {s.id for s in catalog.sessions}
    shared = sum(1 for s in old if s.id in fresh_ids)
    affected = people_affected(db, slug, lost_ids(old, catalog.sessions))
    old_title, new_title = _title(stored), _title(catalog.conference)
    if old_title.casefold() != new_title.casefold() and shared < FEW_SHARED * len(old):
        return (
            f"{slug} is already in the store as {shown(old_title, 60)!r}; this schedule is {shown(new_title, 60)!r} "
            f"and shares {shared} of its {counted(len(old), 'session id')}: a different conference? It "
            f"{why}, affecting {affected}; nothing was changed. Import it under its own name with --name SLUG, "
            f"or add --force to replace {slug}."
        )
    return (
        f"{slug} is already in the store ({shown(old_title, 60)}); this schedule {why}, affecting {affected}; "
        f"nothing was changed. If it is a different conference, import it under its own name with --name SLUG; "
        f"to replace {slug}, add --force."
    )


def _title(conf: Conference) -> str:
    return " ".join(conf.title.split()) or conf.slug
