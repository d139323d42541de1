"""A typo the catalog itself made ('kuberntes' in one abstract) does not hide the talks the person meant, and a
name read as another speaker's says so."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.search.engine import SearchEngine
from catalog.model import Conference, Session, Speaker

NOW = datetime.fromisoformat("2026-01-31T10:00:00+01:00")


@pytest.fixture(scope="module")
def engine() -> SearchEngine:
    conf = Conference("typocon-2026", "TypoCon 2026", "Europe/Brussels", None, None)
    sessions = [
        Session(str(i), f"Kubernetes {topic}")
        for i, topic in enumerate(["at scale", "operators", "networking", "storage", "security"], start=1)
    ]
    sessions += [
        Session("6", "Cluster upgrades", abstract="Our kuberntes clusters upgrade themselves."),
        Session("7", "Tapping into streams", abstract="Tapping the wire."),
        Session("8", "Mapping the city", abstract="Mapping data."),
        Session("9", "Mapping rivers", abstract="Mapping water."),
        Session("10", "Mapping roads", abstract="Mapping traffic."),
        Session("11", "Mapping trees", abstract="Mapping forests."),
        Session("12", "Mapping people", abstract="Mapping crowds."),
        Session("13", "Package manifests", speakers=(Speaker("Jan Kolarik"),)),
    ]
    return SearchEngine([conf], {conf.slug: sessions})


def test_a_typo_in_one_abstract_also_finds_the_common_spelling(engine: SearchEngine) -> None:
    result = engine.search("kuberntes", now=NOW, limit=10)
    found = {h.session.id for h in result.hits}
    assert {"1", "2", "3", "4", "5", "6"} <= found
    kube = next(h for h in result.hits if h.session.id == "1")
    assert "read 'kuberntes → kubernetes'" in [r.lower() for r in kube.why]


def test_a_real_word_in_a_title_is_not_read_as_a_typo(engine: SearchEngine) -> None:
    # 'tapping' is in one title and is a word of its own: the five 'mapping' talks are not what was asked
    assert [h.session.id for h in engine.search("tapping", now=NOW).hits] == ["7"]


def test_a_speaker_read_under_another_spelling_is_said(engine: SearchEngine) -> None:
    hits = engine.search("who is konarik", now=NOW).hits
    assert [h.session.id for h in hits] == ["13"]
    assert "read 'konarik → Kolarik'" in hits[0].why
    exact = engine.search("who is kolarik", now=NOW).hits
    assert not any(r.startswith("read") for r in exact[0].why)
