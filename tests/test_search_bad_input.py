"""Any text a person can type gets a clear answer and never an exception: checked by example and by hypothesis."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.search.engine import SearchEngine
from bot.search.query import MAX_QUERY_CHARS, parse

NOW = datetime.fromisoformat("2026-03-28T09:00:00+01:00")


def test_empty_and_filler_only_get_help(searchcon: SearchEngine) -> None:
    for text in ("", "   ", "talks about", "show me some sessions please"):
        result = searchcon.search(text, now=NOW)
        assert result.hits == ()
        assert "Tell me what to look for" in result.message


def test_ten_thousand_characters_are_cut_and_said_so(searchcon: SearchEngine) -> None:
    result = searchcon.search("kubernetes " * 1000, now=NOW)
    assert "Your question was cut to its first" in result.message
    assert result.hits and result.hits[0].session.id == "2"


@pytest.mark.parametrize(
    "text",
    [
        "\x00\x07kubernetes\x1b[31m",
        "🦀 rust 🦀",
        "'; DROP TABLE sessions; --",
        "(a+)+$ [unclosed \\d{",
        '" OR 1=1 NEAR/3 *',
        "talks on tuesday at 25:99",
        "<@U123> <!channel> @everyone",
    ],
)
def test_hostile_or_odd_queries_answer_calmly(searchcon: SearchEngine, text: str) -> None:
    result = searchcon.search(text, now=NOW)
    assert isinstance(result.message, str)
    for hit in result.hits:
        assert hit.why


def test_control_characters_do_not_reach_the_words() -> None:
    assert parse("\x00kube\x1brnetes").words == ("kube", "rnetes")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=400))
def test_parser_never_raises_and_keeps_its_promises(text: str) -> None:
    parsed = parse(text)
    assert len(parsed.text) <= MAX_QUERY_CHARS
    assert all(word and word == word.strip() for word in parsed.words)
    if parsed.truncated:
        assert len(text) > MAX_QUERY_CHARS
    elif text.isprintable():
        assert parsed.text == " ".join(text.split())


words = st.sampled_from(
    [
        "rust",
        "talks",
        "by",
        "on",
        "tomorrow",
        "afternoon",
        "at",
        "2pm",
        "track",
        "room",
        "who",
        "is",
        "k8s",
        "day",
        "2",
        "next",
        "now",
        "sunday",
        "libre",
        "office",
        "'s",
        "devroom",
        "in",
        "the",
        "ojeda",
        "duckbd",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(words, max_size=8).map(" ".join))
def test_engine_answers_every_mix_of_grammar_words(searchcon: SearchEngine, text: str) -> None:
    result = searchcon.search(text, now=NOW)
    assert result.total >= len(result.hits)
    assert result.hits or result.message


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_engine_never_raises_on_any_text(searchcon: SearchEngine, text: str) -> None:
    result = searchcon.search(text, now=NOW)
    assert result.hits or result.message
