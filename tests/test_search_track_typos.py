"""A track asked for with a slip in its name ('track databses') is that track, said back as the schedule names it;
a slip between two tracks, one too far off, or a word the catalog uses stays a search for the words."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from bot.search.engine import SearchEngine
from catalog.load import load
from tests.fakes import Core, build_core

MORNING = datetime.fromisoformat("2026-03-28T09:00:00+01:00")


@pytest.mark.parametrize("query", ["track databses", "datbases devroom", "track databsaes", "the databses track"])
def test_a_misspelt_track_is_that_track(searchcon: SearchEngine, query: str) -> None:
    result = searchcon.search(query, now=MORNING)
    assert result.query.track == "Databases"
    assert result.total == 3 and {h.session.track for h in result.hits} == {"Databases"}


def test_a_misspelt_track_is_said_back_by_its_name(tmp_path: Path) -> None:
    core: Core = build_core(tmp_path, "2026-03-28T09:00:00+01:00")
    assert core.ask("track databses").text == "3 sessions in track Databases:"


def test_a_track_far_from_the_typing_stays_a_word_search(searchcon: SearchEngine) -> None:
    result = searchcon.search("track dtbsss", now=MORNING)
    assert result.query.track == "" and result.query.words == ("dtbsss",)
    assert not result.hits


ROWS = """id,title,track,speakers,start,end,room
1,Property tests in practice,Testing,Ann Lee,2026-05-02T10:00:00+02:00,2026-05-02T10:30:00+02:00,A
2,Fuzzing parsers,Testing,Bo Chen,2026-05-02T11:00:00+02:00,2026-05-02T11:30:00+02:00,A
3,Running your own mail server,Hosting,Cy Diaz,2026-05-02T10:00:00+02:00,2026-05-02T10:30:00+02:00,B
4,Static sites on a shoestring,Hosting,Di Ekk,2026-05-02T11:00:00+02:00,2026-05-02T11:30:00+02:00,B
5,Nesting containers safely,Containers,Ed Fox,2026-05-02T12:00:00+02:00,2026-05-02T12:30:00+02:00,C
"""


@pytest.fixture(scope="module")
def trackcon(tmp_path_factory: pytest.TempPathFactory) -> SearchEngine:
    path = tmp_path_factory.mktemp("trackcon") / "trackcon.csv"
    path.write_text(ROWS, encoding="utf-8")
    catalog = load(str(path))
    return SearchEngine([catalog.conference], {catalog.conference.slug: list(catalog.sessions)})


def test_a_slip_as_near_two_tracks_is_no_guess(trackcon: SearchEngine) -> None:
    """'hesting' is one letter from Testing and one from Hosting: neither is filtered on."""
    result = trackcon.search("track hesting", now=MORNING)
    assert result.query.track == "" and result.query.words == ("hesting",)
    assert {"Testing", "Hosting"} <= {h.session.track for h in result.hits}  # the word search finds both


def test_a_word_the_catalog_uses_is_meant_as_typed(trackcon: SearchEngine) -> None:
    """'nesting' is a letter from Testing, but a talk here is about nesting: that talk is the answer."""
    result = trackcon.search("track nesting", now=MORNING)
    assert result.query.track == ""
    assert [h.session.id for h in result.hits] == ["5"]
    assert [h.session.id for h in trackcon.search("track tseting", now=MORNING).hits] == ["1", "2"]
