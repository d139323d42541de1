"""A time that falls after a conference ended (or before it starts) is answered with that, not 'nothing found'."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.search.engine import SearchEngine
from catalog.model import Conference, Session

START = datetime.fromisoformat("2024-10-31T10:00:00+00:00")


@pytest.fixture(scope="module")
def engine() -> SearchEngine:
    conf = Conference("droidcon-2024", "Droidcon 2024", "Europe/London", date(2024, 10, 31), date(2024, 11, 1))
    sessions = [Session("1", "Kotlin Multiplatform in production", start=START, end=START.replace(hour=11))]
    return SearchEngine([conf], {conf.slug: sessions})


def test_after_the_conference_ended_says_so(engine: SearchEngine) -> None:
    later = datetime.fromisoformat("2026-01-31T10:00:00+01:00")
    result = engine.search("kotlin multiplatform tomorrow morning", now=later)
    assert not result.hits
    assert result.message == (
        "Droidcon 2024 ended on Fri 01 Nov 2024: nothing of it is on tomorrow morning. "
        "Ask 'kotlin multiplatform' without a time for its sessions."
    )


def test_before_the_conference_starts_says_so(engine: SearchEngine) -> None:
    earlier = datetime.fromisoformat("2024-06-01T10:00:00+01:00")
    assert engine.search("tomorrow", now=earlier).message.startswith("Droidcon 2024 starts on Thu 31 Oct 2024:")


def test_during_the_conference_an_empty_slot_is_only_empty(engine: SearchEngine) -> None:
    during = datetime.fromisoformat("2024-10-31T08:00:00+00:00")
    message = engine.search("kotlin tomorrow", now=during).message
    assert message.startswith("Nothing found for 'kotlin' tomorrow.") and "ended" not in message
