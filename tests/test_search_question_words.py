"""Words of a question that name nothing: function words, negations ('but not LLMs'), look-alike letters.

A small conference of our own whose abstracts are ordinary prose, so a function word ('into', 'should',
'sind') searched as a topic would reach almost every session, and a negated word searched as one would put
the sessions named after it first.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.search.engine import SearchEngine
from bot.search.query import parse
from catalog.model import Conference, Session

NOW = datetime.fromisoformat("2026-03-07T08:00:00+01:00")
DAY = NOW.replace(hour=10)
PROSE = "We look into it and you should come, but it is not hard."
TALKS = [
    ("1", "Home automation with open hardware", "Embedded", 0),
    ("2", "Large language models on a laptop: LLMs for everyone", "AI", 1),
    ("3", "Classic AI planning and search", "AI", 2),
    ("4", "Fine-tuning LLMs without a data centre", "AI", 3),
    ("5", "Rust for embedded systems", "Embedded", 4),
    ("6", "Datenschutz im Verein", "Recht", 26),  # the next day, after lunch
    ("7", "Computer vision AI at the edge", "AI", 27),
]


@pytest.fixture(scope="module")
def engine() -> SearchEngine:
    conf = Conference("wordcon-2026", "WordCon 2026", "Europe/Berlin", DAY.date(), (DAY + timedelta(days=1)).date())
    sessions = [
        Session(
            sid,
            title,
            abstract=PROSE,
            track=track,
            room="Janson",
            start=DAY + timedelta(hours=h),
            end=DAY + timedelta(hours=h, minutes=45),
            language="de" if sid == "6" else "en",
        )
        for sid, title, track, h in TALKS
    ]
    return SearchEngine([conf], {conf.slug: sessions})


def ids(engine: SearchEngine, query: str) -> list[str]:
    return [h.session.id for h in engine.search(query, now=NOW, limit=20).hits]


def test_function_words_of_an_english_sentence_are_not_searched(engine: SearchEngine) -> None:
    parsed = parse("I'm into home automation, what should I see?")
    assert parsed.words == ("home", "automation")
    # searched as topics, 'into' and 'should' matched every abstract here
    assert ids(engine, "I'm into home automation, what should I see?") == ["1"]


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("Welche Vorträge sind heute im Janson?", ("janson",)),
        ("ist morgen noch was?", ()),
        ("nach dem Mittagessen", ()),
    ],
)
def test_function_words_of_a_german_sentence_are_not_searched(question: str, words: tuple[str, ...]) -> None:
    assert parse(question).words == words


def test_a_german_time_with_a_meal_reads_as_the_english_one() -> None:
    assert parse("nach dem Mittagessen").time == parse("after lunch").time
    assert parse("was läuft beim Mittagessen").time == parse("at lunch").time


def test_a_german_question_for_a_day_lists_that_day(engine: SearchEngine) -> None:
    assert ids(engine, "ist morgen noch was?") == ["6", "7"]
    assert ids(engine, "Welche Vorträge sind heute im Janson?") == ["1", "2", "3", "4", "5"]


def test_a_title_of_function_words_is_still_searched() -> None:
    assert parse("should").words == ("should",)
    # joined by a hyphen, a common word is part of a name
    assert parse("local-first software").words == ("local", "first", "software")


def test_but_not_leaves_out_sessions_named_after_the_word(engine: SearchEngine) -> None:
    parsed = parse("talks about AI but not LLMs")
    assert parsed.words == ("ai",)
    assert parsed.excluded == ("llms",)
    assert parsed.qualifiers == " without 'llms'"
    found = ids(engine, "talks about AI but not LLMs")
    assert set(found) == {"3", "7"}  # the AI track's sessions whose titles do not name LLMs


@pytest.mark.parametrize("question", ["AI without LLMs", "KI-Vorträge ohne LLMs", "AI, except LLMs please"])
def test_other_ways_of_leaving_out(engine: SearchEngine, question: str) -> None:
    assert "llms" in parse(question).excluded
    assert not {"2", "4"} & set(ids(engine, question))


def test_leaving_out_holds_with_only_a_time_asked(engine: SearchEngine) -> None:
    """'what's on today without LLMs': no topic to score, yet the LLM sessions are still left out of the day."""
    day = {h.session.id for h in engine.search("what's on today", now=NOW, limit=20).hits}
    assert {"2", "4"} <= day
    assert {h.session.id for h in engine.search("what's on today without LLMs", now=NOW, limit=20).hits} == day - {
        "2",
        "4",
    }


def test_not_inside_a_title_is_no_negation() -> None:
    parsed = parse("the not so smart proxy war")
    assert parsed.excluded == ()
    assert parsed.words == ("smart", "proxy", "war")


def test_look_alike_letters_are_read_as_letters(engine: SearchEngine) -> None:
    assert parse(
        "\U0001d563\U0001d566\U0001d564\U0001d565 \U0001d565\U0001d552\U0001d55d\U0001d55c\U0001d564"
    ).words == ("rust",)
    assert parse("\uff32\uff55\uff53\uff54").words == ("rust",)  # full-width
    assert ids(engine, "\u211d\U0001d566\U0001d564\U0001d565 \U0001d565\U0001d552\U0001d55d\U0001d55c\U0001d564") == [
        "5"
    ]


def test_the_language_asked_for_is_said_back() -> None:
    assert parse("talks in German tomorrow").qualifiers == " in German"


def test_words_for_the_schedule_itself_are_no_topic() -> None:
    assert parse("the rust devroom schedule").words == ()
    assert parse("linux scheduler").words == ("linux", "scheduler")


def test_words_are_said_back_as_typed_with_their_umlauts(engine: SearchEngine) -> None:
    parsed = parse("Talks über Fahrräder und sécurité")
    assert parsed.as_typed(parsed.words) == "fahrräder sécurité"
    assert engine.search("Talks über Fahrräder", now=NOW).message.startswith("Nothing found for 'fahrräder'")
