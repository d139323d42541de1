"""One conference in scope, several in the store: how the scope is chosen, switched, pinned and shown.

Two editions of our own SearchCon share titles, speakers and ids, so any leak from one into the other shows.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from bot.clock import VirtualClock
from bot.conversation import Conversation
from bot.messages import Incoming, Person, Reply
from bot.search.service import SearchService
from bot.store import AgendaStore, CatalogStore, open_database
from bot.store.channels import ChannelStore
from catalog.model import Catalog, Conference, Session
from tests.scope_fixtures import searchcon, store_with, untimed

ANN = Person("slack", "T1", "U1")
BOB = Person("slack", "T1", "U2")
ADMIN = Person("slack", "T1", "U7")
DURING_2026 = "2026-03-28T10:00:00+01:00"


class Chat:
    def __init__(self, path: Path, now: str, conference: str | None = None, default: str | None = None) -> None:
        db = open_database(path)
        catalogs = CatalogStore(db)
        self.clock = VirtualClock(datetime.fromisoformat(now))
        self.agenda = AgendaStore(db)
        search = SearchService(catalogs)
        self.conversation = Conversation(catalogs, self.agenda, search, self.clock, conference, default)

    def ask(self, text: str, person: Person = ANN, channel: str = "D1", admin: bool = False) -> Reply:
        return self.conversation.handle(Incoming(person, text, channel, channel.startswith("D"), is_admin=admin))


def slugs(reply: Reply) -> set[str]:
    return {c.conference for c in reply.cards}


@pytest.fixture
def two(tmp_path: Path) -> Path:
    return store_with(tmp_path / "two.db", searchcon())


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("2026-03-28T10:00:00+01:00", "searchcon-2026"),  # running now
        ("2025-03-29T10:00:00+01:00", "searchcon-2025"),  # running now
        ("2025-10-01T10:00:00+02:00", "searchcon-2026"),  # between: the next to start
        ("2024-01-01T10:00:00+01:00", "searchcon-2025"),  # before both: the next to start
        ("2027-06-01T10:00:00+02:00", "searchcon-2026"),  # after both: the most recent
    ],
)
def test_the_calendar_picks_the_conference(two: Path, now: str, expected: str) -> None:
    reply = Chat(two, now).ask("horovod")
    assert slugs(reply) == {expected}
    assert reply.text.startswith(f"SearchCon {expected[-4:]} · 1 session for 'horovod'")


def test_one_conference_needs_no_label(tmp_path: Path) -> None:
    reply = Chat(store_with(tmp_path / "one.db", searchcon(1)), DURING_2026).ask("horovod")
    assert reply.text == "1 session for 'horovod':"


def test_a_person_switches_and_others_keep_theirs(two: Path) -> None:
    chat = Chat(two, DURING_2026)
    assert chat.ask("switch to searchcon 2025").text == "Done: I now answer you about SearchCon 2025."
    assert slugs(chat.ask("horovod")) == {"searchcon-2025"}
    assert slugs(chat.ask("horovod", BOB)) == {"searchcon-2026"}
    assert "SearchCon 2025" in chat.ask("settings").text
    chat.ask("settings conference auto")
    assert slugs(chat.ask("horovod")) == {"searchcon-2026"}
    assert chat.ask("switch to pycon").text.startswith("I don't know a conference called 'pycon'. Loaded:")


def test_an_admin_sets_a_channel_and_attendees_there_follow_it(two: Path) -> None:
    chat = Chat(two, DURING_2026)
    done = chat.ask("settings conference searchcon-2025", ADMIN, "C1", admin=True)
    assert done.text == "Done: in this channel I now answer about SearchCon 2025."
    assert slugs(chat.ask("horovod", ANN, "C1")) == {"searchcon-2025"}
    assert slugs(chat.ask("next", ANN, "C1")) <= {"searchcon-2025"}
    refused = chat.ask("switch to searchcon 2026", ANN, "C1")
    assert refused.text.startswith("This channel is set to SearchCon 2025 by an admin.")
    assert chat.ask("searchcon 2026 horovod", ANN, "C1").text.startswith("This channel is set to SearchCon 2025")
    assert slugs(chat.ask("horovod", ANN, "C2")) == {"searchcon-2026"}  # another channel: the calendar
    assert slugs(chat.ask("horovod", ANN, "D1")) == {"searchcon-2026"}  # a DM: the person's own


def test_a_workspace_wide_choice_and_its_limits(two: Path) -> None:
    chat = Chat(two, DURING_2026)
    refused = chat.ask("settings conference searchcon-2025 everywhere", ANN, "C1")
    assert refused.text.startswith("Only workspace admins can choose the conference for everyone")
    chat.ask("settings conference searchcon-2025 everywhere", ADMIN, "C1", admin=True)
    assert slugs(chat.ask("horovod", BOB, "C9")) == {"searchcon-2025"}
    chat.ask("switch to searchcon 2026", BOB, "D1")  # a person's own choice outranks the workspace's
    assert slugs(chat.ask("horovod", BOB, "C9")) == {"searchcon-2026"}
    assert Person("slack", "T2", "U1") != ANN and slugs(chat.ask("horovod", Person("slack", "T2", "U1"))) == {
        "searchcon-2026"
    }  # nothing of one workspace is visible from another


def test_explicit_conference_is_pinned(two: Path) -> None:
    chat = Chat(two, DURING_2026, conference="searchcon-2025")
    assert slugs(chat.ask("horovod")) == {"searchcon-2025"}
    assert "started with --conference" in chat.ask("switch to searchcon 2026").text
    assert "started with --conference" in chat.ask("searchcon 2026 horovod").text
    chat.ask("settings conference searchcon-2026", ADMIN, "C1", admin=True)
    assert slugs(chat.ask("horovod", ANN, "C1")) == {"searchcon-2025"}


def test_config_default_comes_after_people_and_before_the_calendar(two: Path) -> None:
    chat = Chat(two, DURING_2026, default="searchcon-2025")
    assert slugs(chat.ask("horovod")) == {"searchcon-2025"}
    chat.ask("switch to searchcon 2026")
    assert slugs(chat.ask("horovod")) == {"searchcon-2026"}


def test_naming_a_conference_in_the_question(two: Path) -> None:
    chat = Chat(two, DURING_2026)
    first = chat.ask("searchcon 2025 talks on horovod")
    assert slugs(first) == {"searchcon-2025"} and first.text.startswith("SearchCon 2025 · 1 session for 'horovod'")
    assert slugs(chat.ask("horovod at searchcon-2025")) == {"searchcon-2025"}
    assert slugs(chat.ask("horovod")) == {"searchcon-2026"}  # only that question
    assert {c.ref for c in chat.ask("conferences").cards} == set()
    assert "→ SearchCon 2026" in chat.ask("conferences").text


def test_an_id_in_two_conferences_asks_which(two: Path) -> None:
    chat = Chat(two, DURING_2026)
    reply = chat.ask("about 12")
    assert reply.text == "Which one? Say its number, or 'about <number>':"
    assert slugs(reply) == {"searchcon-2025", "searchcon-2026"}
    assert {c.label for c in reply.cards} == {"SearchCon 2025", "SearchCon 2026"}
    picked = chat.ask("about 1")  # now a list position
    assert picked.cards[0].session.title == "Hands-on Horovod"


def test_a_number_is_never_corrected_into_another(two: Path) -> None:
    chat = Chat(two, DURING_2026)
    chat.ask("databases")
    reply = chat.ask("about 99")
    assert reply.text.startswith("There is no session number 99: your last list has 1 to 3.")
    assert reply.cards == ()
    assert chat.ask("remind 2").text.startswith("Saved ")


def test_an_agenda_across_conferences_says_which_on_each_line(two: Path) -> None:
    chat = Chat(two, DURING_2026)
    chat.ask("remind searchcon-2026:12")
    chat.ask("remind searchcon-2025:3")
    chat.ask("remind searchcon-2026:1")
    cards = chat.ask("agenda").cards
    assert [(c.label, c.session.id) for c in cards] == [
        ("SearchCon 2025", "3"),
        ("SearchCon 2026", "1"),
        ("SearchCon 2026", "12"),
    ]


def test_an_agenda_of_another_conference_says_which(two: Path) -> None:
    """One saved session of last year's edition, asked about during this year's: its line said no conference."""
    chat = Chat(two, DURING_2026)
    chat.ask("remind searchcon-2025:3")
    assert [c.label for c in chat.ask("agenda").cards] == ["SearchCon 2025"]
    chat.ask("forget all yes")
    chat.ask("remind searchcon-2026:1")
    assert [c.label for c in chat.ask("agenda").cards] == [""]  # the one asked about needs no label


def test_tracks_rooms_speakers_and_announcements_follow_the_scope(two: Path) -> None:
    chat = Chat(two, DURING_2026)
    chat.ask("settings conference searchcon-2025", ADMIN, "C1", admin=True)
    tracks = chat.ask("tracks", ANN, "C1").text
    assert tracks.startswith("SearchCon 2025: 12 tracks") and "SearchCon 2026" not in tracks
    assert "SearchCon 2026" not in chat.ask("rooms", ANN, "C1").text
    assert slugs(chat.ask("speaker ruth", ANN, "C1")) == {"searchcon-2025"}
    assert slugs(chat.ask("track databases", ANN, "C1")) == {"searchcon-2025"}
    chat.ask("announce here track databases", ADMIN, "C1", admin=True)
    routes = ChannelStore(chat.agenda.db).routes("slack", "T1")
    assert [(r.channel, r.conference, r.value) for r in routes] == [("C1", "searchcon-2025", "Databases")]


def test_a_schedule_without_times_says_so(tmp_path: Path) -> None:
    chat = Chat(store_with(tmp_path / "plan.db", [untimed()]), "2027-04-01T10:00:00+02:00")
    for question in ("today", "next", "now", "rust tomorrow afternoon"):
        assert "this schedule has no times yet" in chat.ask(question).text, question
    assert chat.ask("rust").cards[0].session.title == "Rust at scale"


def test_bot_conference_in_the_config_file(two: Path, tmp_path: Path) -> None:
    from bot.config import load_config
    from bot.runtime import build_runtime
    from tests.fakes import FakeNotifier

    config_file = tmp_path / "confbot.toml"
    config_file.write_text('[bot]\nconference = "searchcon-2025"\n', encoding="utf-8")
    clock = VirtualClock(datetime.fromisoformat(DURING_2026))
    runtime = build_runtime(open_database(two), FakeNotifier(), clock, load_config(str(config_file), env={}))
    assert slugs(runtime.conversation.handle(Incoming(ANN, "horovod"))) == {"searchcon-2025"}
    runtime.scheduler.shutdown()


def test_an_admin_switching_changes_only_their_own_view(two: Path) -> None:
    chat = Chat(two, DURING_2026)
    switched = chat.ask("switch to searchcon 2025", ADMIN, "C1", admin=True)
    assert switched.text == "Done: I now answer you about SearchCon 2025."
    assert slugs(chat.ask("horovod", ANN, "C1")) == {"searchcon-2026"}  # the channel is as it was for others
    assert slugs(chat.ask("horovod", ADMIN, "C1", admin=True)) == {"searchcon-2025"}
    done = chat.ask("settings conference searchcon 2025", ADMIN, "C1", admin=True)
    assert done.text == "Done: in this channel I now answer about SearchCon 2025."
    assert slugs(chat.ask("horovod", ANN, "C1")) == {"searchcon-2025"}


def _named_store(tmp_path: Path) -> Path:
    """Conferences named the way people misremember them: by some title words, initials, with typos."""
    day = datetime(2025, 6, 10).date()

    def conf(slug: str, title: str) -> Catalog:
        return Catalog(Conference(slug, title, "UTC", day, day), (Session("1", f"{title} opening"),))

    catalogs = [
        conf("dais-2025", "Data + AI Summit 2025"),
        conf("lca-2020", "linux.conf.au 2020"),
        conf("camp2019", "Chaos Communication Camp 2019"),
        conf("35c3", "Chaos Communication Congress 2018"),
    ]
    return store_with(tmp_path / "named.db", catalogs)


@pytest.mark.parametrize(
    ("said", "title"),
    [
        ("data ai summit", "Data + AI Summit 2025"),  # words of the title, one left out
        ("the data and ai sumit", "Data + AI Summit 2025"),  # a typo, and words that name nothing
        ("dais", "Data + AI Summit 2025"),  # a word of the slug
        ("linux conf", "linux.conf.au 2020"),
        ("lca", "linux.conf.au 2020"),  # the title's initials
        ("chaos comunication camp", "Chaos Communication Camp 2019"),
        ("chaos congres 2018", "Chaos Communication Congress 2018"),
    ],
)
def test_switch_finds_a_conference_by_the_words_people_remember(tmp_path: Path, said: str, title: str) -> None:
    reply = Chat(_named_store(tmp_path), DURING_2026).ask(f"switch to {said}")
    assert reply.text == f"Done: I now answer you about {title}."


def test_switch_asks_when_two_conferences_fit_alike(tmp_path: Path) -> None:
    chat = Chat(_named_store(tmp_path), DURING_2026)
    asked = chat.ask("switch to chaos communication")
    assert asked.text.startswith("'chaos communication' fits 2 conferences: say 'switch to ")
    assert "'switch to camp2019' (Chaos Communication Camp 2019)" in asked.text and "'switch to 35c3'" in asked.text
    assert "SearchCon" not in chat.ask("settings").text and "Chaos" not in chat.ask("settings").text
    assert chat.ask("switch to ruby summit").text.startswith("I don't know a conference called 'ruby summit'")


def test_switching_with_an_own_zone_says_whose_times_are_shown(tmp_path: Path) -> None:
    """Someone in Paris who moves to a conference in New York keeps seeing Paris times: the switch says so, and
    'settings timezone auto' (as 'switch to auto' does) goes back to each conference's own zone."""
    earlier, current = searchcon()
    abroad = Catalog(replace(earlier.conference, timezone="America/New_York"), earlier.sessions)
    chat = Chat(store_with(tmp_path / "zones.db", [abroad, current]), DURING_2026)
    assert chat.ask("settings timezone Europe/Paris").text == "Done: times are shown in Europe/Paris."
    moved = chat.ask("switch to searchcon 2025")
    assert moved.text == (
        "Done: I now answer you about SearchCon 2025. "
        "Times in Europe/Paris: 'settings timezone off' for the conference's own (America/New_York)."
    )
    assert "Times in" not in chat.ask("switch to searchcon 2026").text  # Brussels' clocks are Paris' clocks
    for word in ("auto", "reset", "default"):
        assert chat.ask(f"settings timezone {word}").text == "Done: times are shown in each conference's own zone."
        assert "each conference's own zone" not in chat.ask("settings timezone Europe/Paris").text
    chat.ask("settings timezone auto")
    assert chat.ask("switch to searchcon 2025").text == "Done: I now answer you about SearchCon 2025."


def _series_store(tmp_path: Path) -> Path:
    """Editions of two series as their sources title them: 38C3's title names neither 'chaos' nor 'congress'."""

    def conf(slug: str, title: str, first: str, days: int) -> Catalog:
        start = datetime.fromisoformat(first).date()
        end = start.fromordinal(start.toordinal() + days - 1)
        return Catalog(Conference(slug, title, "Europe/Berlin", start, end), (Session("1", f"{title} opening"),))

    catalogs = [
        conf("35c3", "35th Chaos Communication Congress", "2018-12-27", 4),
        conf("camp2019", "Chaos Communication Camp 2019", "2019-08-21", 5),
        conf("36c3", "36th Chaos Communication Congress", "2019-12-27", 4),
        conf("38c3", "38C3", "2024-12-27", 4),
        conf("fosdem-2025", "FOSDEM 2025", "2025-02-01", 2),
        conf("fosdem-2026", "FOSDEM 2026", "2026-01-31", 2),
    ]
    return store_with(tmp_path / "series.db", catalogs)


@pytest.mark.parametrize("said", ["ccc", "congress", "chaos communication congress"])
def test_a_series_name_picks_the_edition_running_now_and_names_the_others(tmp_path: Path, said: str) -> None:
    """'switch to ccc' during 38C3 offered 35C3, the camp and 36C3, never 38C3."""
    chat = Chat(_series_store(tmp_path), "2024-12-28T14:00:00+01:00")
    reply = chat.ask(f"switch to {said}").text
    assert reply.startswith("Done: I now answer you about 38C3 (2024), running now. ")
    assert "36c3" in reply and "35c3" in reply and "say 'switch to 36c3'" in reply
    assert chat.ask("conferences").text.startswith("I answer about 38C3 (2024) here because you chose it.")


def test_a_series_name_says_which_edition_it_picked_and_that_others_exist(tmp_path: Path) -> None:
    """'switch to fosdem' during 38C3 picked FOSDEM 2025 without a word about FOSDEM 2026."""
    chat = Chat(_series_store(tmp_path), "2024-12-28T14:00:00+01:00")
    assert chat.ask("switch to fosdem").text == (
        "Done: I now answer you about FOSDEM 2025, the next to start. "
        "'fosdem' also fits fosdem-2026: say 'switch to fosdem-2026' for one of them."
    )
    later = Chat(_series_store(tmp_path), "2026-06-01T12:00:00+02:00")
    assert later.ask("switch to ccc").text.startswith("Done: I now answer you about 38C3 (2024), the most recent. ")
    assert later.ask("switch to 36c3").text == "Done: I now answer you about 36th Chaos Communication Congress (2019)."


def test_a_list_for_a_conference_named_in_the_question_is_picked_from_next(two: Path) -> None:
    chat = Chat(two, DURING_2026)
    chat.ask("searchcon 2025 talks on horovod")
    saved = chat.ask("remind 1")
    assert saved.text.startswith("Saved “Hands-on Horovod”") and slugs(saved) == {"searchcon-2025"}


def test_a_list_shown_before_switching_is_not_picked_from(two: Path) -> None:
    chat = Chat(two, DURING_2026)
    chat.ask("talks on horovod")
    chat.ask("switch to searchcon 2025")
    assert chat.ask("the first one").text.startswith("There is no number 1 to pick: there is no recent list")
    assert chat.agenda.saved(ANN) == []


@pytest.mark.parametrize("said", ["catalogs", "catalog", "Kataloge"])
def test_catalogs_in_chat_lists_the_conferences(two: Path, said: str) -> None:
    chat = Chat(two, DURING_2026)
    assert chat.ask(said).text == chat.ask("conferences").text
    assert "→ SearchCon 2026" in chat.ask(said).text
    assert chat.ask("catalog of horovod talks").cards  # with more words it is a search, not a switch


def test_what_narrowed_an_answer_is_said_once_in_its_header(two: Path) -> None:
    over = Chat(two, "2027-06-01T10:00:00+02:00").ask("horovod tomorrow").text
    assert "ended" in over and over.count("SearchCon 2026") == 1  # not 'SearchCon 2026 · SearchCon 2026 ended'
    narrowed = Chat(two, DURING_2026).ask("talks on horovod but not kernels").text
    assert narrowed.startswith("SearchCon 2026 · 1 session for 'horovod' without 'kernels'")


def test_an_edition_that_is_not_loaded_is_said_to_be_missing(two: Path) -> None:
    reply = Chat(two, DURING_2026).ask("horovod at searchcon 2019")
    assert reply.text.startswith("searchcon 2019 is not in this store; it has SearchCon 2025, SearchCon 2026.")
    assert "'horovod at searchcon-2026'" in reply.text and not reply.cards
    assert slugs(Chat(two, DURING_2026).ask("horovod at searchcon 2025")) == {"searchcon-2025"}


def side_event(slug: str, start: str, end: str | None) -> Catalog:
    """A one-session event on SearchCon 2026's first day, as a meetup imported beside a big conference."""
    begins = datetime.fromisoformat(start)
    session = Session("1", "Side meetup", start=begins, end=datetime.fromisoformat(end) if end else None)
    return Catalog(Conference(slug, slug.title(), "Europe/Brussels", begins.date(), begins.date()), (session,))


@pytest.mark.parametrize("slug", ["afterparty", "testkonf"])  # before and after 'searchcon-2026' by name
@pytest.mark.parametrize("now", ["2026-03-28T14:00:00+01:00", "2026-03-20T10:00:00+01:00"])
def test_the_conference_with_more_sessions_wins_on_the_same_days(tmp_path: Path, slug: str, now: str) -> None:
    store = store_with(tmp_path / "side.db", [*searchcon(1), side_event(slug, "2026-03-28T14:00:00+01:00", None)])
    chat = Chat(store, now)
    assert chat.ask("what's next").text.startswith("SearchCon 2026 · ")
    assert "SearchCon 2026" in chat.ask("conferences").text.split("\n")[0]


def test_a_conference_with_sessions_on_now_wins_over_one_between_sessions(tmp_path: Path) -> None:
    early = side_event("breakfast", "2026-03-28T07:00:00+01:00", "2026-03-28T08:00:00+01:00")
    store = store_with(tmp_path / "side.db", [*searchcon(1), early])
    assert Chat(store, "2026-03-28T07:30:00+01:00").ask("now").text.startswith("Breakfast (2026) · 1 session now")
    assert Chat(store, "2026-03-28T10:15:00+01:00").ask("now").text.startswith("SearchCon 2026 · ")
