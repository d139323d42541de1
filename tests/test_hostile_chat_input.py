"""Hostile chat lines: impossible dates and times, huge numbers, lone surrogates. Each ends in words, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from bot.messages import Incoming, Person
from bot.search.query import parse
from tests.fakes import Core, build_core

NOW = "2026-03-28T09:00:00+01:00"
ANN = Person("slack", "T1", "U1")

# (line, what the answer says)
IMPOSSIBLE = [
    ("feb 30", "There is no 30 February."),
    ("talks on 31 april", "There is no 31 April."),
    ("31st feb rust", "There is no 31 February."),
    ("0 march", "There is no 0 March."),
    ("2026-02-30", "There is no 30 February 2026."),
    ("2026-13-01", "there is no month 13"),
    ("0000-00-00", "There is no year 0"),
    ("day 99999999999999999999", "There is no day 999999999999… of a conference"),
    ("day 0", "There is no day 0 of a conference"),
    ("at 25:61", "There is no 25:61 on a clock"),
    ("at 24:30", "There is no 24:30 on a clock"),
    ("rust 99pm", "There is no 99pm on a clock"),
    ("9999-12-31", "No day of the conference matches '9999-12-31'"),
    ("0001-01-01 at 00:00", "Nothing scheduled"),
]


@pytest.fixture(scope="module")
def core(tmp_path_factory: pytest.TempPathFactory) -> Core:
    return build_core(tmp_path_factory.mktemp("hostile"), NOW)


@pytest.mark.parametrize(("line", "said"), IMPOSSIBLE)
def test_impossible_dates_and_times_are_answered_in_words(core: Core, line: str, said: str) -> None:
    reply = core.ask(line, ANN)
    assert said in reply.text and not reply.cards


def test_valid_dates_still_search() -> None:
    assert parse("feb 29").time is not None and not parse("feb 29").time.problem  # type: ignore[union-attr]
    assert parse("at 24:00").time is not None and not parse("at 24:00").time.problem  # type: ignore[union-attr]
    assert parse("python 3.75").time is None  # a version number is not a clock
    assert parse("48h of fuzzing").time is None  # nor is a duration
    assert parse("at 48h").time is not None and parse("at 48h").time.problem  # type: ignore[union-attr]


def test_a_real_day_still_finds_sessions(core: Core) -> None:
    assert core.ask("day 2", ANN).cards and core.ask("2026-03-29", ANN).cards


def test_lone_surrogates_in_text_and_buttons_are_answered(core: Core) -> None:
    assert "rust" in core.ask("rust \ud800", ANN).text
    assert core.ask("settings timezone \ud800", ANN).text.startswith("I don't know the time zone")
    assert "couldn't find" in core.press("remind", "searchcon-2026:\ud800", ANN).text
    assert core.agenda.saved(ANN) == []


@pytest.mark.parametrize(
    "line", ["remind ²", "about ³", "forget ١٢", "snooze 3 ²", "snooze 3 99999999999999", "remind " + "9" * 5000]
)
def test_digits_that_are_not_numbers_are_answered(core: Core, line: str) -> None:
    assert core.ask(line, ANN).text


@pytest.mark.parametrize(
    ("marked", "meant"),
    [
        ("@channel what is next", "what is next"),
        ("@here talks on rust", "talks on rust"),
        ("<!here> talks on rust", "talks on rust"),
        ("<!channel> <!everyone> rust", "rust"),
        ("<!subteam^S0123|@devs> postgres", "postgres"),
        ("<@U0123ABC> who is ruth", "who is ruth"),
        ("<@U0123ABC|ann> horovod", "horovod"),
        ("<@123456789012345678> <@!42> <@&77> rust <:ferris:1234> <a:party:99>", "rust"),
        ("<#C0123|databases> talks on rust", "talks on rust"),  # a channel's name is never a search word
        ("<#C024BE7LR|general> what's next", "what's next"),
        ("[rust](http://evil.example)", "rust"),  # a link's text, never its address's words
        ("[the rust devroom](https://fosdem.org) schedule", "the rust devroom schedule"),  # text with spaces
        ("hey @confbot what's next", "what's next"),
        ("Hi confbot, talks on rust", "talks on rust"),
        ("confbot: horovod", "horovod"),
        ("hello, who is ruth", "who is ruth"),
        ("moin was läuft jetzt", "was läuft jetzt"),
        ("<#123456> rust", "rust"),
        ("<b>rust</b> <script>alert(1)</script>", "rust"),
        ("&lt;b&gt;postgres&lt;/b&gt;", "postgres"),  # as Slack sends what a person typed
    ],
)
def test_chat_markup_is_dropped_before_the_question_is_read(core: Core, marked: str, meant: str) -> None:
    reply, plain = core.ask(marked, ANN), core.ask(meant, ANN)
    assert (reply.text, [c.session.id for c in reply.cards]) == (plain.text, [c.session.id for c in plain.cards])
    assert not any(word in reply.text for word in ("channel", "here'", "U0123", "script", "<", "@"))


def test_a_greeting_stays_small_talk_and_hello_world_a_search(core: Core) -> None:
    assert core.ask("hey @confbot", ANN).text.startswith("Hello!")
    assert core.ask("hello world talks", ANN).text == core.ask("search hello world talks", ANN).text


def test_a_line_that_is_only_markup_asks_what_to_look_for(core: Core) -> None:
    assert core.ask("<@U0123ABC>", ANN).text.startswith("Tell me what to look for")
    assert core.ask("@everyone", ANN).text.startswith("Tell me what to look for")


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    text=st.one_of(
        st.text(max_size=80),
        st.lists(
            st.sampled_from(
                [
                    "feb",
                    "30",
                    "day",
                    "at",
                    "25:61",
                    "9999-12-31",
                    "remind",
                    "forget",
                    "about",
                    "like",
                    "more",
                    "snooze",
                    "agenda",
                    "settings",
                    "lead",
                    "timezone",
                    "announce",
                    "here",
                    "room",
                    "track",
                    "next",
                    "now",
                    "today",
                    "99pm",
                    "0",
                    "-1",
                    "99999999999999999999",
                    "rust",
                    "by",
                    "who",
                    "is",
                    "\ud800",
                    "<!channel>",
                    "nan",
                    "searchcon-2026:3",
                    "2026-13-01",
                    "\x00",
                    "april",
                    "31",
                    "12:00",
                    "24:30",
                    "first",
                    "digest",
                    "off",
                ]
            ),
            max_size=8,
        ).map(" ".join),
    ),
    admin=st.booleans(),
    direct=st.booleans(),
    action=st.sampled_from(["", "remind", "forget", "details", "like", "snooze", "share", "nonsense"]),
)
def test_any_text_or_button_value_gets_a_reply(core: Core, text: str, admin: bool, direct: bool, action: str) -> None:
    if not action and text.strip().lower().startswith("sync"):
        return  # a sync re-reads the sources; its own tests cover bad input
    incoming = (
        Incoming(ANN, "", "C1", direct, action=action, value=text, is_admin=admin)
        if action
        else Incoming(ANN, text, "C1", direct, is_admin=admin)
    )
    reply = core.conversation.handle(incoming)
    assert isinstance(reply.text, str) and reply.text


def console_app(tmp_path: Path) -> tuple[object, Console]:
    from adapters.cli_chat import build_app
    from bot.store import CatalogStore, open_database
    from catalog.load import load
    from tests.conftest import FIXTURES

    db = tmp_path / "console.db"
    CatalogStore(open_database(db)).save(load(str(FIXTURES / "searchcon.schedule.json")))
    console = Console(record=True, width=200, color_system=None)
    return build_app(db, console, NOW, None), console


def test_console_clock_refuses_impossible_moves_in_words(tmp_path: Path) -> None:
    app, console = console_app(tmp_path)
    app.run(  # type: ignore[attr-defined]
        [
            ":wait 999999999d",
            ":wait 99999999999999999999d",
            ":time 0001-01-01T00:00:00+00:00",
            ":time 9999-12-31T23:59:59-14:00",
            ":wait 400d",
            ":time",
            ":wait 1h",
        ]
    )
    out = console.export_text()
    assert out.count("is too long: the clock moves at most 366 days at a time") == 3
    assert out.count("is outside the years 1970 to 2999") == 2
    assert "It is 2026-03-28T09:00:00+01:00" in out  # nothing moved the clock
    assert "(now 2026-03-28T10:00:00+01:00)" in out


def test_console_process_survives_hostile_clock_lines(tmp_path: Path) -> None:
    from bot.store import open_database
    from tests.conftest import chat_process

    open_database(tmp_path / "empty.db").close()  # an empty store: chat no longer creates a missing one
    out = chat_process(tmp_path / "empty.db", ":wait 999999999d\n:time 0001-01-01T00:00:00+00:00\nfeb 30\n", NOW)
    assert "too long" in out and "outside the years" in out


def test_now_outside_the_clock_range_is_a_one_line_error(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("chat", "--now", "0001-01-01T00:00:00+00:00")
    assert result.code != 0 and "Traceback" not in result.err
    assert "outside the years 1970 to 2999" in result.err and len(result.err.strip().splitlines()) == 1


NUMBERISH = st.from_regex(
    r"\A(day |at |around |after |before |)(\d{1,25}|\d{1,3}[:.h]\d{1,3}(am|pm)?|\d{1,5}-\d{1,3}-\d{1,3}|"
    r"\d{1,3}(st|nd|rd|th)? (jan|feb|apr|june|sept|dec)|(feb|apr|nov) \d{1,3})( (am|pm))?\Z"
)


@settings(max_examples=300, deadline=None, database=None)
@given(text=st.one_of(NUMBERISH, st.text(max_size=60)), offset=st.integers(-14 * 60, 14 * 60))
def test_every_time_phrase_parses_and_resolves_or_says_why(text: str, offset: int) -> None:
    """Any words: a time phrase resolves to a window (or to no day of the conference) without raising."""
    from datetime import date, datetime, timedelta, timezone

    from bot.search.timephrases import resolve

    spec = parse(text).time
    if spec is None:
        return
    zone = timezone(timedelta(minutes=offset))
    window = resolve(spec, datetime(2026, 3, 28, 9, tzinfo=zone), zone, date(2026, 3, 28), date(2026, 3, 29))
    if spec.problem:
        assert window is None and spec.problem.endswith(".")
    elif window is not None:
        assert window.start <= window.end
