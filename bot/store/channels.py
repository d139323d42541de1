"""Announcement channels: which channel hears about which sessions, how far ahead, and who set it up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlite_utils import Database

from bot.store.db import write_transaction
from catalog.text import counted

DEFAULT_ANNOUNCE_MINUTES = 5


@dataclass(frozen=True)
class Route:
    platform: str
    workspace: str
    channel: str
    conference: str = ""
    scope: str = "all"  # all, track, room
    value: str = ""
    lead_minutes: int = DEFAULT_ANNOUNCE_MINUTES
    digest: bool = False
    created_by: str = ""

    def covers(self, conference: str, track: str, room: str) -> bool:
        if self.conference and self.conference != conference:
            return False
        if self.scope == "track":
            return track.casefold() == self.value.casefold()
        if self.scope == "room":
            return room.casefold() == self.value.casefold()
        return True

    def describe(self) -> str:
        what = {"all": "every session", "track": f"the {self.value} track", "room": f"room {self.value}"}[self.scope]
        return f"{what}, {counted(self.lead_minutes, 'minute')} ahead" + (
            ", with a morning digest" if self.digest else ""
        )


class ChannelStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, route: Route, now: datetime | None = None) -> None:
        with write_transaction(self.db):
            self.db.execute(
                "INSERT INTO channels (platform, workspace, channel, conference, scope, value, lead_minutes, digest, "
                "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (platform, workspace, channel, scope, value) DO UPDATE SET "
                "conference = excluded.conference, lead_minutes = excluded.lead_minutes, digest = excluded.digest, "
                "created_by = excluded.created_by, created_at = excluded.created_at",
                [
                    route.platform,
                    route.workspace,
                    route.channel,
                    route.conference,
                    route.scope,
                    route.value,
                    route.lead_minutes,
                    int(route.digest),
                    route.created_by,
                    (now or datetime.now(UTC)).isoformat(),
                ],
            )

    def remove_channel(self, platform: str, workspace: str, channel: str) -> int:
        with write_transaction(self.db):
            cursor = self.db.execute(
                "DELETE FROM channels WHERE platform = ? AND workspace = ? AND channel = ?",
                [platform, workspace, channel],
            )
        return cursor.rowcount

    def routes(self, platform: str | None = None, workspace: str | None = None) -> list[Route]:
        rows = self.db.execute(
            "SELECT platform, workspace, channel, conference, scope, value, lead_minutes, digest, created_by "
            "FROM channels WHERE (? IS NULL OR platform = ?) AND (? IS NULL OR workspace = ?) "
            "ORDER BY platform, workspace, channel, scope, value",
            [platform, platform, workspace, workspace],
        ).fetchall()
        return [Route(r[0], r[1], r[2], r[3], r[4], r[5], int(r[6]), bool(r[7]), r[8]) for r in rows]
