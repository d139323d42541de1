"""The catalog's vocabulary: frozen values, so a session read once can be shared by index, store and replies."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Speaker:
    name: str
    bio: str = ""
    company: str = ""


@dataclass(frozen=True)
class Session:
    """One entry of a schedule. `id` is the id its source gave it, so favourites survive re-imports."""

    id: str
    title: str
    subtitle: str = ""
    abstract: str = ""
    track: str = ""
    type: str = ""
    language: str = ""
    level: str = ""
    room: str = ""
    start: datetime | None = None
    end: datetime | None = None
    speakers: tuple[Speaker, ...] = ()
    tags: tuple[str, ...] = ()
    url: str = ""
    companies: tuple[str, ...] = ()

    @property
    def speaker_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.speakers)

    def overlaps(self, other: Session) -> bool:
        if not (self.start and self.end and other.start and other.end):
            return False
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Conference:
    slug: str
    title: str
    timezone: str = ""
    start: date | None = None
    end: date | None = None
    venue: str = ""
    source: str = ""
    version: str = ""
    note: str = ""


@dataclass(frozen=True)
class Catalog:
    """What an importer returns: the conference, its sessions, and what the reader should know about them."""

    conference: Conference
    sessions: tuple[Session, ...]
    warnings: tuple[str, ...] = field(default=())
