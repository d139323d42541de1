"""Scope on real schedules: FOSDEM 2025 and 2026, 38C3 and DebConf 23 in one store (skipped without them)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from bot.clock import VirtualClock
from bot.conversation import Conversation
from bot.messages import Incoming, Person, Reply
from bot.search.service import SearchService
from bot.search.text import words
from bot.store import AgendaStore, CatalogStore, open_database
from tests.conftest import needs_shared
from tests.scope_fixtures import shared_store

pytestmark = needs_shared
FOSDEM_2025_SATURDAY = "2025-02-01T10:00:00+01:00"


class Shared:
    def __init__(self, path: Path) -> None:
        db = open_database(path)
        self.catalogs = CatalogStore(db)
        self.clock = VirtualClock(datetime.fromisoformat(FOSDEM_2025_SATURDAY))
        self.conversation = Conversation(self.catalogs, AgendaStore(db), SearchService(self.catalogs), self.clock)
        self.people = 0

    def person(self) -> Person:
        self.people += 1  # every test talks as someone new: lists and settings never leak between tests
        return Person("console", "local", f"p{self.people}")

    def ask(self, text: str, person: Person) -> Reply:
        return self.conversation.handle(Incoming(person, text))


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shared]:
    yield Shared(shared_store(tmp_path_factory.mktemp("shared") / "shared.db"))


@pytest.fixture
def me(shared: Shared) -> Person:
    shared.clock.set(datetime.fromisoformat(FOSDEM_2025_SATURDAY))
    return shared.person()


def test_rust_at_fosdem_2025_answers_from_fosdem_2025_only(shared: Shared, me: Person) -> None:
    reply = shared.ask("talks on rust", me)
    assert reply.text.startswith("FOSDEM 2025 · ") and {c.conference for c in reply.cards} == {"fosdem-2025"}
    seen = set()
    while reply.cards:
        seen |= {c.conference for c in reply.cards}
        reply = shared.ask("more", me)
    assert seen == {"fosdem-2025"}


def test_late_on_the_last_day_upcoming_rust_comes_first(shared: Shared, me: Person) -> None:
    shared.clock.set(datetime.fromisoformat("2025-02-02T14:50:00+01:00"))
    statuses = [c.status for c in shared.ask("rust", me).cards]
    while True:
        page = shared.ask("more", me)
        if not page.cards:
            break
        statuses += [c.status for c in page.cards]
    first_ended = statuses.index("ended")
    assert first_ended > 0 and set(statuses[first_ended:]) == {"ended"}
    assert any(s.startswith("now, until ") for s in statuses[:first_ended])


def test_next_then_more_lists_every_session_of_the_slot_once(shared: Shared, me: Person) -> None:
    slot = datetime.fromisoformat("2025-02-01T10:30:00+01:00")
    expected = {s.id for s in shared.catalogs.sessions("fosdem-2025") if s.start == slot}
    reply = shared.ask("next", me)
    shown: list[str] = []
    while reply.cards:
        shown += [c.session.id for c in reply.cards]
        reply = shared.ask("more", me)
    assert len(expected) > 10 and sorted(shown) == sorted(expected)


def test_counts_at_other_times_count_this_conference_only(shared: Shared, me: Person) -> None:
    total = int(shared.ask("rust", me).text.split("·")[1].split()[0])
    empty = shared.ask("rust at 03:00", me)
    found = re.search(r"(\d+) sessions match at other times", empty.text)
    assert found and int(found.group(1)) == total


def test_did_you_mean_never_offers_another_conference(shared: Shared, me: Person) -> None:
    fosdem = {w for s in shared.catalogs.sessions("fosdem-2025") for n in s.speaker_names for w in words(n)}
    only_38c3 = sorted(
        n
        for s in shared.catalogs.sessions("38c3")
        for n in s.speaker_names
        if len(n) >= 12 and n.isascii() and " " in n and not set(words(n)) & fosdem
    )
    name = only_38c3[0]
    typo = name[:3] + name[4:]  # one letter dropped
    here = shared.ask(typo, me).text
    assert name not in here
    assert name in shared.ask(f"38c3 {typo}", me).text or shared.ask(f"38c3 {typo}", me).cards


def test_first_names_list_every_speaker_who_fits(shared: Shared, me: Person) -> None:
    reply = shared.ask("speaker dan", me)
    assert re.match(r"FOSDEM 2025 · \d+ speakers fit 'dan': ", reply.text)
    for card in reply.cards:
        assert card.conference == "fosdem-2025"
        assert any(w.startswith("dan") for n in card.session.speaker_names for w in words(n))


def test_an_id_used_by_two_conferences_asks_which(shared: Shared, me: Person) -> None:
    ids_38c3 = {s.id for s in shared.catalogs.sessions("38c3")}
    common = sorted(s.id for s in shared.catalogs.sessions("fosdem-2025") if s.id in ids_38c3)
    assert common  # 4617 is an event id at both
    reply = shared.ask(f"about {common[0]}", me)
    assert reply.text.startswith("Which one?")
    assert {c.conference for c in reply.cards} == {"fosdem-2025", "38c3"}
    assert {c.label for c in reply.cards} == {"FOSDEM 2025", "38C3 (2024)"}


def test_switching_by_name(shared: Shared, me: Person) -> None:
    assert shared.ask("switch to 38c3", me).text == "Done: I now answer you about 38C3 (2024)."
    tracks = shared.ask("tracks", me).text
    assert tracks.startswith("38C3 (2024): 7 tracks") and "FOSDEM" not in tracks
    assert {c.conference for c in shared.ask("debconf talks on debian", me).cards} == {"debconf23"}


def test_switching_back_by_name(shared: Shared, me: Person) -> None:
    shared.ask("switch to 38c3", me)
    assert shared.ask("switch back to fosdem 2025", me).text == "Done: I now answer you about FOSDEM 2025."
    assert shared.ask("tracks", me).text.startswith("FOSDEM 2025:")


def test_a_conference_that_is_over_says_so_and_what_comes_next(shared: Shared, me: Person) -> None:
    shared.ask("switch to 38c3", me)
    shared.clock.set(datetime.fromisoformat("2025-06-01T10:30:00+02:00"))
    between = shared.ask("what's on now", me)
    assert between.text == (
        "38C3 (2024) is over: it ended on Mon 30 Dec 2024. "
        "Coming up: FOSDEM 2026 from Sat 31 Jan 2026; say 'switch to fosdem-2026'."
    )
    shared.clock.set(datetime.fromisoformat("2027-01-01T10:30:00+01:00"))
    for said in ("what's on now", "next"):
        reply = shared.ask(said, me)
        assert reply.text == "38C3 (2024) is over: it ended on Mon 30 Dec 2024." and reply.cards == ()
