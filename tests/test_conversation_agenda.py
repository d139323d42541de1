"""Saving, dropping and listing sessions, with clashes, reminder times, export and settings."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from icalendar import Calendar

from bot.messages import Person
from tests.fakes import ME, Core, build_core

SAT_0900 = "2026-03-28T09:00:00+01:00"


@pytest.fixture
def core(tmp_path: Path) -> Core:
    return build_core(tmp_path, SAT_0900)


def titles(reply) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.session.title for c in reply.cards]


def test_remind_by_number_from_the_last_list(core: Core) -> None:
    listed = core.ask("databases track")
    assert [c.number for c in listed.cards] == [1, 2, 3]
    reply = core.ask("remind 2")
    assert reply.text.startswith("Saved “Scaling PostgreSQL”. I'll remind you at Sat 28 Mar 13:50")
    assert reply.cards[0].saved and reply.cards[0].reminder_at == datetime(2026, 3, 28, 12, 50, tzinfo=UTC)
    assert core.agenda.saved(ME) == [("searchcon-2026", "3")]


def test_remind_by_source_id_and_by_title_fragment(core: Core) -> None:
    assert core.ask("remind 12").text.startswith("Saved “Hands-on Horovod”")
    assert core.ask("remind webassembly outside").text.startswith("Saved “WebAssembly outside the browser”")
    assert core.ask("remind 12").text == "“Hands-on Horovod” is already in your agenda."


def test_ambiguous_title_asks_which_one_then_a_number_works(core: Core) -> None:
    reply = core.ask("remind office")
    assert reply.text == "Which one? Say its number, or 'remind <number>':"
    assert set(titles(reply)) == {"LibreOffice at twenty", "Writing macros for Libre Office"}
    chosen = reply.cards[1]
    assert core.ask("remind 2").text.startswith(f"Saved “{chosen.session.title}”")


def test_the_second_one_answers_which_one_for_forget_too(core: Core) -> None:
    core.ask("remind 5")
    core.ask("remind 6")
    asked = core.ask("forget the office talk")
    assert asked.text == "Which one? Say its number, or 'forget <number>':"
    assert core.ask("the second one").text == f"Removed “{asked.cards[1].session.title}” from your agenda."
    assert core.agenda.saved(ME) == [("searchcon-2026", asked.cards[0].session.id)]


def test_which_one_then_a_number_saves_it_and_says_so(core: Core) -> None:
    asked = core.ask("remind me about the office talk")
    assert asked.text == "Which one? Say its number, or 'remind <number>':" and len(asked.cards) == 2
    answered = core.ask("1")
    assert answered.text.startswith(f"Saved “{asked.cards[0].session.title}”")
    assert core.agenda.saved(ME) == [("searchcon-2026", asked.cards[0].session.id)]
    assert core.ask("2").text == asked.cards[1].session.title  # answered once: a number is a look again
    assert len(core.agenda.saved(ME)) == 1


def test_which_one_takes_no_and_asks_again_on_yes(core: Core) -> None:
    core.ask("remind office")
    assert core.ask("yes").text == "Which one? Say its number, 1 to 2, or 'no' to leave it."
    assert core.ask("no").text == "OK, I left it."
    assert core.ask("1").cards[0].detailed and core.agenda.saved(ME) == []  # no question left: details


def test_unknown_session_is_a_short_answer(core: Core) -> None:
    reply = core.ask("remind zzzzqqq")
    assert reply.text.startswith("I couldn't find a session matching 'zzzzqqq'.")
    assert core.agenda.saved(ME) == []
    assert core.ask("remind").text.startswith("Which session?")


def test_sessions_that_do_not_overlap_raise_no_warning(core: Core) -> None:
    core.ask("remind 14")  # Postgres replication, Sun 09:30-10:00
    reply = core.ask("remind 5")  # LibreOffice, Sun 10:00: back to back is not a clash
    assert "overlaps" not in reply.text and reply.cards[0].clashes == ()


def test_overlap_warning_with_alternatives(tmp_path: Path) -> None:
    core = build_core(tmp_path, "2025-03-01T08:00:00+01:00", fixture="mini-frab.xml")
    core.ask("remind 101")  # Rust & the kernel 10:00-10:45
    reply = core.ask("remind 103")  # PostgreSQL tuning 10:30-11:00 overlaps
    assert "⚠ It overlaps “Rust & the kernel”, also in your agenda." in reply.text
    assert reply.cards[0].clashes == ("Rust & the kernel",)
    alternatives = titles(reply)[1:]
    assert alternatives == ["PostgreSQL tuning (repeat)"]  # the same topic, later, not clashing
    assert reply.groups[1] == ("The same topic at other times", 1)


def test_agenda_lists_in_time_order_with_reminders_and_clashes(tmp_path: Path) -> None:
    core = build_core(tmp_path, "2025-03-01T08:00:00+01:00", fixture="mini-frab.xml")
    core.ask("remind 103")
    core.ask("remind 101")
    core.ask("remind 102")
    reply = core.ask("my schedule")
    assert reply.text == "Your agenda: 3 sessions, reminders 10 minutes before; 2 overlap another."
    assert titles(reply) == ["Rust & the kernel", "PostgreSQL tuning", "Late night hacking"]
    assert reply.cards[0].clashes == ("PostgreSQL tuning",)
    assert reply.cards[2].clashes == ()
    assert reply.cards[0].reminder_at == datetime(2025, 3, 1, 8, 50, tzinfo=UTC)
    assert core.ask("reminders").text == reply.text


def test_forget_by_number_from_the_agenda(core: Core) -> None:
    core.ask("remind 12")
    core.ask("remind 8")
    core.ask("agenda")
    assert core.ask("forget 1").text == "Removed “Large language models on a laptop” from your agenda."
    assert core.agenda.saved(ME) == [("searchcon-2026", "12")]
    assert core.ask("forget 8").text == "“Large language models on a laptop” was not in your agenda."


@pytest.mark.parametrize("it", ["it", "that", "that one", "this", "It!"])
def test_forget_it_drops_the_session_just_saved_and_says_which(core: Core, it: str) -> None:
    core.ask("remind 12")
    core.ask("databases track")
    core.ask("remind 2")
    assert core.ask(f"forget {it}").text == "Removed “Scaling PostgreSQL” from your agenda."
    assert core.agenda.saved(ME) == [("searchcon-2026", "12")]


def test_it_is_the_session_last_talked_about(core: Core) -> None:
    core.ask("databases track")
    core.ask("about 1")
    assert core.ask("remind it").text.startswith("Saved “DuckDB for analysts”")
    assert core.ask("forget that").text == "Removed “DuckDB for analysts” from your agenda."


def test_it_before_any_session_was_talked_about_is_asked_about(core: Core) -> None:
    reply = core.ask("forget it")
    assert reply.text == "I'm not sure which session 'it' is: give its number from a list, or part of its title."
    assert reply.cards == ()


def test_hints_name_a_saved_session_by_its_list_number_or_title_never_its_id(core: Core) -> None:
    core.ask("databases track")
    assert core.ask("remind 2").cards[0].hint == "2"  # 'forget 2' names it: the list is still the one shown
    saved = core.ask("remind Hands-on Horovod").cards[0]
    assert saved.hint and not saved.hint.isdecimal() and saved.hint in "Hands-on Horovod"
    assert core.ask(f"forget {saved.hint}").text == "Removed “Hands-on Horovod” from your agenda."


def test_buttons_are_the_same_commands(core: Core) -> None:
    reply = core.press("remind", "searchcon-2026:9")
    assert reply.text.startswith("Saved “Fediverse moderation at scale”")
    assert [a.kind for a in reply.cards[0].actions] == ["forget", "details", "like"]
    assert core.press("forget", "searchcon-2026:9").text.startswith("Removed")
    details = core.press("details", "searchcon-2026:9")
    assert details.cards[0].detailed
    assert core.press("launch-missiles", "x").text.startswith("That button is no longer understood")


def test_export_is_a_calendar_any_app_imports(core: Core) -> None:
    assert core.ask("export").text.startswith("Nothing to export yet")
    core.ask("remind 12")
    core.ask("remind 3")
    reply = core.ask("export")
    assert reply.attachment is not None and reply.attachment.filename.endswith(".ics")
    calendar = Calendar.from_ical(reply.attachment.content)
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert [str(e["summary"]) for e in events] == ["Scaling PostgreSQL", "Hands-on Horovod"]
    assert events[1].decoded("dtstart") == datetime(2026, 3, 29, 14, 0, tzinfo=UTC)  # 16:00 CEST
    assert str(events[0]["location"]) == "H.1302"
    assert "Jana Čermák" in str(events[0]["description"])
    assert str(events[0]["uid"]) == "3@searchcon-2026.confbot"


@pytest.mark.parametrize(
    ("line", "answer"),
    [
        ("settings lead -5", "between 0 and 1440 minutes"),
        ("settings lead 1000000000", "between 0 and 1440 minutes"),
        ("settings timezone Mars/Olympus", "I don't know the time zone 'Mars/Olympus'"),
        ("settings colour blue", "I didn't understand that setting"),
    ],
)
def test_bad_settings_change_nothing(core: Core, line: str, answer: str) -> None:
    assert answer in core.ask(line).text
    settings = core.agenda.settings(ME)
    assert settings.lead_minutes == 10 and settings.timezone == ""


def test_settings_change_reminder_times_and_display_zone(core: Core) -> None:
    core.ask("remind 3")
    assert core.ask("settings lead 15").text == "Done: reminders now come 15 minutes before each session you saved."
    assert core.ask("agenda").cards[0].reminder_at == datetime(2026, 3, 28, 12, 45, tzinfo=UTC)
    assert core.ask("settings timezone America/New_York").text == "Done: times are shown in America/New_York."
    assert core.ask("agenda").cards[0].zone == "America/New_York"
    assert "15 minutes" in core.ask("settings").text


def test_each_person_has_their_own_agenda(core: Core) -> None:
    other_user = Person("console", "local", "you")
    other_workspace = Person("console", "elsewhere", "me")
    other_platform = Person("slack", "local", "me")
    core.ask("remind 12")
    core.ask("settings lead 30")
    for person in (other_user, other_workspace, other_platform):
        assert core.ask("agenda", person).text.startswith("Your agenda is empty")
        assert core.agenda.settings(person).lead_minutes == 10
    core.ask("databases track", other_user)
    assert core.ask("remind 1", other_user).text.startswith("Saved “DuckDB for analysts”")
    assert core.agenda.saved(ME) == [("searchcon-2026", "12")]


@pytest.mark.parametrize(("typed", "meant"), [("agnda", "agenda"), ("hlep", "help")])
def test_a_command_word_typed_with_one_slip_is_that_command(core: Core, typed: str, meant: str) -> None:
    core.ask("remind 12")
    assert core.ask(typed).text == core.ask(meant).text


def test_remind_and_forget_typed_with_one_slip_take_their_number(core: Core) -> None:
    listed = core.ask("horovod")
    assert core.ask("remnd 1").text.startswith(f"Saved “{listed.cards[0].session.title}”")
    core.ask("agenda")
    assert core.ask("forgt 1").text.startswith(f"Removed “{listed.cards[0].session.title}”")
    assert core.agenda.saved(ME) == []


@pytest.mark.parametrize("said", ["core", "live", "agnda postgres"])
def test_a_word_of_its_own_or_a_line_with_other_words_stays_a_search(core: Core, said: str) -> None:
    assert "agenda" not in core.ask(said).text.lower()


def test_a_speaker_whose_name_is_one_slip_from_a_command_is_searched(tmp_path: Path) -> None:
    """'litke' is one slip from 'like'; at a conference where Anna Litke speaks, it means her."""
    from dataclasses import replace

    from bot.store import CatalogStore, open_database
    from catalog.load import load
    from catalog.model import Speaker
    from tests.conftest import FIXTURES

    catalog = load(str(FIXTURES / "searchcon.schedule.json"))
    first = catalog.sessions[0]
    talk = replace(first, id="93", title="Moderation tools", speakers=(Speaker("Anna Litke"),))
    CatalogStore(open_database(tmp_path / "core.db")).save(replace(catalog, sessions=(*catalog.sessions, talk)))
    core = build_core(tmp_path, "2026-03-28T08:00:00+01:00")
    assert [c.session.id for c in core.ask("litke").cards] == ["93"]
    assert "agenda" in core.ask("agnda").text.lower()  # a slip the schedule does not know is still the command


@pytest.mark.parametrize("said", ["remnd me about 2", "remid me of 2", "remnd me about Scaling PostgreSQL"])
def test_a_slipped_command_with_its_own_words_is_that_command(core: Core, said: str) -> None:
    core.ask("databases track")
    assert core.ask(said).text.startswith("Saved “Scaling PostgreSQL”")


def test_a_slipped_command_with_other_words_stays_a_search(core: Core) -> None:
    core.ask("remind 12")
    assert core.ask("forgt all").text.startswith("That would drop the 1 session")  # 'forget all', one slip
    assert not core.ask("remnd postgres").text.startswith("Saved")
    assert core.agenda.saved(ME) == [("searchcon-2026", "12")]


def test_forget_all_asks_first_then_empties_the_agenda(core: Core) -> None:
    core.ask("remind 12")
    core.ask("remind 8")
    for said in ("clear my agenda", "forget everything", "forget all"):
        asked = core.ask(said)
        assert asked.text.startswith("That would drop all 2 sessions") and "'forget all yes'" in asked.text
        assert asked.cards == () and len(core.agenda.saved(ME)) == 2
    assert core.ask("forget all yes").text.startswith("Done: your agenda is empty")
    assert core.agenda.saved(ME) == []
    assert core.ask("clear my agenda").text == "Your agenda is already empty."


@pytest.mark.parametrize("yes", ["yes", "Yes!", "ja", "oui", "ok", "sure", "y"])
def test_yes_right_after_clear_confirms_it(core: Core, yes: str) -> None:
    core.ask("remind 12")
    core.ask("remind 8")
    assert "Say 'yes'" in core.ask("clear").text
    assert core.ask(yes).text == "Done: your agenda is empty (2 sessions dropped, with their reminders)."
    assert core.agenda.saved(ME) == []


@pytest.mark.parametrize("no", ["no", "nein", "cancel", "never mind"])
def test_no_right_after_clear_keeps_everything(core: Core, no: str) -> None:
    core.ask("remind 12")
    core.ask("remind 8")
    core.ask("forget all")
    assert core.ask(no).text == "OK, I kept all 2 sessions in your agenda."
    assert len(core.agenda.saved(ME)) == 2


def test_yes_confirms_only_the_question_just_asked(core: Core) -> None:
    core.ask("remind 12")
    core.ask("clear")
    core.ask("agenda")  # something else was asked: the question is gone
    assert not core.ask("yes").text.startswith("Done")
    assert core.agenda.saved(ME) == [("searchcon-2026", "12")]
    other = Person("console", "local", "you")
    core.ask("clear")
    core.ask("yes", other)  # someone else's yes answers nothing of mine
    assert core.agenda.saved(ME) == [("searchcon-2026", "12")]


def test_remind_on_a_session_that_is_over_says_it_is_over(core: Core) -> None:
    core.clock.set(datetime.fromisoformat("2026-03-28T14:10:00+01:00"))
    assert core.ask("merke rust in the linux kernel").text == (
        "Saved “Rust in the Linux kernel”, but it is over: it ended Sat 28 Mar 10:45, so there will be no reminder."
    )
    running = core.ask("remind 3").text  # Scaling PostgreSQL, 14:00–14:40: on now
    assert running == "Saved “Scaling PostgreSQL”, though it has already started, so there will be no reminder."
    core.clock.set(datetime.fromisoformat("2027-01-05T09:00:00+01:00"))
    assert core.ask("remind 12").text == (
        "Saved “Hands-on Horovod”, but it is over: it ended Sun 29 Mar 2026 17:00, so there will be no reminder."
    )
    core.clock.set(datetime.fromisoformat("2027-01-05T10:00:00+01:00"))
    assert asyncio.run(core.dispatcher.run_due()) == [] and core.notifier.sent == []


def test_counts_of_one_read_as_english(core: Core) -> None:
    from tests.scope_fixtures import untimed

    core.catalogs.save(untimed())
    assert core.ask("settings lead 1").text == "Done: reminders now come 1 minute before each session you saved."
    assert core.ask("remind 3").text.endswith("(1 minute before).")
    core.ask("remind plancon-2027:1")  # a session without a time yet
    export = core.ask("export").text
    assert (
        export.startswith("Your agenda as a calendar file: 1 session.") and "1 without a time yet is left out" in export
    )
    assert core.ask("agenda").text.startswith("Your agenda: 2 sessions, reminders 1 minute before")
    assert core.ask("search horovod").text.endswith("1 session for 'horovod':")


def test_forget_with_words_looks_only_in_the_agenda(core: Core) -> None:
    """'drop' is a way to say forget, so 'DROP TABLE sessions;--' must not find a schedule title to refuse."""
    assert core.ask("DROP TABLE sessions;--").text == (
        "Nothing in your agenda matches 'TABLE sessions;--'; say 'agenda' to see what is in it."
    )
    core.ask("remind 3")  # Scaling PostgreSQL
    assert core.ask("forget kubernetes").text.startswith("Nothing in your agenda matches 'kubernetes'")
    assert core.ask("forget postgres").text == "Removed “Scaling PostgreSQL” from your agenda."  # not 'which one?'
    assert core.agenda.saved(ME) == []


def test_schedule_for_a_time_is_the_conference_schedule_and_my_schedule_is_mine(core: Core) -> None:
    core.ask("remind 12")
    asked = core.ask("schedule for saturday afternoon")
    assert not asked.text.startswith("Your agenda") and "saturday afternoon" in asked.text
    assert len(asked.cards) > 1
    assert core.ask("my schedule").text.startswith("Your agenda: 1 session")


def _keynote_and_a_clash(tmp_path: Path) -> Core:
    """SprachCon: the keynote at 10:00, then two talks at 11:00 that clash; the agenda numbers them 1, 2, 3."""
    core = build_core(tmp_path, "2026-12-27T09:00:00+01:00", fixture="sprachcon.schedule.json")
    core.ask("keynote")
    core.ask("remind 1")  # Keynote: the open web at twenty, 10:00
    core.ask("security")
    core.ask("remind 1")  # Privacy by design for small apps, 11:00
    core.ask("remind 2")  # Eine Sicherheitslücke in Ladesäulen, 11:00
    return core


def test_clashes_number_the_sessions_as_the_agenda_does(tmp_path: Path) -> None:
    core = _keynote_and_a_clash(tmp_path)
    agenda = core.ask("agenda")
    numbers = {c.session.title: c.number for c in agenda.cards}
    clashes = core.ask("clashes")
    assert {c.session.title: c.number for c in clashes.cards} == {
        t: n for t, n in numbers.items() if t != "Keynote: the open web at twenty"
    }
    assert clashes.text.splitlines()[1] == "  2 and 3 overlap Sun 27 Dec 11:00–11:30"
    third = clashes.cards[1].session.title
    assert core.ask("forget 3").text == f"Removed “{third}” from your agenda."
    assert third not in titles(core.ask("agenda"))


@pytest.mark.parametrize("it", ["forget it", "vergiss es"])
def test_forget_it_after_one_clash_asks_which_of_the_two(tmp_path: Path, it: str) -> None:
    core = _keynote_and_a_clash(tmp_path)
    core.ask("clashes")
    assert core.ask(it).text == "Which one? Say 'forget 2' or 'forget 3'."
    assert "Removed" not in core.ask("1").text  # not one of the two offered: nothing is dropped
    assert len(core.agenda.saved(ME)) == 3
    clashes = core.ask("clashes")
    core.ask(it)
    assert core.ask("2").text == f"Removed “{clashes.cards[0].session.title}” from your agenda."
    assert len(core.agenda.saved(ME)) == 2


@pytest.mark.parametrize("before", ["agenda", "clashes"])
def test_a_number_past_the_agenda_says_how_many_it_has(tmp_path: Path, before: str) -> None:
    core = _keynote_and_a_clash(tmp_path)
    core.ask(before)
    assert core.ask("forget 42").text == "There is no session number 42: your agenda has 1 to 3."
    assert len(core.agenda.saved(ME)) == 3


@pytest.mark.parametrize("more", ["weiter", "more"])
def test_more_with_nothing_left_says_so_plainly(core: Core, more: str) -> None:
    core.ask("databases track")  # three: all shown
    core.ask("remind 1")
    core.ask("vergiss es")
    assert core.ask(more).text == "That's all: you've seen all 3 of that list. Ask something else, or say 'agenda'."
    core.ask("remind 2")
    assert len(core.ask("agenda").cards) == 1
    assert core.ask(more).text == "That's all of your agenda; say 'agenda' to see it again."
    core.ask("libre office today")  # nothing found: no list
    assert core.ask(more).text == (
        "There's no list to go on with: my last answer didn't show one. "
        "Ask about a topic (e.g. 'talks on rust'), or say 'agenda'."
    )


def test_forgetting_one_of_two_sessions_with_one_title_says_which(tmp_path: Path) -> None:
    """Two saved 'VoxelBox Hacking' sessions on two days: 'Removed “VoxelBox Hacking”' did not say which went."""
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:voxel-{day}@test\r\nDTSTART:202612{day}T130000Z\r\nDTEND:202612{day}T150000Z\r\n"
        "SUMMARY:VoxelBox Hacking\r\nLOCATION:Hack Center\r\nEND:VEVENT\r\n"
        for day in (28, 29)
    )
    source = tmp_path / "voxelcon-2026.ics"
    source.write_text(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//confbot tests//EN\r\n{events}END:VCALENDAR\r\n")
    core = build_core(tmp_path, "2026-12-27T10:00:00+00:00", fixture=str(source))
    listed = core.ask("voxelbox")
    assert len(listed.cards) == 2
    core.ask("remind 1")
    core.ask("remind 2")
    first = listed.cards[0].session.start
    assert first is not None
    assert core.ask("forget 1").text == f"Removed “VoxelBox Hacking” ({first:%a %d %b %H:%M}) from your agenda."
    assert core.ask("forget voxelbox").text == "Removed “VoxelBox Hacking” from your agenda."  # the only one left
