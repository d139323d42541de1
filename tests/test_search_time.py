"""Time words read in the conference's zone, relative to the clock's now, right across a DST change."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.search.engine import SearchEngine
from bot.search.query import parse
from bot.search.timephrases import resolve

SAT_MORNING = datetime.fromisoformat("2026-03-28T09:00:00+01:00")


def ids(engine: SearchEngine, query: str, now: datetime = SAT_MORNING) -> set[str]:
    return {h.session.id for h in engine.search(query, now=now, limit=50).hits}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("databases this afternoon", {"3", "15"}),
        ("tomorrow morning", {"5", "6", "14"}),  # Sunday, after clocks went forward
        ("postgres tomorrow", {"14"}),
        ("day 2 after lunch", {"7", "8", "12"}),
        ("sunday afternoon", {"7", "8", "12", "13"}),
        ("what's on at 2pm", {"3"}),
        ("at 14:00", {"3"}),
        ("tonight", {"16"}),
        ("today before 10:00", {"11"}),
    ],
)
def test_time_phrases_narrow_to_their_window(searchcon: SearchEngine, query: str, expected: set[str]) -> None:
    assert ids(searchcon, query) == expected


def test_now_lists_what_is_running(searchcon: SearchEngine) -> None:
    assert ids(searchcon, "now", datetime.fromisoformat("2026-03-28T10:15:00+01:00")) == {"1"}


def test_next_lists_what_starts_soon_in_time_order(searchcon: SearchEngine) -> None:
    result = searchcon.search("next", now=datetime.fromisoformat("2026-03-28T10:50:00+01:00"))
    assert [h.session.id for h in result.hits][:2] == ["2", "15"]


def test_today_is_read_in_the_conference_zone(searchcon: SearchEngine) -> None:
    # 23:30 UTC on Friday is already Saturday 00:30 in Brussels... but before the 04:00 day break,
    # so "today" is still Friday there: nothing scheduled.
    friday_night = datetime(2026, 3, 27, 23, 30, tzinfo=UTC)
    assert ids(searchcon, "today", friday_night) == set()
    assert ids(searchcon, "tomorrow", friday_night) == {"1", "2", "3", "4", "9", "10", "11", "15", "16"}


def test_a_late_session_belongs_to_the_evening_before(searchcon: SearchEngine) -> None:
    sunday_1am = datetime.fromisoformat("2026-03-29T01:00:00+01:00")
    assert "16" in ids(searchcon, "today", sunday_1am)


def test_day_that_the_conference_does_not_have(searchcon: SearchEngine) -> None:
    result = searchcon.search("rust on tuesday", now=SAT_MORNING)
    assert result.hits == ()
    assert "No day of the conference matches 'tuesday'" in result.message
    assert "SearchCon 2026 runs Sat 28 Mar to Sun 29 Mar 2026" in result.message
    assert "day 7" in parse("talks on day 7").time.label  # type: ignore[union-attr]
    assert searchcon.search("day 7", now=SAT_MORNING).hits == ()


def test_words_that_match_at_another_time_say_so(searchcon: SearchEngine) -> None:
    result = searchcon.search("horovod today", now=SAT_MORNING)
    assert result.hits == ()
    assert "1 session matches at other times or places." in result.message


def test_wall_clock_parts_survive_the_dst_change() -> None:
    spec = parse("sunday morning").time
    assert spec is not None
    zone = ZoneInfo("Europe/Brussels")
    window = resolve(spec, SAT_MORNING, zone, datetime(2026, 3, 28).date(), datetime(2026, 3, 29).date())
    assert window is not None
    assert window.start == datetime(2026, 3, 29, 5, 0, tzinfo=zone)
    assert window.start.astimezone(UTC) == datetime(2026, 3, 29, 3, 0, tzinfo=UTC)  # CEST already
    assert window.end.astimezone(UTC) == datetime(2026, 3, 29, 10, 0, tzinfo=UTC)
