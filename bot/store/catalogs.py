"""Conferences and their sessions in SQLite: one transaction per import, and the diff it made."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from sqlite_utils import Database

from bot.store.db import write_transaction
from catalog.diff import ScheduleDiff, diff
from catalog.model import Catalog, Conference, Session, Speaker
from catalog.times import tz_from_name


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
        speakers=tuple(Speaker(*p) for p in json.loads(row["speakers"] or "[]")),
        tags=tuple(json.loads(row["tags"] or "[]")),
        url=row["url"] or "",
        companies=tuple(json.loads(row["companies"] or "[]")),
    )


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

    def save(self, catalog: Catalog, now: datetime | None = None) -> ScheduleDiff:
        """Replace the conference's sessions; the diff is read under the same write lock, so two imports at
        once each report what they themselves changed. Inside a caller's transaction it joins that one."""
        conf = catalog.conference
        stamp = (now or datetime.now(UTC)).isoformat()
        with write_transaction(self.db):
            previous = self.sessions(conf.slug) if self.conference(conf.slug) else []
            changes = diff(previous, catalog.sessions)
            self.db.table("conferences").upsert(
                {
                    "slug": conf.slug,
                    "title": conf.title,
                    "timezone": conf.timezone,
                    "start": conf.start.isoformat() if conf.start else "",
                    "end": conf.end.isoformat() if conf.end else "",
                    "venue": conf.venue,
                    "source": conf.source,
                    "version": conf.version,
                    "note": conf.note,
                    "imported_at": stamp,
                },
                pk="slug",
            )
            self.db.execute("DELETE FROM sessions WHERE conference = ?", [conf.slug])
            self.db.table("sessions").insert_all((_session_row(conf.slug, s) for s in catalog.sessions), batch_size=500)
        return changes

    def remember_import_options(
        self, slug: str, timezone: str | None, csv_columns: tuple[tuple[str, str], ...]
    ) -> None:
        options = {"timezone": timezone or "", "csv_columns": [list(pair) for pair in csv_columns]}
        with write_transaction(self.db):
            self.db.execute("UPDATE conferences SET import_options = ? WHERE slug = ?", [json.dumps(options), slug])

    def import_options(self, slug: str) -> tuple[str, tuple[tuple[str, str], ...]]:
        row = self.db.execute("SELECT import_options FROM conferences WHERE slug = ?", [slug]).fetchone()
        options = json.loads(row[0]) if row and row[0] else {}
        return options.get("timezone", ""), tuple((a, b) for a, b in options.get("csv_columns", []))

    def fingerprint(self) -> str:
        """Changes whenever any catalog is imported again: the signal to rebuild the search index."""
        row = self.db.execute("SELECT count(*), coalesce(max(imported_at), '') FROM conferences").fetchone()
        return f"{row[0]}:{row[1]}"

    def conferences(self) -> list[Conference]:
        return [_conference(r) for r in self.db["conferences"].rows_where(order_by="start, slug")]

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
