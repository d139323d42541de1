"""Each person's saved sessions, settings and last list, in SQLite: they survive restarts and processes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlite_utils import Database

from bot.messages import Person

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


def _who(person: Person) -> dict[str, str]:
    return {"platform": person.platform, "workspace": person.workspace, "user": person.user}


class AgendaStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- saved sessions
    def save(self, person: Person, conference: str, session_id: str, now: datetime | None = None) -> bool:
        """True when newly saved; saving twice changes nothing."""
        row = {**_who(person), "conference": conference, "session_id": session_id}
        if self.is_saved(person, conference, session_id):
            return False
        self.db.table("agenda").insert({**row, "saved_at": (now or datetime.now(UTC)).isoformat()})
        return True

    def forget(self, person: Person, conference: str, session_id: str) -> bool:
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
        cursor = self.db.execute(
            "UPDATE agenda SET snoozed_until = ? WHERE platform = ? AND workspace = ? AND user = ? "
            "AND conference = ? AND session_id = ?",
            [until.astimezone(UTC).isoformat(), person.platform, person.workspace, person.user, conference, session_id],
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
        self.db.table("settings").upsert(
            {
                **_who(person),
                "lead_minutes": settings.lead_minutes,
                "timezone": settings.timezone,
                "conference": settings.conference,
            },
            pk=("platform", "workspace", "user"),
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
        if not conference:
            self.db.execute(
                "DELETE FROM conference_scope WHERE platform = ? AND workspace = ? AND channel = ?",
                [platform, workspace, channel],
            )
            return
        self.db.table("conference_scope").upsert(
            {
                "platform": platform,
                "workspace": workspace,
                "channel": channel,
                "conference": conference,
                "set_by": set_by,
                "set_at": now.isoformat(),
            },
            pk=("platform", "workspace", "channel"),
        )

    # -- the last list shown
    def last_list(self, person: Person) -> LastList:
        row = self.db.execute(
            "SELECT refs, query, offset, total, kind FROM last_list WHERE platform = ? AND workspace = ? AND user = ?",
            [person.platform, person.workspace, person.user],
        ).fetchone()
        if row is None:
            return LastList(())
        return LastList(tuple(json.loads(row[0])), row[1], int(row[2]), int(row[3]), row[4])

    def remember_list(self, person: Person, shown: LastList) -> None:
        self.db.table("last_list").upsert(
            {
                **_who(person),
                "refs": json.dumps(list(shown.refs)),
                "query": shown.query,
                "offset": shown.offset,
                "total": shown.total,
                "kind": shown.kind,
            },
            pk=("platform", "workspace", "user"),
        )
