"""The saved index beside the database, and the stamp in the store that says which one is current.

Folders live in `<database>.index/`: `part-<conference>-<content hash>` holds one conference tokenised, and
`all-<hash of its parts>` the store-wide arrays merged from them. Each is written under a temporary name and
renamed, so a folder that exists is complete. The store's `search_index` table names the current folders, and
is written in the same transaction as the import that changed the sessions: a reader opens the folder named
by the stamp matching the store it sees, so it never answers from an index that disagrees with the store, and
a process killed mid-build leaves the previous stamp, and the previous folders, in place.

A conference whose content did not change keeps its folder (the name is its content's hash), and re-saving an
unchanged catalog finds every folder, the merged one included, already there: nothing is rebuilt.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, tzinfo
from pathlib import Path

from sqlite_utils import Database

from bot.search.index import SearchIndex
from bot.search.merge import Merged, merge
from bot.search.parts import Part, tokenise
from bot.store import CatalogStore, open_database
from bot.store.catalogs import session_from_row
from catalog.model import Catalog, Conference, Session
from catalog.times import tz_from_name

log = logging.getLogger("confbot.search")
FORMAT = "confbot-index-9"  # a change of the saved layout changes every folder name: old ones are never misread
STORE_WIDE = "*"
GRACE_SECONDS = 600.0  # a folder no stamp names is removed only this long after it was written


def index_folder(db: Database) -> Path | None:
    """`<database>.index` beside a database file; None for a database in memory, whose index stays in memory."""
    row = db.execute("PRAGMA database_list").fetchone()
    return Path(f"{row[2]}.index") if row and row[2] else None


def in_store_order(sessions: Iterable[Session]) -> list[Session]:
    """Sessions in the order the store returns them (UTC start as text, untimed first, then id)."""
    return sorted(sessions, key=lambda s: (s.start.astimezone(UTC).isoformat() if s.start else "", s.id))


def content_hash(sessions: list[Session]) -> str:
    """What the index reads of a conference's sessions, in order: equal for a catalog and its stored copy."""
    digest = hashlib.sha256(FORMAT.encode())
    for s in sessions:
        when = (s.start.timestamp() if s.start else None, s.end.timestamp() if s.end else None)
        fields = (s.id, s.title, s.subtitle, s.abstract, s.track, s.type, s.language, s.room, s.tags, s.companies)
        digest.update(repr((fields, when, [(p.name, p.company) for p in s.speakers])).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:24]


def part_name(slug: str, content: str) -> str:
    readable = re.sub(r"[^A-Za-z0-9_.-]", "_", slug)[:48]
    return f"part-{readable}-{hashlib.sha256(slug.encode()).hexdigest()[:8]}-{content}"


def _write(folder: Path, name: str, save: Callable[[Path], None]) -> None:
    """Write beside, then rename: the folder appears complete or not at all."""
    final = folder / name
    if final.exists():
        return
    folder.mkdir(exist_ok=True)
    temporary = folder / f".tmp-{name}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    temporary.mkdir()
    try:
        save(temporary)
        os.rename(temporary, final)
    except OSError:
        shutil.rmtree(temporary, ignore_errors=True)
        if not final.exists():  # another process renaming the same complete folder first is fine
            raise


def refresh(store: CatalogStore, changed: str | None = None) -> None:
    """Bring the saved index up to the store as this connection sees it, and stamp it. Called inside the
    transaction that changed the store, so the stamp commits (or rolls back) with the sessions."""
    folder = index_folder(store.db)
    if folder is None:
        return
    stamps = {r[0]: (r[1], r[2]) for r in store.db.execute("SELECT conference, segment, stamp FROM search_index")}
    revisions = {
        slug: f"{FORMAT}:{revision}"  # a part saved in another layout is never taken for a current one
        for slug, revision in store.db.execute("SELECT slug, coalesce(revision, 0) FROM conferences")
    }
    parts = []
    for conf in store.conferences():
        slug = conf.slug
        segment, stamp = stamps.get(slug, ("", ""))
        if slug == changed or stamp != revisions.get(slug) or not (folder / segment).is_dir():
            sessions = store.sessions(slug)
            segment = part_name(slug, content_hash(sessions))
            if not (folder / segment).is_dir():
                _write(folder, segment, tokenise(slug, sessions).save)
            _alone(folder, slug, segment)
            store.db.execute(
                "INSERT OR REPLACE INTO search_index (conference, segment, stamp) VALUES (?, ?, ?)",
                [slug, segment, revisions.get(slug)],
            )
        parts.append(Part.load(slug, folder / segment))
    merged = _merged(folder, parts)
    _stamp(store, folder, merged, [p.folder.name for p in parts if p.folder is not None])


def _alone(folder: Path, slug: str, part: str) -> None:
    """The conference's own index beside its part (its own statistics), for processes and chats scoped to it:
    they open only this conference's files."""
    if not (folder / f"one-{part}").is_dir():
        _write(folder, f"one-{part}", merge([Part.load(slug, folder / part)]).save)


def _merged(folder: Path, parts: list[Part]) -> str:
    """The store-wide folder for these parts, in this order: merged now unless it is already there."""
    names = "\n".join(p.folder.name for p in parts if p.folder is not None)
    merged = "all-" + hashlib.sha256(f"{FORMAT}\n{names}".encode()).hexdigest()[:24]
    if not (folder / merged).is_dir():
        _write(folder, merged, merge(parts).save)
    return merged


def _store_stamp(store: CatalogStore) -> str:
    """The store's content and the saved layout: an index saved by an older version is rebuilt, never misread."""
    return f"{FORMAT}:{store.fingerprint()}"


def _stamp(store: CatalogStore, folder: Path, merged: str, parts: list[str], *, tidy: bool = True) -> None:
    store.db.execute(
        "INSERT OR REPLACE INTO search_index (conference, segment, stamp) VALUES (?, ?, ?)",
        [STORE_WIDE, merged, _store_stamp(store)],
    )
    store.db.execute(
        "DELETE FROM search_index WHERE conference != ? AND conference NOT IN (SELECT slug FROM conferences)",
        [STORE_WIDE],
    )
    if tidy:
        _tidy(folder, {merged, *parts})


@dataclass(frozen=True)
class Prepared:
    """An index built ahead for a catalog about to be saved, from what the store held when it was built."""

    catalog: Catalog
    part: str
    merged: str
    stamps: tuple[tuple[str, str, str], ...]  # every other conference: (slug, folder, stamp), in store order
    order: tuple[str, ...]  # the conferences in store order once the catalog is saved


_ahead: dict[tuple[str, str], Prepared] = {}
_ahead_lock = threading.Lock()
_deferred: set[str] = set()  # index folders whose imports leave the index to one build at the end


@contextmanager
def deferred_index(store: CatalogStore) -> Iterator[None]:
    """Many imports in a row (a bulk load, a benchmark's synthetic store): each conference is tokenised once
    and everything merged once at the end, instead of a merge per import. A reader meanwhile finds the stamp
    behind the store, and builds an index of its own."""
    folder = index_folder(store.db)
    if folder is None:
        yield
        return
    _deferred.add(str(folder))
    try:
        yield
    finally:
        _deferred.discard(str(folder))
    build_index(store)


def prepare(store: CatalogStore, catalog: Catalog) -> None:
    """Tokenise and merge for a catalog before its import takes the write lock (an import, a sync), so the
    transaction only has to check that nothing else changed meanwhile and write the stamp. Without it (or when
    something did change), the transaction builds what is missing itself."""
    folder = index_folder(store.db)
    if folder is None or str(folder) in _deferred:
        return
    slug = catalog.conference.slug
    try:
        sessions = in_store_order(catalog.sessions)
        part = part_name(slug, content_hash(sessions))
        if not (folder / part).is_dir():
            _write(folder, part, tokenise(slug, sessions).save)
        _alone(folder, slug, part)
        stamps, current, conferences = _read_stamps(store)
        others = [c for c in conferences if c.slug != slug]
        if any(current.get(c.slug) != stamps.get(c.slug, ("", ""))[1] for c in others):
            return  # some conference lacks a current part: the transaction will build it
        keys = {c.slug: (c.start.isoformat() if c.start else "", c.slug) for c in others}
        keys[slug] = (catalog.conference.start.isoformat() if catalog.conference.start else "", slug)
        order = sorted(keys, key=keys.__getitem__)
        folders = {c.slug: stamps[c.slug][0] for c in others} | {slug: part}
        merged = _merged(folder, [Part.load(s, folder / folders[s]) for s in order])
        mine = tuple((c.slug, *stamps[c.slug]) for c in others)
        _tidy(folder, {part, merged, *folders.values(), *(segment for segment, _ in stamps.values())})
        with _ahead_lock:
            _ahead[str(folder), slug] = Prepared(catalog, part, merged, mine, tuple(order))
    except Exception as exc:  # noqa: BLE001 - a damaged or unwritable index folder never fails an import
        log.warning("search index not prepared (%s); the import will build it", exc)


def _read_stamps(store: CatalogStore) -> tuple[dict[str, tuple[str, str]], dict[str, str], list[Conference]]:
    conn = store.db.conn
    began = not conn.in_transaction
    if began:
        conn.execute("BEGIN")  # one snapshot
    try:
        stamps = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT conference, segment, stamp FROM search_index")}
        revisions = {
            slug: f"{FORMAT}:{revision}"  # a part saved in another layout is never taken for a current one
            for slug, revision in conn.execute("SELECT slug, coalesce(revision, 0) FROM conferences")
        }
        return stamps, revisions, store.conferences()
    finally:
        if began:
            conn.execute("COMMIT")


def index_changed(store: CatalogStore, catalog: Catalog) -> None:
    """The hook an import calls inside its transaction, after writing the sessions. A failure to write the
    index (a full disk, a read-only folder) never fails the import: the stamp stays old, and the next reader
    builds what is missing."""
    folder = index_folder(store.db)
    if folder is None or str(folder) in _deferred:
        return
    slug = catalog.conference.slug
    with _ahead_lock:
        ahead = _ahead.pop((str(folder), slug), None)
    try:
        if ahead is not None and ahead.catalog is catalog and _still_holds(store, ahead, folder):
            revision = store.db.execute("SELECT coalesce(revision, 0) FROM conferences WHERE slug = ?", [slug])
            store.db.execute(
                "INSERT OR REPLACE INTO search_index (conference, segment, stamp) VALUES (?, ?, ?)",
                [slug, ahead.part, f"{FORMAT}:{revision.fetchone()[0]}"],
            )
            parts = [ahead.part if s == slug else dict((o[0], o[1]) for o in ahead.stamps)[s] for s in ahead.order]
            _stamp(store, folder, ahead.merged, parts, tidy=False)  # tidied ahead, outside the lock
            return
        refresh(store, slug)
    except Exception as exc:  # noqa: BLE001 - a damaged or unwritable index folder never fails an import
        log.warning("search index not saved (%s); it will be rebuilt when next opened", exc)


def _still_holds(store: CatalogStore, ahead: Prepared, folder: Path) -> bool:
    """Nothing but this catalog changed since the index was built ahead: the same other conferences, stamped
    alike, in the same order, and every folder still there."""
    stamps, _, conferences = _read_stamps(store)
    others = tuple(
        (c.slug, *stamps.get(c.slug, ("", ""))) for c in conferences if c.slug != ahead.catalog.conference.slug
    )
    return (
        others == ahead.stamps
        and tuple(c.slug for c in conferences) == ahead.order
        and (folder / ahead.part).is_dir()
        and (folder / ahead.merged).is_dir()
    )


def _tidy(folder: Path, keep: set[str]) -> None:
    """Remove folders no stamp names once they are old enough that no reader can still be about to open them
    (a reader that has them open keeps its memory maps: the files live on until it lets go)."""
    now = time.time()
    keep = keep | {f"one-{name}" for name in keep}
    for path in folder.iterdir():
        if path.name in keep:
            continue
        try:
            old = now - path.stat().st_mtime > (3600.0 if path.name.startswith(".tmp-") else GRACE_SECONDS)
        except OSError:
            continue
        if old:
            shutil.rmtree(path, ignore_errors=True)


def open_index(store: CatalogStore) -> SearchIndex | None:
    """The saved index if its stamp matches the store, else None (a store from before saved indexes, or one
    changed by something that did not stamp it)."""
    folder = index_folder(store.db)
    if folder is None:
        return None
    conn = store.db.conn
    began = not conn.in_transaction
    if began:
        conn.execute("BEGIN")  # one snapshot: the fingerprint and the stamp are read from the same store
    try:
        row = conn.execute("SELECT segment, stamp FROM search_index WHERE conference = ?", [STORE_WIDE]).fetchone()
        current = _store_stamp(store)
        conferences = {c.slug: c for c in store.conferences()}
    finally:
        if began:
            conn.execute("COMMIT")
    if row is None or row[1] != current:
        return None
    try:
        merged = Merged.load(folder / row[0])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError) as exc:
        log.warning(
            "saved search index %s unreadable (%s); delete that folder to have it rebuilt", folder / row[0], exc
        )
        return None
    if any(slug not in conferences for slug in merged.facts["slugs"]):
        return None
    return SearchIndex(merged, conferences, StoreSessions(str(folder)[: -len(".index")]))


def build_index(store: CatalogStore) -> None:
    """Save and stamp whatever is missing: for stores made before indexes were saved, or left unstamped."""
    from bot.store import write_transaction

    with write_transaction(store.db):
        refresh(store)


class StoreSessions:
    """Sessions read from the store by id, one connection per thread (sqlite connections stay in their thread).

    Reads go straight to sqlite: a page of hits is a handful of primary-key look-ups."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.local = threading.local()
        self.zones: dict[str, tzinfo | None] = {}

    def _store(self) -> CatalogStore:
        store: CatalogStore | None = getattr(self.local, "store", None)
        if store is None:
            # The process checked the file when it opened it; checking it again here was 80 ms at 100k sessions,
            # inside the first answer of every thread.
            store = self.local.store = CatalogStore(open_database(self.path, verify=False))
        return store

    def _zone(self, store: CatalogStore, conference: str) -> tzinfo | None:
        if conference not in self.zones:
            conf = store.conference(conference)
            self.zones[conference] = tz_from_name(conf.timezone) if conf and conf.timezone else None
        return self.zones[conference]

    def session(self, conference: str, session_id: str, doc: int) -> Session | None:
        try:
            store = self._store()
            cursor = store.db.conn.execute(
                "SELECT * FROM sessions WHERE conference = ? AND id = ?", [conference, session_id]
            )
            row = cursor.fetchone()
            if row is None:
                return None
            names = [d[0] for d in cursor.description]
            return session_from_row(dict(zip(names, row, strict=True)), self._zone(store, conference))
        except sqlite3.Error:
            return None

    def many(self, wanted: dict[tuple[str, str], int]) -> dict[tuple[str, str], Session]:
        """One query for a page of sessions: each (conference, id) a primary-key look-up of one OR, in chunks
        under SQLite's limit on parameters."""
        keys = list(wanted)
        found: dict[tuple[str, str], Session] = {}
        try:
            store = self._store()
            for at in range(0, len(keys), 200):
                chunk = keys[at : at + 200]
                where = " OR ".join(["(conference = ? AND id = ?)"] * len(chunk))
                cursor = store.db.conn.execute(f"SELECT * FROM sessions WHERE {where}", [v for k in chunk for v in k])
                names = [d[0] for d in cursor.description]
                for row in cursor.fetchall():
                    values = dict(zip(names, row, strict=True))
                    conference = values["conference"]
                    session = session_from_row(values, self._zone(store, conference))
                    found[conference, session.id] = session
        except sqlite3.Error:
            return found
        return found

    def sessions(self, conference: str, first: int) -> list[Session]:
        return self._store().sessions(conference)
