"""Follow-ups that lean on what came before: 'it', 'snooze' after reminders, a save too late for its reminder,
a number past a short list, and which session a few words of a title mean."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from bot.dialogue import Memory
from bot.messages import Reply
from catalog.load import load
from tests.conftest import FIXTURES
from tests.fakes import ME, Core, build_core
from tests.scope_fixtures import searchcon, store_with

SAT_0900 = "2026-03-28T09:00:00+01:00"


def run(core: Core) -> list[str]:
    return [o.state for o in asyncio.run(core.dispatcher.run_due())]


def at(core: Core, text: str) -> None:
    core.clock.set(datetime.fromisoformat(text))


def restarted(core: Core, when: str) -> None:
    """A new chat run on the same store, on another clock: what this process remembered is gone."""
    core.conversation.memory = Memory()
    at(core, when)


@pytest.fixture
def core(tmp_path: Path) -> Core:
    return build_core(tmp_path, SAT_0900)


def _reminded_about_scaling_postgres_at_1350(core: Core) -> None:
    core.ask("remind 3")  # Scaling PostgreSQL, Sat 14:00
    at(core, "2026-03-28T13:50:00+01:00")
    assert run(core) == ["sent"]


def test_it_is_the_session_just_shown_not_a_reminder_from_a_later_clock(core: Core) -> None:
    _reminded_about_scaling_postgres_at_1350(core)
    restarted(core, "2026-03-28T10:00:00+01:00")  # earlier than that reminder: it has not come yet
    core.ask("databases track")
    shown = core.ask("1")
    assert shown.text == "DuckDB for analysts"
    assert core.ask("remind it").text.startswith("Saved “DuckDB for analysts”")
    assert core.ask("about it").text == "DuckDB for analysts"
    assert core.ask("snooze").text.startswith("Which session?")  # no reminder came: nothing to guess


def test_snooze_ignores_a_reminder_from_a_later_clock(core: Core) -> None:
    _reminded_about_scaling_postgres_at_1350(core)
    restarted(core, "2026-03-28T10:00:00+01:00")
    assert core.ask("snooze").text.startswith("Which session?")
    assert core.agenda.db.execute("SELECT snoozed_until FROM agenda").fetchone()[0] in ("", None)


def test_a_reminder_from_hours_ago_is_not_it(core: Core) -> None:
    _reminded_about_scaling_postgres_at_1350(core)
    restarted(core, "2026-03-28T16:50:00+01:00")
    assert core.ask("forget it").text.startswith("I'm not sure which session 'it' is")
    assert core.agenda.saved(ME) == [("searchcon-2026", "3")]


def test_a_reminder_received_after_the_session_looked_at_is_it(core: Core) -> None:
    core.ask("remind 3")
    core.ask("about 15")
    at(core, "2026-03-28T13:50:00+01:00")
    run(core)
    assert core.ask("forget it").text == "Removed “Scaling PostgreSQL” from your agenda."


def test_snooze_and_a_number_with_no_reminder_is_the_list_never_an_id(core: Core) -> None:
    assert core.ask("snooze 10").text.startswith("Which session?")  # not session id 10, never shown
    core.ask("databases track")
    core.ask("remind 2")  # Scaling PostgreSQL
    assert core.ask("snooze 10").text == "There is no number 10 to pick: your last list has 1 to 3."
    at(core, "2026-03-28T11:00:00+01:00")
    assert core.ask("snooze 2").text == "OK, I'll remind you again about “Scaling PostgreSQL” at Sat 28 Mar 11:05."


def test_two_reminders_at_once_snooze_asks_which_and_a_number_answers(tmp_path: Path) -> None:
    core = build_core(tmp_path, "2026-12-27T09:00:00+01:00", fixture="sprachcon.schedule.json")
    core.ask("remind 3")  # Privacy by design for small apps, 11:00
    core.ask("remind 4")  # Eine Sicherheitslücke in Ladesäulen, 11:00
    at(core, "2026-12-27T10:50:00+01:00")
    assert run(core) == ["sent", "sent"]
    asked = core.ask("snooze")
    assert asked.text == "You just had 2 reminders. Which one? Say its number, or 'snooze <number>':"
    assert [c.session.id for c in asked.cards] == ["3", "4"]
    answered = core.ask("2")
    assert answered.text == "OK, I'll remind you again about “Eine Sicherheitslücke in Ladesäulen” at Sun 27 Dec 10:55."
    snoozed = core.agenda.db.execute("SELECT session_id FROM agenda WHERE snoozed_until > ''").fetchall()
    assert [r[0] for r in snoozed] == ["4"]


def test_two_reminders_then_snooze_minutes_keeps_the_minutes(tmp_path: Path) -> None:
    core = build_core(tmp_path, "2026-12-27T09:00:00+01:00", fixture="sprachcon.schedule.json")
    core.ask("settings lead 15")
    core.ask("remind 3")
    core.ask("remind 4")
    at(core, "2026-12-27T10:45:00+01:00")
    assert run(core) == ["sent", "sent"]
    assert core.ask("snooze 7").text.startswith("You just had 2 reminders. Which one?")
    again = core.ask("1").text
    assert again == "OK, I'll remind you again about “Privacy by design for small apps” at Sun 27 Dec 10:52."


def test_a_save_after_its_reminder_time_says_so_and_sends_no_late_reminder(core: Core) -> None:
    at(core, "2026-03-28T13:55:00+01:00")
    reply = core.ask("remind 3")
    assert reply.text == (
        "Saved “Scaling PostgreSQL”. It starts in 5 minutes (Sat 28 Mar 14:00), too soon for a reminder "
        "10 minutes before, so none will come."
    )
    assert reply.cards[0].reminder_at is None
    assert run(core) == [] and core.notifier.sent == []
    at(core, "2026-03-28T14:00:00+01:00")
    assert run(core) == [] and core.notifier.sent == []


def test_a_reminder_missed_while_the_bot_was_down_still_comes_late(core: Core) -> None:
    core.ask("remind 3")  # saved in time: the reminder is owed, even a little late
    at(core, "2026-03-28T13:55:00+01:00")
    assert run(core) == ["sent"]


def test_the_second_one_after_a_one_item_list(core: Core) -> None:
    core.ask("horovod")
    reply = core.ask("remind me about the 2nd one")
    assert reply.text == "There is no number 2 to pick: your last list has only one item."
    assert core.ask("20").text.startswith("There's no 20: your last list has only one item.")
    assert core.agenda.saved(ME) == []


def test_a_title_match_beats_a_match_in_the_abstract(core: Core) -> None:
    # Linux is in one title, and in the abstract of 'RISC-V bring-up on new boards' ('Booting Linux …').
    reply = core.ask("remind the linux talk")
    assert reply.text.startswith("Saved “Rust in the Linux kernel”"), reply.text


def _databases_list(core: Core) -> None:
    shown = core.ask("databases track")
    assert [c.session.title for c in shown.cards][:2] == ["DuckDB for analysts", "Scaling PostgreSQL"]


def test_a_list_survives_a_restart_within_a_few_hours(core: Core) -> None:
    _databases_list(core)
    restarted(core, "2026-03-28T10:30:00+01:00")
    assert core.ask("the second one").text == "Scaling PostgreSQL"
    assert core.ask("2").text == "Scaling PostgreSQL"


def test_a_list_from_hours_ago_is_not_picked_from_by_number_snooze_or_more(core: Core) -> None:
    _databases_list(core)
    core.ask("remind 2")
    restarted(core, "2026-03-28T13:30:00+01:00")
    assert core.ask("the second one").text == (
        "There is no number 2 to pick: there is no recent list to pick from; search first, e.g. 'talks on rust', "
        "or say 'agenda'."
    )
    assert core.ask("snooze 2 15").text.startswith("Which session? Say 'agenda'")
    assert core.ask("more").text.startswith("There's no list to go on with")
    assert core.ask("2").text != "Scaling PostgreSQL"  # a bare number is then an id, never the old list
    assert core.agenda.db.execute("SELECT snoozed_until FROM agenda").fetchone()[0] in ("", None)
    core.ask("agenda")
    assert core.ask("the first one").text == "Scaling PostgreSQL"  # a fresh list is picked from at once


def test_a_list_from_a_later_clock_is_not_picked_from(core: Core) -> None:
    at(core, "2026-03-29T09:00:00+02:00")
    assert core.ask("databases track").cards
    restarted(core, "2026-03-28T09:30:00+01:00")  # a new run on an earlier clock: that list is not from here
    assert core.ask("the second one").text.startswith("There is no number 2 to pick")


def test_a_list_shown_for_another_conference_is_not_picked_from(core: Core) -> None:
    core.import_file("sprachcon.schedule.json")
    _databases_list(core)
    core.ask("switch to sprachcon")
    assert core.ask("the second one").text.startswith("There is no number 2 to pick")
    assert core.ask("more").text.startswith("There's no list to go on with")
    core.ask("switch to searchcon 2026")
    assert core.ask("the second one").text == "Scaling PostgreSQL"


@pytest.fixture
def sprach(tmp_path: Path) -> Core:
    core = build_core(tmp_path, "2026-12-27T09:00:00+01:00", fixture="sprachcon.schedule.json")
    shown = core.ask("security")
    assert [c.session.title for c in shown.cards][:3] == [
        "Privacy by design for small apps",
        "Eine Sicherheitslücke in Ladesäulen",
        "Fuzzing network parsers with AFL",
    ]
    return core


def _details(reply: Reply) -> str:
    assert len(reply.cards) == 1 and reply.cards[0].detailed, reply.text
    return reply.cards[0].session.title


@pytest.mark.parametrize("said", ["tell me more about it", "more about it", "Tell me more about that talk, please"])
def test_a_sentence_about_it_shows_the_session_just_shown(sprach: Core, said: str) -> None:
    sprach.ask("the second one")
    assert _details(sprach.ask(said)) == "Eine Sicherheitslücke in Ladesäulen"


@pytest.mark.parametrize(
    ("said", "title"),
    [
        ("tell me about 1", "Privacy by design for small apps"),
        ("what about the third one?", "Fuzzing network parsers with AFL"),
        ("and the second one?", "Eine Sicherheitslücke in Ladesäulen"),
        ("was ist mit der dritten?", "Fuzzing network parsers with AFL"),
    ],
)
def test_a_sentence_naming_a_place_picks_it_from_the_list(sprach: Core, said: str, title: str) -> None:
    assert _details(sprach.ask(said)) == title


def test_what_else_is_on_at_the_same_time_lists_the_overlapping_sessions(sprach: Core) -> None:
    sprach.ask("1")  # Privacy by design for small apps, Saal 3, 11:00–11:30
    reply = sprach.ask("what else is on at the same time?")
    assert reply.text == "1 session at the same time as “Privacy by design for small apps” (Sun 27 Dec 11:00–11:30):"
    assert [c.session.title for c in reply.cards] == ["Eine Sicherheitslücke in Ladesäulen"]
    assert _details(sprach.ask("the first one")) == "Eine Sicherheitslücke in Ladesäulen"  # a list to pick from


def test_german_follow_ups(sprach: Core) -> None:
    assert sprach.ask("erzähl mir mehr darüber").text.startswith("Which one?")  # one of the four just listed
    assert _details(sprach.ask("about keynote: the open web")) == "Keynote: the open web at twenty"
    assert _details(sprach.ask("erzähl mir mehr darüber")) == "Keynote: the open web at twenty"
    reply = sprach.ask("was läuft gleichzeitig?")
    assert [c.session.title for c in reply.cards] == ["Datenschutz im Verein"]


def test_nothing_at_the_same_time_says_so(sprach: Core) -> None:
    sprach.ask("the third one")  # Fuzzing, 15:00–15:30, alone in its slot
    assert sprach.ask("what else is on at the same time?").text == (
        "Nothing else is on during “Fuzzing network parsers with AFL”."
    )


@pytest.mark.parametrize(
    ("said", "echo"),
    [("more about go", "'go'"), ("tell me about borgmatic", "'borgmatic'"), ("mehr über borgmatic", "'borgmatic'")],
)
def test_a_sentence_about_a_topic_is_still_a_search(sprach: Core, said: str, echo: str) -> None:
    reply = sprach.ask(said)
    assert reply.text.endswith(f"sessions for {echo}:") and len(reply.cards) >= 2


def test_forget_it_after_which_one_asks_again_and_forgets_nothing(core: Core) -> None:
    core.ask("remind 3")  # Scaling PostgreSQL
    core.ask("remind 14")  # Postgres replication deep dive
    core.ask("about 3")  # 'it' is Scaling PostgreSQL…
    assert core.ask("forget postgres").text.startswith("Which one?")  # …until this list
    assert core.ask("forget it").text == "Which one? Say its number, 1 to 2, or 'no' to leave it."
    assert sorted(core.agenda.saved(ME)) == [("searchcon-2026", "14"), ("searchcon-2026", "3")]
    assert core.ask("1").text == "Removed “Postgres replication deep dive” from your agenda."
    assert core.agenda.saved(ME) == [("searchcon-2026", "3")]


def test_it_after_an_unanswered_which_one_is_unsure(core: Core) -> None:
    core.ask("remind 3")
    core.ask("remind 14")
    core.ask("about 3")
    core.ask("forget postgres")
    core.ask("agenda")  # the question is dropped, and 'it' is one of the two listed: asked about, never guessed
    assert core.ask("forget it").text == "Which one? Say 'forget 1' or 'forget 2'."
    assert len(core.agenda.saved(ME)) == 2


def test_at_the_same_time_as_a_long_session_lists_what_one_can_still_go_to(tmp_path: Path) -> None:
    catalog = load(str(FIXTURES / "searchcon.schedule.json"))
    first = catalog.sessions[0]
    workshop = replace(
        first,
        id="90",
        title="Soldering workshop",
        room="Hackspace",
        start=first.start.replace(hour=9) if first.start else None,
        end=first.start.replace(hour=18) if first.start else None,
    )
    store_with(tmp_path / "core.db", [replace(catalog, sessions=(*catalog.sessions, workshop))])
    core = build_core(tmp_path, "2026-03-28T14:10:00+01:00")
    core.ask("about 90")
    reply = core.ask("what else is on at the same time?")
    assert reply.text == (
        "4 sessions you can still go to at the same time as “Soldering workshop” "
        "(Sat 28 Mar 09:00–18:00; 4 already ended, not shown):"
    )
    assert [c.session.title for c in reply.cards] == [
        "Scaling PostgreSQL",  # running now
        "RISC-V bring-up on new boards",
        "Fediverse moderation at scale",
        "Bioinformatics pipelines with Nextflow",
    ]


def test_it_right_after_a_list_of_one_is_that_one(core: Core) -> None:
    core.ask("about 3")  # Scaling PostgreSQL was 'it'…
    assert core.ask("nextflow").text == "1 session for 'nextflow':"  # …until a search found just one
    assert core.ask("remind me about it").text.startswith("Saved “Bioinformatics pipelines with Nextflow”")
    assert core.ask("forget it").text == "Removed “Bioinformatics pipelines with Nextflow” from your agenda."
    assert core.ask("save it").text.startswith("Saved “Bioinformatics pipelines with Nextflow”")
    assert core.agenda.saved(ME) == [("searchcon-2026", "10")]


def test_and_at_another_conference_asks_the_last_question_there(tmp_path: Path) -> None:
    store_with(tmp_path / "core.db", searchcon())
    core = build_core(tmp_path, SAT_0900)
    assert core.ask("horovod at searchcon 2025").text == "SearchCon 2025 · 1 session for 'horovod':"
    assert core.ask("and at searchcon 2026?").text == "SearchCon 2026 · 1 session for 'horovod':"
    assert core.ask("what about searchcon 2025").text == "SearchCon 2025 · 1 session for 'horovod':"


def test_more_pages_the_conference_the_list_came_from(tmp_path: Path) -> None:
    store_with(tmp_path / "core.db", searchcon())
    core = build_core(tmp_path, SAT_0900)  # SearchCon 2026 in scope
    first = core.ask("searchcon 2025 saturday")
    assert first.text.startswith("SearchCon 2025 · 9 sessions")
    more = core.ask("more")
    assert [c.number for c in more.cards] == [6, 7, 8, 9]
    assert {c.conference for c in first.cards + more.cards} == {"searchcon-2025"}


def test_and_at_another_conference_never_points_back_to_the_one_you_are_on(tmp_path: Path) -> None:
    store_with(tmp_path / "core.db", searchcon())
    core = build_core(tmp_path, SAT_0900)
    assert core.ask("horovod tomorrow").text == "SearchCon 2026 · 1 session for 'horovod' tomorrow:"
    reply = core.ask("and at searchcon 2025?")  # over a year ago: nothing of it is on tomorrow
    assert reply.text.startswith("SearchCon 2025 ended on Sun 30 Mar 2025") and reply.text.endswith(".")
    assert "searchcon-2026" not in reply.text and "SearchCon 2026" not in reply.text


@pytest.mark.parametrize("line", ["and tomorrow?", "und morgen?", "what about tomorrow"])
def test_and_tomorrow_asks_the_last_question_then(core: Core, line: str) -> None:
    assert core.ask("libre office today").text.startswith("Nothing found for 'libre office' today.")
    reply = core.ask(line)
    assert reply.text == "2 sessions for 'libre office' tomorrow:"
    assert {c.session.title for c in reply.cards} == {"LibreOffice at twenty", "Writing macros for Libre Office"}


@pytest.mark.parametrize(
    "between",
    [
        ["3"],
        ["about 1"],
        ["tell me about 1"],
        ["meanwhile"],
        ["more"],
        ["the second one"],
        ["remind 1"],
        ["thanks"],
        ["2", "meanwhile", "more", "hello"],
    ],
)
def test_and_tomorrow_skips_picks_and_commands_to_the_last_real_question(core: Core, between: list[str]) -> None:
    assert core.ask("databases today").cards
    for line in between:
        core.ask(line)
    reply = core.ask("and tomorrow?")
    assert reply.text == "1 session for 'databases' tomorrow:"


def test_and_tomorrow_after_what_is_on_today_is_what_is_on_tomorrow(core: Core) -> None:
    core.ask("today")
    core.ask("1")
    assert core.ask("and tomorrow?").text == core.ask("tomorrow").text


def test_snooze_after_reminders_that_came_while_away_lists_them(core: Core) -> None:
    """As after ':wait 2h' in the console: two reminders came, nothing was said since, and 'snooze' is about them."""
    at(core, "2026-03-28T11:00:00+01:00")
    core.ask("settings lead 120")
    core.ask("remind 3")  # Scaling PostgreSQL, 14:00: reminded at 12:00
    core.ask("remind 4")  # RISC-V bring-up, 15:00: reminded at 13:00
    for when in ("2026-03-28T12:00:00+01:00", "2026-03-28T13:00:00+01:00"):
        at(core, when)
        assert run(core) == ["sent"]
    at(core, "2026-03-28T13:40:00+01:00")
    asked = core.ask("snooze")
    assert asked.text == "You just had 2 reminders. Which one? Say its number, or 'snooze <number>':"
    assert [c.session.title for c in asked.cards] == ["Scaling PostgreSQL", "RISC-V bring-up on new boards"]
    assert core.ask("snooze 1").text == "OK, I'll remind you again about “Scaling PostgreSQL” at Sat 28 Mar 13:45."


def test_snooze_after_reminders_for_sessions_begun_since_says_so(core: Core) -> None:
    at(core, "2026-03-28T13:00:00+01:00")
    core.ask("remind 3")  # Scaling PostgreSQL, 14:00: reminded at 13:50
    at(core, "2026-03-28T13:50:00+01:00")
    assert run(core) == ["sent"]
    at(core, "2026-03-28T14:10:00+01:00")  # as after ':wait 1h10m'
    assert core.ask("snooze").text == "“Scaling PostgreSQL” already started: there is no later reminder to give."


def test_it_after_the_next_page_names_the_numbers_of_that_page(core: Core) -> None:
    core.ask("databases or office or web or ai")
    page = core.ask("more")
    numbers = [c.number or 0 for c in page.cards]
    assert core.ask("tell me more about it").text == f"Which one? Say 'about <number>', {numbers[0]} to {numbers[-1]}."


@pytest.mark.parametrize("said", ["remind me about it", "erinnere mich daran"])
def test_remind_me_of_it_in_english_and_german(core: Core, said: str) -> None:
    core.ask("databases track")
    shown = core.ask("about 2")
    assert core.ask(said).text.startswith(f"Saved “{shown.cards[0].session.title}”")


@pytest.mark.parametrize("said", ["tell me more about it", "erzähl mir mehr darüber"])
def test_it_after_a_list_of_several_is_one_of_them_and_asked_about(core: Core, said: str) -> None:
    assert core.ask("horovod").cards[0].session.title == "Hands-on Horovod"  # the one found: 'it' for a moment
    listed = core.ask("databases track")
    reply = core.ask(said)
    assert (
        reply.text
        == f"Which one? Say 'about 2' for the second of the {len(listed.cards)} I just listed, or just its number."
    )
    assert reply.cards == ()  # never Horovod, from two answers ago
    assert _details(core.ask("2")) == listed.cards[1].session.title


def test_forget_it_after_a_list_asks_which_and_the_number_forgets_that_one(core: Core) -> None:
    listed = core.ask("databases track")
    core.ask("remind 1")
    core.ask("databases track")
    assert core.ask("forget it").text.startswith("Which one? Say 'forget 2'")
    assert core.ask("1").text == f"Removed “{listed.cards[0].session.title}” from your agenda."


def test_it_is_only_what_the_latest_answer_was_about(core: Core) -> None:
    core.ask("databases track")
    assert core.ask("about 2").cards
    core.ask("nothing like xyzzy")  # an answer about no session at all
    assert core.ask("forget it").text.startswith("I'm not sure which session 'it' is")


def test_a_number_after_an_answer_with_no_list_is_not_taken_from_the_list_before(core: Core) -> None:
    core.ask("databases track")
    assert core.ask("libre office today").cards == ()
    for line in ("save 1", "1", "the first one"):
        assert core.ask(line).text == (
            "There is no number 1 to pick: your last answer showed no list; search again, or say 'agenda'."
        )
    assert core.agenda.saved(ME) == []


@pytest.mark.parametrize("line", ["show them", "zeig sie", "yes", "any time"])
def test_sessions_at_other_times_are_shown_when_asked(core: Core, line: str) -> None:
    nothing = core.ask("libre office today")
    assert nothing.text == (
        "Nothing found for 'libre office' today. 2 sessions match at other times or places. "
        "Say 'show them' to see them."
    )
    shown = core.ask(line)
    assert shown.text == "2 sessions for 'libre office':"
    assert {c.session.title for c in shown.cards} == {"LibreOffice at twenty", "Writing macros for Libre Office"}
    assert core.ask("save 1").text.startswith(f"Saved “{shown.cards[0].session.title}”")


def test_one_session_at_another_time_is_shown_as_one(core: Core) -> None:
    assert core.ask("horovod today").text.endswith(
        "1 session matches at other times or places. Say 'show it' to see it."
    )
    assert [c.session.title for c in core.ask("show it").cards] == ["Hands-on Horovod"]
    assert _details(core.ask("show it")) == "Hands-on Horovod"  # now 'it' is the session just shown
