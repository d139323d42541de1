"""Time and place as attendees say them: 'in 30 minutes', 'later today', 'in Janson', 'when is lunch', and which
track or which similar talks a question means."""

from __future__ import annotations

from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.search.engine import SearchEngine

MORNING = datetime.fromisoformat("2026-12-27T10:00:00+01:00")


def ids(engine: SearchEngine, query: str, now: datetime = MORNING, limit: int = 10) -> list[str]:
    return [h.session.id for h in engine.search(query, now=now, limit=limit).hits]


def test_a_room_named_after_in_is_a_room_filter(sprachcon: SearchEngine) -> None:
    result = sprachcon.search("what's on in Janson", now=MORNING)
    assert [h.session.id for h in result.hits] == ["1", "12"]
    assert all(w.startswith("room: ") for w in result.hits[0].why[:1])
    assert ids(sprachcon, "lightning talks at Janson") == ["12"]


def test_a_room_asked_for_with_a_word_for_room_before_its_name(sprachcon: SearchEngine) -> None:
    """'in Saal Adams' where the schedule calls the room 'Adams': the word for a hall is no word to search."""
    assert ids(sprachcon, "what's on in Saal Janson") == ["1", "12"]
    assert ids(sprachcon, "what's on in room Janson") == ["1", "12"]


def test_a_word_after_in_that_names_no_room_is_searched(sprachcon: SearchEngine) -> None:
    assert ids(sprachcon, "Sicherheitslücke in Ladesäulen")[0] == "4"


def test_in_thirty_minutes_means_what_starts_around_then(sprachcon: SearchEngine) -> None:
    found = ids(sprachcon, "what's on in 30 minutes")
    assert "2" in found  # 10:30
    assert "1" not in found and "11" not in found  # already running; 12:30


def test_in_an_hour(sprachcon: SearchEngine) -> None:
    found = ids(sprachcon, "in an hour")
    assert set(found) == {"3", "4"}  # 11:00, and not 10:30 or 11:30


def test_later_today_runs_to_the_end_of_the_conference_day(sprachcon: SearchEngine) -> None:
    afternoon = datetime.fromisoformat("2026-12-27T14:10:00+01:00")
    found = ids(sprachcon, "later today", now=afternoon)
    assert found[:3] == ["7", "8", "9"] and "10" in found
    assert not {"1", "6", "13"} & set(found)  # before now, or tomorrow


def test_when_is_lunch_finds_the_session_called_lunch(sprachcon: SearchEngine) -> None:
    assert ids(sprachcon, "when is lunch")[0] == "11"
    assert "12" in ids(sprachcon, "lunch")  # a title containing 'lunch' stays findable
    after = ids(sprachcon, "talks after lunch")
    assert "11" not in after and "6" in after  # after lunch is a time: 13:00 onwards


def test_a_track_named_exactly_beats_one_that_contains_the_word(sprachcon: SearchEngine) -> None:
    assert ids(sprachcon, "Go devroom") == ["13"]
    assert ids(sprachcon, "go track") == ["13"]


def test_like_puts_the_same_track_and_topic_words_first(sprachcon: SearchEngine) -> None:
    session = sprachcon.index.session("sprachcon-2026", "18")
    assert session is not None
    similar = sprachcon.similar("sprachcon-2026", session)
    assert {h.session.id for h in similar[:2]} == {"19", "20"}
    assert similar[0].why[0] == "same track: Operations"


questions = st.sampled_from(
    "is there anything on how to get started with i'd love to hear about gibt es was zu wer redet über "
    "Vorträge auf Deutsch German talks in English englischsprachige in 30 minutes in an hour later today "
    "when is lunch after lunch in Janson at Saal 2 Geräten Überwachung Sicherheitslücken Softwarelizenzen "
    "ham radio random inputs 0 999999 minutes stunden half".split()
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(questions, max_size=10).map(" ".join))
def test_any_mix_of_sentence_words_gets_an_answer(sprachcon: SearchEngine, text: str) -> None:
    result = sprachcon.search(text, now=MORNING)
    assert result.total >= len(result.hits)
    assert result.hits or result.message
    for hit in result.hits:
        assert hit.why


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from("äöüßÄÖÜ aeiou?,.'-éç"), max_size=60))
def test_umlauts_and_punctuation_never_raise(sprachcon: SearchEngine, text: str) -> None:
    result = sprachcon.search(text, now=MORNING)
    assert result.hits or result.message


def test_german_time_words(sprachcon: SearchEngine) -> None:
    assert ids(sprachcon, "Vorträge morgen über Go") == ["13", "14"]  # both on the 28th; nothing of the 27th
    assert ids(sprachcon, "was läuft um 11 Uhr im Saal 2") == ["4", "5"]  # 'at' means the hour from then
    afternoon = set(ids(sprachcon, "Vorträge heute nachmittag auf Deutsch"))
    assert afternoon == {"6", "7"}  # German, on the 27th, from 12:00 to 18:00


def test_german_time_words_are_read_only_in_german_questions(sprachcon: SearchEngine) -> None:
    from bot.search.query import parse

    assert parse("Vorträge morgen").time is not None
    assert parse("um").time is None and parse("tag").words == ("tag",)
