"""Conferences and their sessions in SQLite: one transaction per import, and the diff it made."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlite_utils import Database

from bot.store.db import write_transaction
from catalog.diff import ScheduleDiff, diff
from catalog.errors import CatalogError
from catalog.model import Catalog, Conference, Session, Speaker
from catalog.times import tz_from_name


@dataclass(frozen=True)
class Snapshot:
    revision: int  # how many times the conference was imported; 0 when it is not in the store
    sessions: tuple[Session, ...]


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def _session_row(slug: str, s: Session) -> dict[str, Any]:
    return {
        "conference": slug,
        "id": s.id,
        "title": s.title,
        "subtitle": s.subtitle,
        "abstract": s.abstract,
        "track": s.track,
        "type": s.type,
        "language": s.language,
        "level": s.level,
        "room": s.room,
        "start": _iso(s.start),
        "end": _iso(s.end),
        "start_utc": _iso(s.start.astimezone(UTC)) if s.start else "",
        "speakers": json.dumps([[p.name, p.bio, p.company] for p in s.speakers], ensure_ascii=False),
        "tags": json.dumps(list(s.tags), ensure_ascii=False),
        "url": s.url,
        "companies": json.dumps(list(s.companies), ensure_ascii=False),
    }


def _session(row: dict[str, Any], zone: Any) -> Session:
    def when(text: str) -> datetime | None:
        if not text:
            return None
        value = datetime.fromisoformat(text)
        return value.astimezone(zone) if zone is not None else value

    return Session(
        id=row["id"],
        title=row["title"],
        subtitle=row["subtitle"] or "",
        abstract=row["abstract"] or "",
        track=row["track"] or "",
        type=row["type"] or "",
        language=row["language"] or "",
        level=row["level"] or "",
        room=row["room"] or "",
        start=when(row["start"]),
        end=when(row["end"]),
        speakers=tuple(Speaker(*p) for p in _listed(row["speakers"])),
        tags=tuple(_listed(row["tags"])),
        url=row["url"] or "",
        companies=tuple(_listed(row["companies"])),
    )


def _listed(text: str | None) -> list[Any]:
    """A JSON list column; most sessions have no tags or companies, and a page of answers reads ten sessions."""
    return json.loads(text) if text and text != "[]" else []


session_from_row = _session  # for the search index, which reads the sessions it shows by id


def _conference(row: dict[str, Any]) -> Conference:
    def day(text: str | None) -> date | None:
        return date.fromisoformat(text) if text else None

    return Conference(
        slug=row["slug"],
        title=row["title"],
        timezone=row["timezone"] or "",
        start=day(row["start"]),
        end=day(row["end"]),
        venue=row["venue"] or "",
        source=row["source"] or "",
        version=row["version"] or "",
        note=row["note"] or "",
    )


class CatalogStore:
    """Reads and writes catalogs; every write is one transaction, so a failed import leaves nothing behind."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def snapshot(self, slug: str) -> Snapshot:
        """The stored sessions and when they were imported, read without any lock (in WAL nothing waits)."""
        return Snapshot(self._revision(slug), tuple(self.sessions(slug)))

    def _revision(self, slug: str) -> int:
        row = self.db.execute("SELECT coalesce(revision, 0) FROM conferences WHERE slug = ?", [slug]).fetchone()
        return int(row[0]) if row else 0

    def fresh(self, snapshot: Snapshot, slug: str) -> Snapshot:
        """`snapshot` if nothing was imported since it was taken, else a new one. Called under the write lock,
        it lets a big re-import read the old sessions before taking the lock instead of while holding it."""
        return snapshot if self._revision(slug) == snapshot.revision else self.snapshot(slug)

    def save(self, catalog: Catalog, now: datetime | None = None, previous: Snapshot | None = None) -> ScheduleDiff:
        """Replace the conference's sessions and report what changed. The diff is against what is stored when
        the write lock is taken, so two imports at once each report what they themselves changed; only the
        sessions that changed are written. Inside a caller's transaction it joins that one."""
        conf = catalog.conference
        ids = Counter(s.id for s in catalog.sessions)
        twice = [sid for sid, n in ids.items() if n > 1]
        if twice:
            raise CatalogError(f"{conf.slug}: session id {twice[0]!r} is used more than once; nothing was stored")
        stamp = (now or datetime.now(UTC)).isoformat()
        previous = previous or self.snapshot(conf.slug)
        from bot.search.persist import index_changed, prepare  # imported here: the store sits below search

        if not self.db.conn.in_transaction:
            prepare(self, catalog)  # the search index is built before the write lock is taken
        with write_transaction(self.db):
            changes = diff(self.fresh(previous, conf.slug).sessions, catalog.sessions)
            self.db.execute(
                'INSERT INTO conferences (slug, title, timezone, start, "end", venue, source, version, note, '
                "imported_at, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT (slug) DO UPDATE SET "
                'title = excluded.title, timezone = excluded.timezone, start = excluded.start, "end" = excluded."end", '
                "venue = excluded.venue, "
                "source = excluded.source, version = excluded.version, note = excluded.note, "
                "imported_at = excluded.imported_at, revision = coalesce(conferences.revision, 0) + 1",
                [
                    conf.slug,
                    conf.title,
                    conf.timezone,
                    conf.start.isoformat() if conf.start else "",
                    conf.end.isoformat() if conf.end else "",
                    conf.venue,
                    conf.source,
                    conf.version,
                    conf.note,
                    stamp,
                ],
            )
            self.db.conn.executemany(
                "DELETE FROM sessions WHERE conference = ? AND id = ?", [(conf.slug, s.id) for s in changes.removed]
            )
            written = [*changes.added, *(c.after for c in changes.changed)]
            if written:
                rows = [_session_row(conf.slug, s) for s in written]
                columns = ", ".join(rows[0])
                self.db.conn.executemany(
                    f"INSERT OR REPLACE INTO sessions ({columns}) VALUES ({', '.join('?' * len(rows[0]))})",
                    [tuple(r.values()) for r in rows],
                )
            index_changed(self, catalog)  # the saved search index is stamped in the same transaction
        return changes

    def remember_import_options(
        self,
        slug: str,
        timezone: str | None,
        csv_columns: tuple[tuple[str, str], ...],
        *,
        allow_private: bool = False,
        title: str = "",
    ) -> None:
        options = {
            "timezone": timezone or "",
            "csv_columns": [list(pair) for pair in csv_columns],
            "allow_private": allow_private,
            "title": title,
        }
        with write_transaction(self.db):
            self.db.execute("UPDATE conferences SET import_options = ? WHERE slug = ?", [json.dumps(options), slug])

    def allows_private(self, slug: str) -> bool:
        """Whether the import was told its source may be on a private address (a test server), so sync may too."""
        row = self.db.execute("SELECT import_options FROM conferences WHERE slug = ?", [slug]).fetchone()
        options = json.loads(row[0]) if row and row[0] else {}
        return bool(options.get("allow_private", False))

    def given_title(self, slug: str) -> str:
        """The title an admin gave with --title: a file named 'dais-2025.csv' says nothing of 'Data + AI Summit',
        so every later import and sync keeps it rather than the one the file suggests."""
        row = self.db.execute("SELECT import_options FROM conferences WHERE slug = ?", [slug]).fetchone()
        options = json.loads(row[0]) if row and row[0] else {}
        return str(options.get("title") or "")

    def import_options(self, slug: str) -> tuple[str, tuple[tuple[str, str], ...]]:
        row = self.db.execute("SELECT import_options FROM conferences WHERE slug = ?", [slug]).fetchone()
        options = json.loads(row[0]) if row and row[0] else {}
        return options.get("timezone", ""), tuple((a, b) for a, b in options.get("csv_columns", []))

    def fingerprint(self) -> str:
        """Changes whenever any catalog is imported again or removed: the signal to rebuild the search index.
        Removals are counted apart and said only once there are some, so stores stamped before keep their stamp."""
        row = self.db.execute(
            "SELECT count(*), coalesce(max(imported_at), ''), total(revision), (SELECT count(*) FROM removals) "
            "FROM conferences"
        ).fetchone()
        return f"{row[0]}:{row[1]}:{row[2]}" + (f":-{row[3]}" if row[3] else "")

    def conferences(self) -> list[Conference]:
        return [_conference(r) for r in self.db["conferences"].rows_where(order_by="start, slug")]

    def activity(self, slugs: list[str], now: datetime) -> dict[str, tuple[int, int]]:
        """For each conference, how many sessions run at `now` and how many it has: what tells a big conference
        from a side event on the same days (see bot.scope.by_calendar). Counted here, no session read."""
        marks = ", ".join("?" for _ in slugs)
        moment = now.astimezone(UTC).isoformat()
        rows = self.db.execute(
            "SELECT conference, total(start_utc != '' AND \"end\" != '' AND julianday(start_utc) <= julianday(?) "
            f'AND julianday("end") > julianday(?)), count(*) FROM sessions WHERE conference IN ({marks}) '
            "GROUP BY conference",
            [moment, moment, *slugs],
        ).fetchall()
        return {str(slug): (int(on), int(count)) for slug, on, count in rows}

    def conference(self, slug: str) -> Conference | None:
        rows = list(self.db["conferences"].rows_where("slug = ?", [slug]))
        return _conference(rows[0]) if rows else None

    def sessions(self, slug: str) -> list[Session]:
        conf = self.conference(slug)
        if conf is None:
            return []
        zone = tz_from_name(conf.timezone) if conf.timezone else None
        rows = self.db["sessions"].rows_where("conference = ?", [slug], order_by="start_utc, id")
        return [_session(r, zone) for r in rows]

    def session(self, slug: str, session_id: str) -> Session | None:
        conf = self.conference(slug)
        rows = list(self.db["sessions"].rows_where("conference = ? AND id = ?", [slug, session_id]))
        if conf is None or not rows:
            return None
        return _session(rows[0], tz_from_name(conf.timezone) if conf.timezone else None)
