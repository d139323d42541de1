"""A conversation that flows: the clock in the ranking, next slots paged, numbers, small talk, speakers by
part of a name, usage for malformed arguments, schedule-change notices with the next reply, plain English."""

from __future__ import annotations

import asyncio
import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from bot.store import CatalogStore, open_database
from bot.sync import sync_conference
from catalog.load import load
from tests.conftest import CATALOGS, FIXTURES, needs_shared
from tests.fakes import ME, Core, build_core
from tests.scope_fixtures import searchcon, store_with


def ids(reply) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.session.id for c in reply.cards]


@pytest.fixture
def core(tmp_path: Path) -> Core:
    return build_core(tmp_path, "2026-03-28T14:50:00+01:00")


def test_during_the_conference_upcoming_sessions_come_first(core: Core) -> None:
    reply = core.ask("databases")  # 3 ended 14:40 and 15 ended 12:30 today; 14 is tomorrow
    assert ids(reply)[0] == "14"
    assert [c.status for c in reply.cards] == ["", "ended", "ended"]
    core.clock.set(datetime.fromisoformat("2026-03-28T14:10:00+01:00"))
    running = {c.session.id: c.status for c in core.ask("postgres").cards}
    assert running == {"3": "now, until 14:40", "14": ""}


def test_before_the_conference_plain_relevance(core: Core) -> None:
    core.clock.set(datetime.fromisoformat("2026-03-01T10:00:00+01:00"))
    reply = core.ask("databases")
    engine = core.conversation.search.engine()
    plain = engine.search("databases", now=core.clock.now(), limit=5)
    assert ids(reply) == [h.session.id for h in plain.hits]
    assert all(c.status == "" for c in reply.cards)


def test_ended_sessions_never_fill_the_top_of_a_longer_list(core: Core) -> None:
    core.clock.set(datetime.fromisoformat("2026-03-29T15:10:00+02:00"))  # Sunday afternoon
    first = core.ask("sunday")
    later = [c for c in first.cards if c.status != "ended"]
    assert later and first.cards[: len(later)] == tuple(later)
    rest = core.ask("more")
    assert all(c.status == "ended" for c in rest.cards)


def test_next_then_more_pages_the_whole_slot(core: Core, monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.commands.browse as browse

    monkeypatch.setattr(browse, "NEXT_PAGE_SIZE", 2)  # the fixture has one session per slot: small pages page
    core.clock.set(datetime.fromisoformat("2026-03-28T08:00:00+01:00"))
    first = core.ask("next")
    assert ids(first) == ["11", "1"] and first.notes[-1] == "1 more: say 'more'."
    assert first.groups[0][0] == "Sat 09:00 (in 60 min)"
    second = core.ask("more")
    assert ids(second) == ["2"] and second.cards[0].number == 3
    after = core.ask("more")  # the slots are all shown: when the next ones start, not "search first"
    assert after.text == (
        "That's all that starts next. The sessions after those start Sat 12:00 (in 4 h 00): "
        "say 'next' again once these have begun."
    )
    assert after.cards == ()
    assert core.ask("about 3").cards[0].session.id == "2"


@pytest.mark.parametrize("said", ["hello", "Hi there!", "good morning", "hey confbot 👋"])
def test_greetings_get_a_greeting_not_a_search(core: Core, said: str) -> None:
    reply = core.ask(said)
    assert reply.text.startswith("Hello!") and reply.cards == () and "'help'" in reply.text


@pytest.mark.parametrize(
    ("said", "start"),
    [
        ("thanks!", "You're welcome"),
        ("thank you so much", "You're welcome"),
        ("you're great", "Thank you!"),
        ("bye", "Bye"),
    ],
)
def test_small_talk_is_answered_kindly(core: Core, said: str, start: str) -> None:
    reply = core.ask(said)
    assert reply.text.startswith(start) and reply.cards == ()


def test_questions_about_the_bot_get_help(core: Core) -> None:
    for said in ("what can you do?", "how does this work", "help me"):
        assert core.ask(said).text.startswith("Ask me about the schedule"), said
    assert ids(core.ask("hello kubernetes")) == ["2"]  # not small talk as a whole: searched


def test_part_of_a_name_lists_every_speaker_who_fits(core: Core) -> None:
    reply = core.ask("speaker o")
    assert reply.text.startswith("5 speakers fit 'o': Miguel Ojeda (1), Ola Nowak (1), Omar Haddad (1), Organisers (1)")
    assert len({c.session.id for c in reply.cards}) == 5
    who = core.ask("who is ruth")
    assert who.text.startswith("Ruth Berg: 2 sessions") and ids(who) == ["5", "6"]
    assert core.ask("who is ruht berg").cards[0].session.speaker_names[0] == "Ruth Berg"  # typo: search
    assert "every speaker" in core.ask("help speaker").text
    assert core.ask("who is presenting on kubernetes").text == "1 session for 'kubernetes':"


@pytest.mark.parametrize("said", ["snooze 1 abc", "remind 2 xyz", "about 3 qqq"])
def test_malformed_arguments_get_the_usage(core: Core, said: str) -> None:
    core.ask("databases")
    reply = core.ask(said)
    assert reply.text.startswith("Usage: "), reply.text
    assert reply.cards == ()


def test_a_sync_notice_arrives_with_the_next_reply(core: Core, tmp_path: Path) -> None:
    source = tmp_path / "searchcon.schedule.json"
    shutil.copy(FIXTURES / "searchcon.schedule.json", source)
    core.catalogs.save(load(str(source)))
    core.clock.set(datetime.fromisoformat("2026-03-28T09:00:00+01:00"))
    core.ask("remind searchcon-2026:12")
    doc = json.loads(source.read_text())
    for day in doc["schedule"]["conference"]["days"]:
        for events in day["rooms"].values():
            for event in events:
                if event["id"] == 12:
                    event["date"] = "2026-03-29T17:00:00+02:00"
    source.write_text(json.dumps(doc))
    report = sync_conference(core.catalogs, "searchcon-2026", core.clock.now())
    assert report.notices == 1
    reply = core.ask("hello")
    assert any(n.startswith("📅 “Hands-on Horovod” changed") for n in reply.notes)
    assert not any("Hands-on" in n for n in core.ask("hello").notes)  # once
    asyncio.run(core.dispatcher.run_due())
    assert not [r for _, r in core.notifier.sent if "Hands-on Horovod" in r.text]  # and not again by DM


def test_counts_read_as_english(core: Core) -> None:
    core.clock.set(datetime.fromisoformat("2026-03-28T09:00:00+01:00"))
    assert core.ask("at lunch").text == "1 session at lunch:"
    assert core.ask("this evening").text == "1 session this evening:"
    assert core.ask("saturday afternoon").text == "5 sessions on saturday afternoon:"


def test_about_says_how_many_more_run_at_the_same_time(tmp_path: Path) -> None:
    from bot.store import CatalogStore, open_database
    from tests.scope_fixtures import CATALOGS

    if not CATALOGS.is_dir():
        pytest.skip("../shared/catalogs is not beside the project")
    db = tmp_path / "core.db"
    CatalogStore(open_database(db)).save(load(str(CATALOGS / "fosdem-2026.xml")))
    core = build_core(tmp_path, "2026-01-31T10:00:00+01:00")
    card = core.ask("about Digital Public Infrastructure for the World").cards[0]
    assert len(card.overlapping) == 6 and card.more_at_same_time > 10


def test_a_bare_number_picks_from_the_last_list_and_never_searches(core: Core) -> None:
    listed = core.ask("sunday")
    assert len(listed.cards) == 5 and "2 more: say 'more'." in listed.notes
    third = listed.cards[2].session
    picked = core.ask("3")
    assert picked.text == third.title and ids(picked) == [third.id]
    past = core.ask("40")  # beyond the list, and no session has that id
    assert past.text.startswith("There's no 40 in your last list of 5; say 'more' for the next ones")
    assert past.cards == ()
    assert core.ask("remind 3").text.startswith(f"Saved “{third.title}”")  # the list shown is still the list


def test_a_bare_number_without_a_list_says_so_and_an_id_still_works(core: Core) -> None:
    assert core.ask("40").text.startswith("There is no recent list to pick 40 from")
    core.ask("horovod")
    assert ids(core.ask("12")) == ["12"]  # the only horovod session, by its id as 'about 12' takes it


@pytest.mark.parametrize(
    ("german", "english"),
    [
        ("was kommt als nächstes", "what's next"),
        ("Was läuft jetzt?", "what's on now"),
        ("was gibt es morgen", "tomorrow"),
        ("Vorträge von Ruth", "talks by ruth"),
        ("Talks von Ruth Berg", "talks by ruth berg"),
    ],
)
def test_german_ways_of_asking_answer_as_the_english_ones(core: Core, german: str, english: str) -> None:
    core.clock.set(datetime.fromisoformat("2026-03-28T10:50:00+01:00"))
    asked = core.ask(german)
    assert asked.cards and (asked.text, ids(asked)) == (core.ask(english).text, ids(core.ask(english)))


@pytest.mark.parametrize(
    ("said", "position"),
    [
        ("the second one", 2),
        ("The first one", 1),
        ("the 3rd", 3),
        ("3rd one", 3),
        ("number 2", 2),
        ("#2", 2),
        ("no. 2", 2),
        ("the last one", 5),
        ("die zweite", 2),
        ("show me the second one", 2),
        ("zeig mir den dritten Vortrag", 3),
    ],
)
def test_a_list_position_in_words_picks_from_the_last_list(core: Core, said: str, position: int) -> None:
    listed = core.ask("sunday")
    chosen = listed.cards[position - 1].session
    picked = core.ask(said)
    assert picked.text == chosen.title and ids(picked) == [chosen.id] and picked.cards[0].detailed
    assert core.ask("remind the second one").text.startswith(f"Saved “{listed.cards[1].session.title}”")


def test_a_position_past_the_list_is_explained_and_never_an_id(core: Core) -> None:
    core.ask("horovod")  # one result; session 3 exists, but 'the 3rd' is a place in the list, not an id
    reply = core.ask("remind the 3rd")
    assert reply.text == "There is no number 3 to pick: your last list has only one item."
    assert core.agenda.saved(ME) == []


def test_an_ordinal_inside_a_longer_line_stays_a_search(core: Core) -> None:
    core.ask("sunday")
    assert core.ask("first steps in rust").text == "1 session for 'first steps rust':"


@pytest.mark.parametrize(
    ("german", "english"),
    [
        ("wer ist ruth", "who is ruth"),
        ("Wer ist Ruth Berg?", "who is ruth berg"),
        ("hilfe", "help"),
        ("meine agenda", "agenda"),
        ("mein programm", "my agenda"),
        ("nächste", "what's next"),
    ],
)
def test_german_command_words_answer_as_the_english_ones(core: Core, german: str, english: str) -> None:
    core.ask("remind 12")
    assert (core.ask(german).text, ids(core.ask(german))) == (core.ask(english).text, ids(core.ask(english)))


def test_german_words_save_page_and_forget(core: Core) -> None:
    listed = core.ask("databases")
    assert core.ask("merke 2").text.startswith(f"Saved “{listed.cards[1].session.title}”")
    assert core.ask("erinnere mich an den ersten").text.startswith(f"Saved “{listed.cards[0].session.title}”")
    assert core.ask("vergiss es").text == f"Removed “{listed.cards[0].session.title}” from your agenda."
    assert core.agenda.saved(ME) == [("searchcon-2026", listed.cards[1].session.id)]
    core.ask("day 2")
    assert core.ask("weiter").text.startswith("More")
    assert core.ask("mehr über postgres").text.startswith("2 sessions for")  # a question, not the next page


@needs_shared
def test_who_is_a_made_up_name_is_nobody_not_a_stretch_of_real_ones(tmp_path: Path) -> None:
    """'nobody mcnoname' once found Matt Yonkovit by reading 'nobody → Yonk' and 'mcnoname → Matt'."""
    CatalogStore(open_database(tmp_path / "core.db")).save(load(str(CATALOGS / "fosdem-2026.xml")))
    core = build_core(tmp_path, "2026-01-31T13:30:00+01:00")
    reply = core.ask("who is nobody mcnoname")
    assert reply.text == "No speaker called 'nobody mcnoname' in this schedule." and reply.cards == ()
    assert "your last answer showed no list" in core.ask("remind 1").text  # nothing of the stretch to pick from
    slipped = core.ask("who is lenart poetering")  # one slip in each name is still the person
    assert {c.session.speaker_names for c in slipped.cards} == {("Lennart Poettering",)}


def test_a_pasted_wall_of_words_is_said_back_by_its_start_only(tmp_path: Path) -> None:
    """'rust ' * 400: the hint named the other conference with the 199-character question in it twice."""
    store_with(tmp_path / "core.db", [*searchcon(1), load(str(FIXTURES / "sprachcon.schedule.json"))])
    core = build_core(tmp_path, "2026-03-28T09:00:00+01:00")  # SearchCon 2026 in scope: no Borgmatic there
    reply = core.ask("borgmatic " * 400)
    assert reply.text.endswith(
        "SprachCon 2026 has 3 sessions for 'borgmatic': "
        "say 'borgmatic at sprachcon-2026', or 'switch to sprachcon-2026'."
    )
    assert reply.text.count("borgmatic") == 3 and len(reply.text) < 250
    for line in ("remind " + "qq " * 400, "where is " + "qq " * 400):
        said = core.ask(line).text
        assert "'qq qq qq" in said and " …'" in said and len(said) < 250, said
