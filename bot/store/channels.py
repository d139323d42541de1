"""Announcement channels: which channel hears about which sessions, how far ahead, and who set it up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlite_utils import Database

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
        return f"{what}, {self.lead_minutes} minutes ahead" + (", with a morning digest" if self.digest else "")


class ChannelStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, route: Route, now: datetime | None = None) -> None:
        self.db.table("channels").upsert(
            {
                "platform": route.platform,
                "workspace": route.workspace,
                "channel": route.channel,
                "conference": route.conference,
                "scope": route.scope,
                "value": route.value,
                "lead_minutes": route.lead_minutes,
                "digest": int(route.digest),
                "created_by": route.created_by,
                "created_at": (now or datetime.now(UTC)).isoformat(),
            },
            pk=("platform", "workspace", "channel", "scope", "value"),
        )

    def remove_channel(self, platform: str, workspace: str, channel: str) -> int:
        cursor = self.db.execute(
            "DELETE FROM channels WHERE platform = ? AND workspace = ? AND channel = ?", [platform, workspace, channel]
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
