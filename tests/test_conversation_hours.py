"""When a conference day starts and ends, asked as people ask it: answered from the schedule, not searched."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes import Core, build_core
from tests.scope_fixtures import searchcon, store_with

SUNDAY = "On Sun 29 Mar the first session starts at 09:30 (“Postgres replication deep dive” in H.1302) and the last"


@pytest.fixture
def core(tmp_path: Path) -> Core:
    return build_core(tmp_path, "2026-03-28T10:50:00+01:00")  # Saturday, day one of SearchCon


@pytest.mark.parametrize(
    "question",
    [
        "when does it start tomorrow?",
        "what time does the first talk start tomorrow",
        "When do things kick off on Sunday?",
        "first session tomorrow",
        "wann fängt es morgen an?",
        "erster Vortrag morgen",
    ],
)
def test_when_a_day_starts(core: Core, question: str) -> None:
    reply = core.ask(question)
    assert SUNDAY in reply.text, reply.text
    assert "ends at 17:00 (“Hands-on Horovod” in K.3.201)" in reply.text
    assert not reply.cards  # an answer, not a list of sessions that mention 'start'


def test_a_day_that_runs_past_midnight_says_so(core: Core) -> None:
    for question in ("when does the last talk end today?", "how late does it go today", "wann ist heute schluss"):
        reply = core.ask(question)
        assert "first session starts at 09:00 (“Welcome and opening” in Janson)" in reply.text, question
        assert "ends at 00:30 the next morning (“Midnight hacking” in Hackspace)" in reply.text, question


def test_and_tomorrow_asks_it_again_for_the_next_day(core: Core) -> None:
    core.ask("when does it end today?")
    assert SUNDAY in core.ask("and tomorrow?").text


EVERY_DAY = "Day by day, first start to last end: Sat 28 Mar 09:00–00:30 the next morning · Sun 29 Mar 09:30–17:00."
ENDS = "SearchCon 2026 ends on Sun 29 Mar: the last session ends at 17:00 (“Hands-on Horovod” in K.3.201)."


def test_the_conference_named_leads_with_the_day_asked_about_then_every_day(core: Core) -> None:
    assert core.ask("when does searchcon end?").text == f"{ENDS} {EVERY_DAY}"
    started = (
        "SearchCon 2026 started on Sat 28 Mar: the first session started at 09:00 (“Welcome and opening” in Janson)."
    )
    assert core.ask("when does the conference start").text == f"{started} {EVERY_DAY}"
    assert core.ask("wann ist die searchcon zu ende?").text == f"{ENDS} {EVERY_DAY}"
    assert core.ask("hours searchcon").text == f"SearchCon 2026 runs Sat 28 Mar to Sun 29 Mar. {EVERY_DAY}"


def test_before_the_conference_it_says_when_it_starts(tmp_path: Path) -> None:
    early = build_core(tmp_path, "2026-03-01T12:00:00+01:00")
    assert early.ask("hours").text.startswith("SearchCon 2026 starts on Sat 28 Mar. Day by day")
    assert early.ask("when does it start?").text.startswith(
        "SearchCon 2026 starts on Sat 28 Mar: the first session starts at 09:00 (“Welcome and opening” in Janson)."
    )
    assert early.ask("when does it end?").text == f"{ENDS} {EVERY_DAY}"


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("when does searchcon 2025 start?", "SearchCon 2025 started on Sat 29 Mar: the first session started at 09:00"),
        ("when does searchcon-2025 end?", "SearchCon 2025 ended on Sun 30 Mar: the last session ended at 17:00"),
        ("wann beginnt die searchcon 2025?", "SearchCon 2025 started on Sat 29 Mar"),
        ("hours searchcon 2025", "SearchCon 2025 runs Sat 29 Mar to Sun 30 Mar"),
        ("when does searchcon 2026 end?", "SearchCon 2026 ends on Sun 29 Mar"),
    ],
)
def test_a_conference_named_in_the_question_is_the_one_answered(tmp_path: Path, question: str, lead: str) -> None:
    store_with(tmp_path / "core.db", searchcon())
    core = build_core(tmp_path, "2026-03-28T10:50:00+01:00")
    core.ask("switch to searchcon-2025" if "2026" in question else "switch to searchcon-2026")
    text = core.ask(question).text
    assert text.startswith(lead), text
    assert "Day by day" in text
    other = "2026" if "2025" in question else "2025"
    assert f"SearchCon {other}" not in text


def test_a_day_without_sessions(core: Core) -> None:
    text = core.ask("when does it start on friday?").text
    assert "SearchCon 2026 runs Sat 28 Mar to Sun 29 Mar" in text and "first session" not in text


@pytest.mark.parametrize(
    ("question", "found"),
    [("when does the rust talk start", "1"), ("the first talk about python tomorrow", "13")],
)
def test_a_topic_stays_a_search(core: Core, question: str, found: str) -> None:
    reply = core.ask(question)
    assert reply.cards and reply.cards[0].session.id == found, reply.text


def test_hours_command(core: Core) -> None:
    assert SUNDAY in core.ask("hours tomorrow").text
    assert "first session starts at 09:00" in core.ask("opening hours").text


def test_the_first_talk_after_a_list_is_that_talk(core: Core) -> None:
    core.ask("postgres")
    reply = core.ask("the first talk")
    assert reply.cards and reply.cards[0].detailed and "first session starts" not in reply.text
