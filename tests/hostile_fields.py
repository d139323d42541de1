"""A conference whose every field is hostile, and the replies the real core makes from it.

Shared by the per-platform rendering tests: each renders every reply here and looks for pings, mentions and
link targets that are not web addresses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import VirtualClock
from bot.conversation import Conversation
from bot.messages import Incoming, Person, Reply
from bot.reminders.due import Due
from bot.reminders.text import announcement_reply, digest_reply, notice_reply, reminder_reply
from bot.search.service import SearchService
from bot.store import AgendaStore, CatalogStore, open_database
from catalog.model import Catalog, Conference, Session, Speaker

ZONE = "Europe/Brussels"
NOW = datetime(2026, 3, 28, 8, 0, tzinfo=ZoneInfo(ZONE))
MARKUP = (
    "<!channel> <!here|here> <!everyone> @everyone @here <@U0123ABCD> <@U0123ABCD|ann> <#C0123ABCD> "
    "<!subteam^S0123> <@123456789012345678> <@!123456789012345678> <@&123456789012345678> "
    "<#123456789012345678> <t:0:F> </talks search:1> <:evil:123456789012345678> "
    "[click](javascript:alert(1)) <https://evil.example|click> <javascript:alert(1)|x> *bold* _it_ `code` "
    "\x1b]8;;https://evil.example\x07link\x1b]8;;\x07 \x1b[2J \r\nX-INJECTED:1 \u202eevil"
)
URLS = (
    "!channel",
    "@U0123ABCD",
    "#C0123ABCD",
    "<!here>",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://example.org/a|b>c",
    "https://example.org/a b",
    "https://example.org/\r\nX-INJECTED:1",
    "https://slack.com@evil.example/",
    "file:///etc/passwd",
    "//evil.example/x",
    "https://" + "a" * 3000 + ".example/",
    "https://example.org/fine?x=1&y=<2>",
)
WEB = "https://example.org/ok?a=1&b=2"


def hostile(n: int, url: str, start: datetime) -> Session:
    return Session(
        id=f"h{n}",
        title=f"zebra{n} {MARKUP}",
        subtitle=MARKUP,
        abstract=MARKUP,
        track=f"track {MARKUP}",
        room=f"room {MARKUP}",
        start=start,
        end=start + timedelta(minutes=50),
        speakers=(Speaker(f"speaker {MARKUP}", bio=MARKUP, company=MARKUP),),
        tags=(MARKUP,),
        url=url,
    )


def catalog() -> Catalog:
    first = NOW + timedelta(hours=2)
    sessions = [hostile(i, url, first) for i, url in enumerate(URLS)]  # all at once: each clashes with the rest
    sessions.append(hostile(len(URLS), WEB, first + timedelta(hours=1)))
    conference = Conference(
        "hostile-2026", f"Hostile {MARKUP}", ZONE, date(2026, 3, 28), date(2026, 3, 29), venue=MARKUP
    )
    return Catalog(conference, tuple(sessions))


@dataclass
class HostileReplies:
    """Every kind of reply a platform renders, each built by the real core from the hostile catalog."""

    replies: dict[str, Reply]
    sessions: tuple[Session, ...]


def replies(tmp_path: Path) -> HostileReplies:
    db = open_database(tmp_path / "hostile.db")
    catalogs, agenda = CatalogStore(db), AgendaStore(db)
    built = catalog()
    catalogs.save(built)
    clock = VirtualClock(NOW)
    conversation = Conversation(catalogs, agenda, SearchService(catalogs), clock)
    me = Person("test", "T1", "U1")

    def ask(text: str) -> Reply:
        return conversation.handle(Incoming(me, text, "C1", False))

    found = ask("zebra0 zebra1 zebra2 zebra3 zebra4 zebra5")
    for session in built.sessions:
        conversation.handle(Incoming(me, "", "C1", False, action="remind", value=f"hostile-2026:{session.id}"))
    slot = NOW + timedelta(hours=2)
    items = [("hostile-2026", s) for s in built.sessions]

    def due(kind: str, payload: str = "") -> Due:
        return Due("k", kind, "test", "T1", "C1", "hostile-2026", "h0", slot, slot, slot, payload)

    out = {
        "search": found,
        "today": ask("today"),
        "about": ask("about hostile-2026:h0"),
        "about-web": ask(f"about hostile-2026:h{len(URLS)}"),
        "agenda": ask("agenda"),
        "like": ask("like hostile-2026:h1"),
        "next": ask("next"),
        "nothing-found": ask(MARKUP),
        "reminder": reminder_reply(due("reminder"), built.sessions[0], ZONE, slot - timedelta(minutes=10)),
        "announcement": announcement_reply(due("announcement"), items, ZONE, slot - timedelta(minutes=5)),
        "digest": digest_reply(due("digest"), items, ZONE),
        "notice": notice_reply(due("notice", f"📅 “{built.sessions[0].title}” moved to {MARKUP}.")),
        "bulletin": notice_reply(due("bulletin", f"📅 Schedule update: “{built.sessions[1].title}” was removed.")),
    }
    for session in built.sessions:
        out[f"about-{session.id}"] = ask(f"about hostile-2026:{session.id}")
    return HostileReplies(out, built.sessions)
