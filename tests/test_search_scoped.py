"""A question about one conference of several: answered from that conference alone. Its own saved index opens at
once; where none could be saved, a large conference's index is built apart and never keeps the question waiting
(the store-wide index answers, filtered, meanwhile)."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

import pytest

from bot.clock import VirtualClock
from bot.conversation import Conversation
from bot.messages import Incoming, Person
from bot.search import scoped
from bot.search.service import SearchService
from bot.store import AgendaStore, CatalogStore, open_database
from tests.scope_fixtures import searchcon, store_with

ANN = Person("slack", "T1", "U1")


def conversation(path: Path) -> Conversation:
    db = open_database(path)
    catalogs = CatalogStore(db)
    search = SearchService(catalogs, reader=lambda: CatalogStore(open_database(path)))
    clock = VirtualClock(datetime.fromisoformat("2026-03-28T10:00:00+01:00"))
    return Conversation(catalogs, AgendaStore(db), search, clock)


def wait_for_builds() -> None:
    for thread in threading.enumerate():
        if thread.name.startswith("confbot-scope-"):
            thread.join(timeout=60)


def answer(talk: Conversation, text: str) -> list[tuple[str, str]]:
    return [(c.conference, c.session.id) for c in talk.handle(Incoming(ANN, text)).cards]


def test_a_large_conference_is_answered_at_once_and_the_same_once_its_index_is_ready(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scoped, "INLINE_SESSIONS", 0)  # every conference counts as large here
    (tmp_path / "two.db.index").write_text("not a folder")  # no saved index can be written beside this store
    talk = conversation(store_with(tmp_path / "two.db", searchcon()))
    talk.handle(Incoming(ANN, "switch to searchcon-2025"))
    whole = talk.search.engine()
    assert talk.engines.engine(whole, "searchcon-2025") is whole  # not built on the answering thread
    first = answer(talk, "talks on rust")
    wait_for_builds()
    own = talk.engines.engine(whole, "searchcon-2025")
    assert own is not whole and list(own.index.conferences) == ["searchcon-2025"]
    assert first and {conf for conf, _ in first} == {"searchcon-2025"}
    assert answer(talk, "talks on rust") == first


def test_a_conference_opens_its_own_saved_index(tmp_path: Path) -> None:
    talk = conversation(store_with(tmp_path / "two.db", searchcon()))
    whole = talk.search.engine()
    own = talk.engines.engine(whole, "searchcon-2026")
    assert list(own.index.conferences) == ["searchcon-2026"]
    assert talk.engines.engine(whole, "searchcon-2026") is own
