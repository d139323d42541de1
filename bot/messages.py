"""The core's vocabulary with the adapters: what arrives (`Incoming`) and what goes back (`Reply`).

Platform payloads become `Incoming` at the very edge; renderers turn a `Reply` into Block Kit, embeds or
terminal text as pure functions. Nothing here knows any platform.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from catalog.model import Session

if TYPE_CHECKING:
    from bot.search.engine import SearchResult


@dataclass(frozen=True)
class Person:
    """Someone on one platform, in one workspace or guild: nothing of theirs is visible from another."""

    platform: str
    workspace: str
    user: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.platform, self.workspace, self.user)


@dataclass(frozen=True)
class Incoming:
    """A slash command, a DM, a mention, a typed console line or a button press: all look alike here."""

    person: Person
    text: str = ""
    channel: str = ""
    is_direct: bool = True
    action: str = ""  # a button: remind, forget, details, like, more, snooze, share
    value: str = ""  # what the button refers to, e.g. "fosdem-2026:8376"
    is_admin: bool = False  # the platform says this person may change workspace settings
    stand_in: bool = False  # a terminal playing a channel so every feature can be tried: no real channel exists


@dataclass(frozen=True)
class Action:
    kind: str
    label: str
    value: str


@dataclass(frozen=True)
class Card:
    """One session as a reply shows it; renderers decide how times look (each reader's own zone if possible)."""

    conference: str
    session: Session
    zone: str  # the zone to show times in where a platform cannot localise them
    number: int | None = None
    why: tuple[str, ...] = ()
    saved: bool = False
    reminder_at: datetime | None = None
    clashes: tuple[str, ...] = ()  # titles of saved sessions this one overlaps
    detailed: bool = False  # show the abstract and everything else
    overlapping: tuple[str, ...] = ()  # for details: what else runs at the same time
    actions: tuple[Action, ...] = ()
    status: str = ""  # "ended", "now, until 11:30": where the session stands on the clock, while it matters
    label: str = ""  # the conference, when one list mixes several ("FOSDEM 2025")
    more_at_same_time: int = 0  # for details: how many more run at the same time than `overlapping` lists
    hint: str = ""  # what to type to name it again ('2', 'RustBoy: A Rust'); '' when only its id is unique

    @property
    def ref(self) -> str:
        return f"{self.conference}:{self.session.id}"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class Reply:
    """Plain text always (notifications and the console need it), cards and buttons when there are any."""

    text: str
    cards: tuple[Card, ...] = ()
    actions: tuple[Action, ...] = ()
    notes: tuple[str, ...] = ()
    private: bool = True
    attachment: Attachment | None = None
    groups: tuple[tuple[str, int], ...] = field(default=())  # (heading, number of cards) for "next" slots
    total: int | None = None  # a list's whole length, of which `cards` is one page
    # The search a reply answers with, for programs that read more than its words (`confbot search --json`:
    # scores, suggestions); chat renderers never need it.
    search: SearchResult | None = field(default=None, compare=False, repr=False)
