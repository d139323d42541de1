"""A name asked about is read as a speaker's only within the typo rule ('hadad' is Haddad); a surname further off
('bergmann' for Berg, 'leemhuis' for Behrens) is someone not in the schedule, said so, and a word of a long
question is never said to be read as some speaker's name ('delta → Roy')."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from bot.search.engine import SearchEngine
from tests.conftest import CATALOGS, needs_shared
from tests.fakes import Core, build_core

MORNING = datetime.fromisoformat("2026-03-28T09:00:00+01:00")


@pytest.fixture
def core(tmp_path: Path) -> Core:
    return build_core(tmp_path, "2026-03-28T09:00:00+01:00")


@pytest.mark.parametrize("question", ["talks by Ruth Bergmann", "speaker Ruth Bergmann", "who is Ruth Bergmann"])
def test_a_surname_beyond_a_slip_is_nobody_in_the_schedule(core: Core, question: str) -> None:
    reply = core.ask(question)
    assert reply.text.startswith("No speaker called 'Ruth Bergmann' in this schedule.")
    assert not reply.cards


def test_a_surname_within_a_slip_is_that_speaker_said_as_read(searchcon: SearchEngine) -> None:
    hits = searchcon.search("talks by omar hadad", now=MORNING).hits
    assert [h.session.title for h in hits] == ["Postgres replication deep dive"]
    assert "read 'hadad → Haddad'" in hits[0].why


def test_a_first_name_alone_still_lists_that_person(core: Core) -> None:
    assert [c.session.title for c in core.ask("talks by ruth").cards] == [
        "LibreOffice at twenty",
        "Writing macros for Libre Office",
    ]


def test_words_of_a_question_are_never_read_as_a_speaker(searchcon: SearchEngine) -> None:
    """'with delta updates' reads as a speaker's name; no session is said to be by 'delta' read as someone."""
    hits = searchcon.search("postgres replication with delta updates", now=MORNING).hits
    assert hits
    assert not [r for h in hits for r in h.why if r.startswith(("read 'delta", "read 'updates", "speaker:"))]


@needs_shared
def test_thorsten_leemhuis_is_not_thorsten_behrens(tmp_path: Path) -> None:
    core = build_core(tmp_path, "2026-01-31T11:00:00+01:00", fixture=str(CATALOGS / "fosdem-2026.xml"))
    reply = core.ask("talks by Thorsten Leemhuis")
    assert reply.text.startswith("No speaker called 'Thorsten Leemhuis' in this schedule.") and not reply.cards
    assert [c.session.speaker_names for c in core.ask("talks by thorsten").cards] == [("Thorsten Behrens",)]
