"""Browsing the schedule through the conversation: now, next by slot, days, details, speakers, tracks, rooms."""

from __future__ import annotations

from datetime import UTC, timedelta
from pathlib import Path

import pytest

from tests.fakes import Core, build_core


@pytest.fixture
def core(tmp_path: Path) -> Core:
    return build_core(tmp_path, "2026-03-28T10:50:00+01:00")


def ids(reply) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.session.id for c in reply.cards]


def test_now_lists_what_is_running(core: Core) -> None:
    core.clock.set(core.clock.now().replace(minute=15))  # 10:15, Rust in the kernel runs 10:00-10:45
    assert ids(core.ask("now")) == ["1"]
    assert ids(core.ask("what's on now")) == ["1"]
    assert ids(core.ask("what is on now")) == ["1"]


def test_now_with_nothing_running_offers_what_is_next(core: Core) -> None:
    reply = core.ask("now")  # 10:50: nothing runs
    assert reply.text.startswith("Nothing is running right now. Starting next:")
    assert ids(reply)[0] == "2"


def test_next_groups_by_slot(core: Core) -> None:
    reply = core.ask("what's next")
    assert ids(reply) == ["2", "15"]  # 14:00 is more than three hours away
    assert [g[1] for g in reply.groups] == [1, 1]
    assert reply.groups[0][0] == "Sat 11:00 (in 10 min)"
    assert ids(core.ask("what is next")) == ids(reply)  # spelt out, not a search for sessions 'next'


def test_next_with_words_filters(core: Core) -> None:
    assert ids(core.ask("next duckdb")) == ["15"]
    later = core.ask("next horovod")
    assert later.text.startswith("Nothing for 'horovod' starts in the next three hours; then, starting next:")
    assert later.cards and all("Horovod" in c.session.title for c in later.cards)
    assert core.ask("next zzyzzx").text.startswith("Nothing for 'zzyzzx' starts")


def test_days_in_time_order(core: Core) -> None:
    assert ids(core.ask("tomorrow morning")) == ["14", "5", "6"]
    assert ids(core.ask("sunday afternoon"))[:2] == ["13", "7"]
    assert ids(core.ask("day 2"))[0] == "14"
    assert "No day of the conference matches 'tuesday'" in core.ask("tuesday").text


def test_about_shows_everything_and_what_overlaps(core: Core) -> None:
    reply = core.ask("about 3")
    card = reply.cards[0]
    assert card.detailed and card.session.abstract == "Partitioning, pooling and replicas."
    assert card.session.url == "https://searchcon.example/3"
    assert card.overlapping == ()
    late = core.ask("about midnight hacking").cards[0]
    assert late.session.id == "16"


def test_speaker_track_tracks_rooms(core: Core) -> None:
    assert ids(core.ask("speaker ruth berg")) == ["5", "6"]
    assert ids(core.ask("track office")) == ["5", "6"]
    tracks = core.ask("tracks").text
    assert "SearchCon 2026: 12 tracks" in tracks and "  Databases (3)" in tracks
    rooms = core.ask("rooms").text
    assert "  H.1302 (4)" in rooms and "  Janson (3)" in rooms


def test_search_pages_with_more_and_numbers_continue(core: Core) -> None:
    first = core.ask("2026")  # nothing; then a broad one
    assert not first.cards
    broad = core.ask("sunday")
    assert [c.number for c in broad.cards] == [1, 2, 3, 4, 5]
    assert broad.actions[0].kind == "more" and "2 more: say 'more'." in broad.notes
    rest = core.ask("more")
    assert [c.number for c in rest.cards] == [6, 7]
    assert core.ask("remind 7").text.startswith(f"Saved “{rest.cards[1].session.title}”")
    assert core.ask("more").text.startswith("That's all: you've seen all 7")


def test_like_finds_the_same_topic(core: Core) -> None:
    reply = core.ask("like 3")  # Scaling PostgreSQL
    assert reply.text == "Sessions like “Scaling PostgreSQL”:"
    assert ids(reply)[0] in {"14", "15"}
    assert "3" not in ids(reply)


def test_anything_else_is_a_search(core: Core) -> None:
    reply = core.ask("talks on horovod")
    assert reply.text == "1 session for 'horovod':" and ids(reply) == ["12"]
    assert core.ask("frobnicate the wibble").text.startswith("Nothing found for 'frobnicate wibble'")


def test_no_catalog_yet_says_so(tmp_path: Path) -> None:
    from datetime import datetime

    from bot.clock import VirtualClock
    from bot.conversation import Conversation
    from bot.messages import Incoming
    from bot.search.service import SearchService
    from bot.store import AgendaStore, CatalogStore, open_database
    from tests.fakes import ME

    db = open_database(tmp_path / "empty.db")
    conversation = Conversation(
        CatalogStore(db),
        AgendaStore(db),
        SearchService(CatalogStore(db)),
        VirtualClock(datetime.fromisoformat("2026-01-01T00:00:00+00:00")),
    )
    assert conversation.handle(Incoming(ME, "help")).text.startswith("No schedule is loaded yet")


def test_now_puts_talks_that_just_began_before_sessions_running_all_day(tmp_path: Path) -> None:
    """At a congress, 'what's on now' used to open with workshops that began at 10:00 and run until 18:00."""
    from dataclasses import replace

    from bot.store import CatalogStore, open_database
    from catalog.load import load
    from tests.conftest import FIXTURES

    catalog = load(str(FIXTURES / "searchcon.schedule.json"))
    rust = next(s for s in catalog.sessions if s.id == "1")  # 10:00-10:45
    assert rust.start is not None
    workshop = replace(rust, id="90", title="Soldering all day", start=rust.start.replace(hour=9), room="Hackspace")
    workshop = replace(workshop, end=workshop.start + (rust.end - rust.start) * 12 if rust.end else None)
    early = replace(rust, id="91", title="Welcome coffee", start=rust.start.replace(minute=0, hour=9))
    early = replace(early, end=rust.start.replace(minute=30))
    sessions = (*catalog.sessions, workshop, early)
    CatalogStore(open_database(tmp_path / "core.db")).save(replace(catalog, sessions=sessions))
    core = build_core(tmp_path, "2026-03-28T10:15:00+01:00")
    assert ids(core.ask("what's on now")) == ["1", "91", "90"]  # began last first; the 9-hour session last


def test_next_and_now_leave_out_slots_without_a_title(tmp_path: Path) -> None:
    """Sessionize grids fill service slots with '.'; 'what's next' listed them as if they were talks."""
    from dataclasses import replace

    from bot.store import CatalogStore, open_database
    from catalog.load import load
    from tests.conftest import FIXTURES

    catalog = load(str(FIXTURES / "searchcon.schedule.json"))
    kubernetes = next(s for s in catalog.sessions if s.id == "2")  # 11:00-11:30
    dot = replace(kubernetes, id="92", title=".", room="Foyer", speakers=())
    CatalogStore(open_database(tmp_path / "core.db")).save(replace(catalog, sessions=(*catalog.sessions, dot)))
    core = build_core(tmp_path, "2026-03-28T10:50:00+01:00")
    assert "92" not in ids(core.ask("what's next"))
    core.clock.set(core.clock.now().replace(hour=11, minute=10))
    assert ids(core.ask("now")) == ["2"]


def test_a_person_not_in_the_schedule_is_said_so_with_the_closest_speakers(core: Core) -> None:
    """'who is jake wharton' at a conference without him offered 'Did you mean: make, take?'."""
    assert core.ask("who is jake wharton").text == "No speaker called 'jake wharton' in this schedule."
    assert {c.session.id for c in core.ask("who is ruth burg").cards} == {"5", "6"}  # one slip: still her sessions
    assert core.ask("who is the keynote speaker").text != "No speaker called 'the keynote speaker' in this schedule."


def _people_store(tmp_path: Path) -> Path:
    """JakeCon has Jake Wharton; RunCon, running now, has Jack Adams and titles full of words spelt like 'jake'."""
    from datetime import date, datetime

    from catalog.model import Catalog, Conference, Session, Speaker
    from tests.scope_fixtures import store_with

    def conf(slug: str, day: date, talks: list[tuple[str, str]]) -> Catalog:
        start = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
        sessions = tuple(
            Session(str(n), title, start=start, end=start + timedelta(minutes=30), speakers=(Speaker(who),))
            for n, (title, who) in enumerate(talks, start=1)
        )
        return Catalog(Conference(slug, slug.capitalize(), "UTC", day, day), sessions)

    return store_with(
        tmp_path / "people.db",
        [
            conf("runcon", date(2026, 3, 28), [("Make it take less time", "Jack Adams"), ("Bake a cake", "Ann Lee")]),
            conf("jakecon", date(2025, 5, 1), [("Kotlin flows", "Jake Wharton")]),
        ],
    )


def _chat(path: Path, conference: str | None = None):  # type: ignore[no-untyped-def]
    from datetime import datetime

    from bot.clock import VirtualClock
    from bot.conversation import Conversation
    from bot.messages import Incoming
    from bot.search.service import SearchService
    from bot.store import AgendaStore, CatalogStore, open_database
    from tests.fakes import ME

    db = open_database(path)
    catalogs = CatalogStore(db)
    clock = VirtualClock(datetime.fromisoformat("2026-03-28T09:00:00+00:00"))
    conversation = Conversation(catalogs, AgendaStore(db), SearchService(catalogs), clock, conference)
    return lambda text: conversation.handle(Incoming(ME, text)).text


def test_who_is_offers_people_and_the_conference_that_has_them(tmp_path: Path) -> None:
    """'who is jake' offered 'make, take'; 'who is X' never pointed to the conference where X speaks."""
    ask = _chat(_people_store(tmp_path))
    answer = ask("who is jake")
    assert answer == (  # the pointer first; a guess at someone else only when no conference has them
        "Runcon (2026) · No speaker called 'jake' in this schedule. "
        "Jakecon (2025) has 1 session for 'jake': say 'who is jake at jakecon', or 'switch to jakecon'."
    )
    assert "make" not in answer.lower() and "take" not in answer.lower()
    assert "Jake Wharton" in ask("who is jake at jakecon")
    by = ask("talks by jake")
    assert "Did you mean" not in by and "say 'talks by jake at jakecon'" in by
    assert ask("talks by jake at jakecon") == "Jakecon (2025) · 1 session for 'jake':"


def test_talks_by_offers_close_speakers_never_ordinary_words(tmp_path: Path) -> None:
    ask = _chat(_people_store(tmp_path), conference="runcon")  # pinned: no other conference is offered
    for question in ("talks by jake", "who is jake"):
        answer = ask(question)
        assert "Did you mean: Jack Adams?" in answer and "take" not in answer.lower() and "Jakecon" not in answer


def test_like_puts_the_similar_talks_still_to_come_first(tmp_path: Path) -> None:
    """During the conference a page of five similar talks was often four already over."""
    from datetime import date, datetime, timedelta

    from bot.clock import VirtualClock
    from bot.conversation import Conversation
    from bot.messages import Incoming
    from bot.search.service import SearchService
    from bot.store import AgendaStore, CatalogStore, open_database
    from catalog.model import Catalog, Conference, Session
    from tests.fakes import ME
    from tests.scope_fixtures import store_with

    day = datetime.fromisoformat("2026-05-02T09:00:00+02:00")
    talks = [
        Session(
            str(i),
            f"Rust compiler internals part {i}",
            track="Rust",
            tags=("rust", "compiler"),
            start=day + timedelta(hours=i),
            end=day + timedelta(hours=i, minutes=45),
        )
        for i in range(1, 10)
    ]
    conf = Conference("rustcon-2026", "RustCon 2026", "Europe/Berlin", date(2026, 5, 2), date(2026, 5, 2))
    db = open_database(store_with(tmp_path / "like.db", [Catalog(conf, tuple(talks))]))
    chat = Conversation(
        CatalogStore(db),
        AgendaStore(db),
        SearchService(CatalogStore(db)),
        VirtualClock(day + timedelta(hours=7, minutes=50)),
    )
    shown = chat.handle(Incoming(ME, "like 1")).cards
    assert [c.session.id for c in shown[:2]] == ["8", "9"]  # only parts 8 and 9 are still to come at 16:50


def test_a_room_asked_for_is_said_back_as_the_schedule_names_it(core: Core) -> None:
    assert core.ask("what's on in saal janson").text == "3 sessions in Janson:"


def test_a_room_typed_without_in_is_said_back_as_a_room(core: Core) -> None:
    assert core.ask("janson").text == "3 sessions in Janson:"
    assert core.ask("UD2.120").text == "2 sessions in UD2.120 (Chavanne):"


def test_a_room_code_after_in_is_said_back_as_the_schedule_names_it(core: Core) -> None:
    assert core.ask("what's on in ud2.120").text == "2 sessions in UD2.120 (Chavanne):"


def test_a_topic_in_part_of_a_day_is_listed_in_time_order(tmp_path: Path) -> None:
    """'security talks after lunch' read 18:00, 17:30, 18:30: the best of an afternoon, in relevance order."""
    talks = [
        ("17", "Rust, Rust everywhere", "Rust and more Rust."),
        ("14", "Rust for beginners", ""),
        ("15", "Tooling", "Written in Rust."),
    ]
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:t{hour}@test\r\nDTSTART:20261228T{hour}0000Z\r\nDTEND:20261228T{hour}3000Z\r\n"
        f"SUMMARY:{title}\r\nDESCRIPTION:{about}\r\nEND:VEVENT\r\n"
        for hour, title, about in talks
    )
    source = tmp_path / "rustcon-2026.ics"
    source.write_text(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//confbot tests//EN\r\n{events}END:VCALENDAR\r\n")
    core = build_core(tmp_path, "2026-12-28T09:00:00+00:00", fixture=str(source))
    by_relevance = [c.session.title for c in core.ask("rust").cards]
    assert by_relevance[0] == "Rust, Rust everywhere"  # a whole-conference search keeps relevance order
    afternoon = [c.session.start.hour for c in core.ask("rust this afternoon").cards if c.session.start]
    assert afternoon == [14, 15, 17]


def test_one_room_and_one_track_are_counted_in_the_singular(tmp_path: Path) -> None:
    hub = build_core(tmp_path, "2026-03-28T10:50:00+01:00", fixture="hub-v2.schedule.json")
    rooms, tracks = hub.ask("rooms").text, hub.ask("tracks").text
    assert rooms.splitlines()[0].endswith(": 1 room") and tracks.splitlines()[0].endswith(": 1 track")
    assert "1 rooms" not in rooms and "1 tracks" not in tracks
