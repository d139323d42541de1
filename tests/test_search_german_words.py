"""German words that hold a sentence together ('für', 'denen', 'bei', 'noch') are not searched in a question that
says it is German, short or mixed as it is; 'fur' typed in an English question is a topic as before."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.search.engine import SearchEngine
from tests.conftest import CATALOGS, needs_shared

MORNING = datetime.fromisoformat("2026-12-27T09:00:00+01:00")


def titles(engine: SearchEngine, query: str) -> list[str]:
    return [h.session.title for h in engine.search(query, now=MORNING, limit=20).hits]


@pytest.mark.parametrize(
    "query",
    ["etwas für Einsteiger heute", "etwas fuer Einsteiger heute", "quantum talks für Einsteiger", "was für Einsteiger"],
)
def test_fuer_is_not_searched_in_a_german_question(sprachcon: SearchEngine, query: str) -> None:
    """'für' matched every session saying 'für' (a talk on charging stations for electric cars among them)."""
    result = sprachcon.search(query, now=MORNING, limit=20)
    assert "fur" not in result.query.words and "fuer" not in result.query.words
    assert titles(sprachcon, query) == ["Quantencomputer für Einsteiger"]


def test_a_relative_pronoun_is_not_searched(sprachcon: SearchEngine) -> None:
    """'denen' was searched, and found 'den' as a word form of it."""
    result = sprachcon.search("Vorträge heute, bei denen es um Datenschutz geht", now=MORNING)
    assert result.query.words == ("datenschutz",)
    assert all("word form" not in reason for h in result.hits for reason in h.why)


@pytest.mark.parametrize("query", ["talks on fur", "fur trade"])
def test_fur_in_an_english_question_is_a_topic(sprachcon: SearchEngine, query: str) -> None:
    assert "fur" in sprachcon.search(query, now=MORNING).query.words


@needs_shared
def test_38c3_workshops_one_can_still_join_today() -> None:
    from catalog.load import load

    catalog = load(str(CATALOGS / "38c3.xml"))
    engine = SearchEngine([catalog.conference], {catalog.conference.slug: list(catalog.sessions)})
    now = datetime.fromisoformat("2024-12-28T14:00:00+01:00")
    result = engine.search("Workshops heute, bei denen ich noch mitmachen kann", now=now, limit=50)
    assert result.query.words == ("workshops", "mitmachen")
    assert not any("'den'" in reason or "für" in reason for h in result.hits for reason in h.why)
    found = engine.search("etwas für Anfänger heute", now=now, limit=200)
    assert found.query.words == ("anfanger",)
    assert "IT(-Sicherheit) für Aktivisti" not in [h.session.title for h in found.hits]
