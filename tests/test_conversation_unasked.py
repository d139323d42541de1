"""Lines that are not searches although they look like one: a yes or no with nothing asked, 'clashes', and
'announce here' in the console, which has no channels."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.messages import Incoming
from tests.conftest import chat_process
from tests.fakes import ME, Core, build_core
from tests.scope_fixtures import searchcon, store_with


@pytest.fixture
def core(tmp_path: Path) -> Core:
    return build_core(tmp_path, "2026-03-28T09:00:00+01:00")


@pytest.mark.parametrize("said", ["yes", "Yes!", "sure", "no", "nope", "cancel"])
def test_yes_or_no_with_nothing_asked_is_a_short_answer_not_a_search(core: Core, said: str) -> None:
    core.ask("databases track")
    reply = core.ask(said)
    assert reply.text.startswith(("There's nothing waiting for a yes", "There was nothing to say no to"))
    assert reply.cards == ()
    assert core.ask("remind 2").text.startswith("Saved “Scaling PostgreSQL”")  # the list shown is kept


def test_ja_and_nein_with_nothing_asked_are_answered_in_german(core: Core) -> None:
    assert core.ask("ja").text.startswith("Ich habe gerade nichts gefragt")
    assert core.ask("nein").text.startswith("Es wartete nichts auf ein Nein")


def test_a_yes_still_answers_a_question(core: Core) -> None:
    core.ask("remind 3")
    core.ask("forget all")
    assert core.ask("yes").text.startswith("Done: your agenda is empty")


def test_clashes_lists_the_overlapping_sessions_of_the_agenda(tmp_path: Path) -> None:
    core = build_core(tmp_path, "2025-03-01T08:00:00+01:00", fixture="mini-frab.xml")
    assert core.ask("clashes").text.startswith("Your agenda is empty, so nothing clashes.")
    core.ask("remind 101")  # Rust & the kernel 10:00-10:45
    assert core.ask("clashes").text == "No clashes: your agenda has only one session."
    core.ask("remind 103#2")  # PostgreSQL tuning (repeat) 11:30-12:00: no overlap
    assert core.ask("clashes").text == "No clashes: none of the 2 sessions in your agenda overlap."
    core.ask("remind 103")  # PostgreSQL tuning 10:30-11:00
    reply = core.ask("überschneidungen")
    assert reply.text.splitlines()[:2] == ["1 clash in your agenda:", "  1 and 2 overlap Sat 01 Mar 10:30–10:45"]
    assert [c.session.id for c in reply.cards] == ["101", "103"]
    assert core.ask("forget 2").text == "Removed “PostgreSQL tuning” from your agenda."
    assert core.ask("clashes").text == "No clashes: none of the 2 sessions in your agenda overlap."


def test_clashes_followed_by_words_is_a_search(core: Core) -> None:
    assert not core.ask("conflicts in kubernetes").text.startswith(("No clashes", "Your agenda"))


def test_announce_here_in_the_console_says_channels_are_slack_and_discord(tmp_path: Path) -> None:
    db = store_with(tmp_path / "one.db", searchcon(1))
    out = chat_process(db, "announce here\n", "2026-03-28T09:00:00+01:00")
    assert "The console has no channels: announcements are for Slack and Discord" in out
    assert "Done: this channel" not in out


def test_announce_here_in_a_chat_channel_is_done(core: Core) -> None:
    said = Incoming(ME, "announce here", channel="C-general", is_direct=False, is_admin=True)
    assert core.conversation.handle(said).text.startswith("Done: this channel gets every session")
