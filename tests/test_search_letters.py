"""Single letters carry almost no meaning: 'e-voting' is one compound, spaced-out titles and initials are no
matches for a letter, and 'R' or 'C' asked alone mean the language."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.search.engine import Hit, SearchEngine
from bot.search.text import index_words

NOW = datetime.fromisoformat("2026-05-08T09:00:00+02:00")


def hits(engine: SearchEngine, query: str, limit: int = 10) -> list[Hit]:
    return list(engine.search(query, now=NOW, limit=limit).hits)


def ids(engine: SearchEngine, query: str) -> list[str]:
    return [h.session.id for h in hits(engine, query)]


@pytest.mark.parametrize("query", ["talks on e-voting", "e-voting", "E-Voting", "e voting", "evoting", "eVoting"])
def test_e_voting_however_written_finds_both_spellings_first(lettercon: SearchEngine, query: str) -> None:
    found = ids(lettercon, query)
    assert set(found[:2]) == {"2", "10"}  # 'E-Voting in Estonia' and 'Legal limits of eVoting'


def test_a_compound_letter_matches_no_spaced_title_and_no_speaker(lettercon: SearchEngine) -> None:
    found = hits(lettercon, "talks on e-voting")
    assert {h.session.id for h in found} <= {"2", "10", "9"}  # paper ballots: about voting
    assert not any(r.startswith("speaker") or "'E'" in r for h in found for r in h.why)
    assert "3" not in ids(lettercon, "e-mail")  # e-punc's film: no 'e' from 'e-mail'


def test_x_ray_is_not_ray_the_speaker_nor_a_lone_x(lettercon: SearchEngine) -> None:
    found = hits(lettercon, "x-ray")
    assert [h.session.id for h in found] == ["5"]
    assert found[0].why == ("title",)
    assert ids(lettercon, "xray") == ["5"]


def test_a_name_word_still_finds_its_speaker(lettercon: SearchEngine) -> None:
    first = hits(lettercon, "ray")[0]
    assert (first.session.id, first.why) == ("4", ("speaker: Ray",))
    for query in ("e-punc", "talks by e-punc"):
        first = hits(lettercon, query)[0]
        assert (first.session.id, first.why[0]) == ("3", "speaker: e-punc")


@pytest.mark.parametrize(("query", "first"), [("t-shirt", "13"), ("tshirt", "13"), ("e-mail", "14"), ("email", "14")])
def test_compounds_meet_their_joined_spelling(lettercon: SearchEngine, query: str, first: str) -> None:
    assert ids(lettercon, query)[0] == first


def test_r_asked_alone_means_the_language(lettercon: SearchEngine) -> None:
    found = hits(lettercon, "talks on R")
    assert [h.session.id for h in found] == ["7"]  # not 'M.A.R.S.', not the 'R&D' abstract
    assert found[0].why == ("title", "tags: R")


@pytest.mark.parametrize("query", ["C programming", "programming in C", "talks on C"])
def test_c_asked_with_programming_words_puts_the_c_talk_first(lettercon: SearchEngine, query: str) -> None:
    first = hits(lettercon, query)[0]
    assert first.session.id == "11"
    assert "title" in first.why


def test_a_lone_letter_beside_a_topic_is_only_a_hint(lettercon: SearchEngine) -> None:
    # 'x' carries nothing here: the hardware talk is found by its topic word, and the title with a lone X is not
    assert ids(lettercon, "x open hardware")[0] == "5"
    assert "12" not in ids(lettercon, "x open hardware")
    assert ids(lettercon, "quit x")[0] == "12"


def test_spelled_out_letters_are_one_word(lettercon: SearchEngine) -> None:
    assert ids(lettercon, "mars")[0] == "6"
    assert ids(lettercon, "bladebabes")[0] == "1"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("E-Voting in Estonia", ["evoting", "in", "estonia", "voting"]),
        ("b l a d e b a b e s - live Band", ["bladebabes", "live", "band"]),
        ("Designing M.A.R.S.", ["designing", "mars"]),
        ("J. R. R. Tolkien", ["jrr", "tolkien"]),
        ("USB-C and R&D, I/O", ["usbc", "and", "rd", "io", "usb"]),
        ("Trace(r)s", ["tracers"]),
        ("Programming in C. A new R package", ["programming", "in", "c", "a", "new", "r", "package"]),
        ("it's what I'm doing", ["it", "s", "what", "i", "m", "doing"]),
    ],
)
def test_index_words_join_letters_that_are_no_words(text: str, expected: list[str]) -> None:
    assert index_words(text) == expected


def test_a_compound_being_typed_or_mistyped_still_finds_it(lettercon: SearchEngine) -> None:
    assert set(ids(lettercon, "e-vot")[:2]) == {"2", "10"}
    assert ids(lettercon, "t-shi")[0] == "13"
    first = hits(lettercon, "e-votign")[0]
    assert first.session.id in {"2", "10"}
    assert "read 'e-votign → evoting'" in first.why


@pytest.mark.parametrize("query", ["talks on risc-v", "risc v", "RISC-V"])
def test_a_word_with_a_letter_after_it_never_matches_on_the_letter_alone(query: str) -> None:
    """'talks on risc-v' listed sessions whose abstracts mention a 'V' (gawk, Python init) beside RISC-V ones."""
    from catalog.model import Conference, Session

    sessions = [
        Session(id="1", title="RISC-V hardware: where are we?", abstract="Boards and cores.", start=NOW, end=NOW),
        Session(id="2", title="gawk internals", abstract="Version V of the awk book, chapter V.", start=NOW, end=NOW),
        Session(id="3", title="Vector units", abstract="The V extension of RISC-V in practice.", start=NOW, end=NOW),
    ]
    engine = SearchEngine([Conference(slug="arch", title="ArchCon")], {"arch": sessions})
    found = hits(engine, query)
    assert [h.session.id for h in found] == ["1", "3"]
    assert not any("'V'" in r for h in found for r in h.why)
