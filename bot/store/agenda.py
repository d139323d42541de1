"""Each person's saved sessions, settings and last list, in SQLite: they survive restarts and processes."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlite_utils import Database

from bot.messages import Person
from bot.store.db import write_transaction
from bot.store.faults import is_read_only

DEFAULT_LEAD_MINUTES = 10


@dataclass(frozen=True)
class Settings:
    lead_minutes: int = DEFAULT_LEAD_MINUTES
    timezone: str = ""
    conference: str = ""  # the conference this person chose to ask about ('' lets the channel or calendar decide)


@dataclass(frozen=True)
class LastList:
    """What a person was last shown, so "remind 2" and "more" mean something."""

    refs: tuple[str, ...]
    query: str = ""
    offset: int = 0
    total: int = 0
    kind: str = "search"
    shown_at: str = ""  # ISO time by the bot's clock; '' for a list kept from before it was recorded
    scope: str = ""  # the conference in scope when it was shown

    @property
    def conference(self) -> str:
        """The conference its sessions are from (a search answers from one): where 'more' and 'only …' ask."""
        return self.refs[0].partition(":")[0] if self.refs else ""


def _who(person: Person) -> dict[str, str]:
    return {"platform": person.platform, "workspace": person.workspace, "user": person.user}


class AgendaStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        # Lists shown while the store refused writes (a read-only file): kept here so "remind 2" and "more"
        # still know what was shown, and searching never fails for want of remembering.
        self._unsaved_lists: dict[tuple[str, str, str], LastList] = {}

    # -- saved sessions
    def save(self, person: Person, conference: str, session_id: str, now: datetime | None = None) -> bool:
        """True when newly saved; saving twice changes nothing."""
        with write_transaction(self.db):
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO agenda (platform, workspace, user, conference, session_id, saved_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [*_who(person).values(), conference, session_id, (now or datetime.now(UTC)).isoformat()],
            )
        return bool(cursor.rowcount)

    def forget(self, person: Person, conference: str, session_id: str) -> bool:
        with write_transaction(self.db):
            cursor = self.db.execute(
                "DELETE FROM agenda WHERE platform = ? AND workspace = ? AND user = ? AND conference = ? "
                "AND session_id = ?",
                [person.platform, person.workspace, person.user, conference, session_id],
            )
        return bool(cursor.rowcount)

    def is_saved(self, person: Person, conference: str, session_id: str) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM agenda WHERE platform = ? AND workspace = ? AND user = ? AND conference = ? "
            "AND session_id = ?",
            [person.platform, person.workspace, person.user, conference, session_id],
        ).fetchone()
        return row is not None

    def saved(self, person: Person) -> list[tuple[str, str]]:
        rows = self.db.execute(
            "SELECT conference, session_id FROM agenda WHERE platform = ? AND workspace = ? AND user = ? "
            "ORDER BY saved_at",
            [person.platform, person.workspace, person.user],
        ).fetchall()
        return [(r[0], r[1]) for r in rows]

    def snooze(self, person: Person, conference: str, session_id: str, until: datetime) -> bool:
        """Move this person's next reminder of a saved session to `until`."""
        with write_transaction(self.db):
            cursor = self.db.execute(
                "UPDATE agenda SET snoozed_until = ? WHERE platform = ? AND workspace = ? AND user = ? "
                "AND conference = ? AND session_id = ?",
                [until.astimezone(UTC).isoformat(), *_who(person).values(), conference, session_id],
            )
        return bool(cursor.rowcount)

    # -- settings
    def settings(self, person: Person) -> Settings:
        row = self.db.execute(
            "SELECT lead_minutes, timezone, conference FROM settings WHERE platform = ? AND workspace = ? AND user = ?",
            [person.platform, person.workspace, person.user],
        ).fetchone()
        return Settings(int(row[0]), row[1] or "", row[2] or "") if row else Settings()

    def update_settings(self, person: Person, settings: Settings) -> None:
        with write_transaction(self.db):
            self.db.execute(
                "INSERT INTO settings (platform, workspace, user, lead_minutes, timezone, conference) "
                "VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (platform, workspace, user) DO UPDATE SET lead_minutes = excluded.lead_minutes, "
                "timezone = excluded.timezone, conference = excluded.conference",
                [*_who(person).values(), settings.lead_minutes, settings.timezone, settings.conference],
            )

    # -- the conference a channel or a whole workspace talks about (channel '' is the workspace)
    def channel_conference(self, platform: str, workspace: str, channel: str) -> str:
        row = self.db.execute(
            "SELECT conference FROM conference_scope WHERE platform = ? AND workspace = ? AND channel = ?",
            [platform, workspace, channel],
        ).fetchone()
        return str(row[0] or "") if row else ""

    def set_channel_conference(
        self, platform: str, workspace: str, channel: str, conference: str, set_by: str, now: datetime
    ) -> None:
        """An empty conference removes the choice, so the next one down the order decides again."""
        where = [platform, workspace, channel]
        with write_transaction(self.db):
            if not conference:
                self.db.execute(
                    "DELETE FROM conference_scope WHERE platform = ? AND workspace = ? AND channel = ?", where
                )
                return
            self.db.execute(
                "INSERT INTO conference_scope (platform, workspace, channel, conference, set_by, set_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (platform, workspace, channel) DO UPDATE SET "
                "conference = excluded.conference, set_by = excluded.set_by, set_at = excluded.set_at",
                [*where, conference, set_by, now.isoformat()],
            )

    # -- the last list shown
    def last_list(self, person: Person) -> LastList:
        unsaved = self._unsaved_lists.get((person.platform, person.workspace, person.user))
        if unsaved is not None:
            return unsaved
        row = self.db.execute(
            "SELECT refs, query, offset, total, kind, shown_at, scope FROM last_list "
            "WHERE platform = ? AND workspace = ? AND user = ?",
            [person.platform, person.workspace, person.user],
        ).fetchone()
        if row is None:
            return LastList(())
        return LastList(tuple(json.loads(row[0])), row[1], int(row[2]), int(row[3]), row[4], row[5] or "", row[6] or "")

    def remember_list(self, person: Person, shown: LastList) -> None:
        try:
            self._write_list(person, shown)
        except sqlite3.DatabaseError as exc:
            if not is_read_only(exc):
                raise
            self._unsaved_lists[(person.platform, person.workspace, person.user)] = shown
        else:
            self._unsaved_lists.pop((person.platform, person.workspace, person.user), None)

    def _write_list(self, person: Person, shown: LastList) -> None:
        with write_transaction(self.db):
            self.db.execute(
                "INSERT INTO last_list (platform, workspace, user, refs, query, offset, total, kind, shown_at, scope) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (platform, workspace, user) DO UPDATE SET "
                "refs = excluded.refs, query = excluded.query, offset = excluded.offset, total = excluded.total, "
                "kind = excluded.kind, shown_at = excluded.shown_at, scope = excluded.scope",
                [
                    *_who(person).values(),
                    json.dumps(list(shown.refs)),
                    shown.query,
                    shown.offset,
                    shown.total,
                    shown.kind,
                    shown.shown_at,
                    shown.scope,
                ],
            )
