"""The saved index: it answers exactly as one built in memory, follows each import conference by conference,
survives a kill in the middle of an update, and a store saved before indexes were still answers."""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from benchmarks.common import ZONES
from bot.search import engine as engine_module
from bot.search.engine import SearchEngine, SearchResult
from bot.search.persist import FORMAT, deferred_index, index_folder, open_index
from bot.search.scoped import ScopedEngines
from bot.search.service import SearchService, engine_from_store
from bot.store import CatalogStore, open_database
from catalog.load import load
from catalog.model import Catalog
from tests.conftest import CATALOGS, FIXTURES, ROOT, SHARED, needs_shared

NOW = datetime(2026, 3, 28, 9, tzinfo=UTC)
QUERIES = ("rust", "kernel", "talks on horovod", "rust tomorrow", "kernal", "sprache", "what's next")


def answers(result: SearchResult) -> tuple[object, ...]:
    hits = [(h.conference, h.session.id, h.session.title, h.score, h.why) for h in result.hits]
    return result.total, result.message, result.suggestions, hits


def in_memory(store: CatalogStore) -> SearchEngine:
    conferences = store.conferences()
    return SearchEngine(conferences, {c.slug: store.sessions(c.slug) for c in conferences})


def folders(store: CatalogStore) -> dict[str, int]:
    """Each saved folder and when it was last written."""
    folder = index_folder(store.db)
    assert folder is not None
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}


def fixture_store(path: Path) -> CatalogStore:
    store = CatalogStore(open_database(path))
    for name in ("searchcon.schedule.json", "sprachcon.schedule.json", "lettercon.schedule.json"):
        store.save(load(str(FIXTURES / name)))
    return store


def retitled(catalog: Catalog, title: str) -> Catalog:
    first = replace(catalog.sessions[0], title=title)
    return replace(catalog, sessions=(first, *catalog.sessions[1:]))


def test_an_import_saves_the_index_and_a_reader_opens_it_without_building(tmp_path: Path) -> None:
    store = fixture_store(tmp_path / "confbot.db")
    before = folders(store)
    assert sum(name.startswith("part-") for name in before) == 3  # one per conference, each tokenised once
    current = store.db.execute("SELECT segment FROM search_index WHERE conference = '*'").fetchone()[0]
    assert current in before

    reader = CatalogStore(open_database(tmp_path / "confbot.db"))
    assert open_index(reader) is not None  # the stamp matches the store: nothing to build
    engine = SearchService(reader).engine()
    for query in QUERIES:
        assert answers(engine.search(query, now=NOW)) == answers(in_memory(reader).search(query, now=NOW))
    assert folders(store) == before  # answering wrote nothing


def test_reimporting_one_conference_rebuilds_only_its_part(tmp_path: Path) -> None:
    store = fixture_store(tmp_path / "confbot.db")
    searchcon = load(str(FIXTURES / "searchcon.schedule.json"))
    before = folders(store)

    store.save(searchcon)  # the same catalog again: every folder is already there
    assert folders(store) == before
    assert open_index(store) is not None

    store.save(retitled(searchcon, "Quokka husbandry for platform teams"))
    after = folders(store)
    new = set(after) - set(before)
    assert len(new) == 3 and {n.split("-")[0] for n in new} == {"part", "one", "all"}  # its part, alone, merged
    assert any(n.startswith("part-searchcon") for n in new)
    assert all(after[n] == before[n] for n in before)  # the other conferences' parts were not touched
    found = engine_from_store(CatalogStore(open_database(tmp_path / "confbot.db"))).search("quokka", now=NOW)
    assert [h.session.title for h in found.hits] == ["Quokka husbandry for platform teams"]


def test_a_store_saved_before_indexes_were_still_answers_and_is_indexed_once(tmp_path: Path) -> None:
    path = tmp_path / "confbot.db"
    store = fixture_store(path)
    expected = [answers(in_memory(store).search(q, now=NOW)) for q in QUERIES]
    # What a store from before this change looks like: no table, no migration record, no folder.
    store.db.execute("DROP TABLE search_index")
    store.db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm009_search_index'")
    folder = index_folder(store.db)
    assert folder is not None
    shutil.rmtree(folder)
    store.db.close()

    old = CatalogStore(open_database(path))
    assert open_index(old) is None
    engine = SearchService(old).engine()
    assert [answers(engine.search(q, now=NOW)) for q in QUERIES] == expected
    assert open_index(CatalogStore(open_database(path))) is not None  # the next process opens it at once


CHILD = """
import sys
from dataclasses import replace
from bot.store import CatalogStore, open_database
from catalog.load import load

store = CatalogStore(open_database(sys.argv[1]))
base = load(sys.argv[2])
for version in range(1, 10_000):
    # Big enough that an update takes a while: the same talks many times, each marked with this version.
    sessions = tuple(
        replace(s, id=f"{s.id}-{copy}", title=f"{s.title} mark{version}")
        for copy in range(60) for s in base.sessions
    )
    store.save(replace(base, sessions=sessions))
    print(version, flush=True)
"""


def test_kill_during_an_index_update_leaves_store_and_index_answering_as_before(tmp_path: Path) -> None:
    path = tmp_path / "confbot.db"
    fixture_store(path).db.close()
    rng = random.Random(16)
    for _ in range(3):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path), str(FIXTURES / "searchcon.schedule.json")],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        child.stdout.readline()  # one update committed; kill somewhere inside a later one
        time.sleep(rng.uniform(0.0, 0.4))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()

        store = CatalogStore(open_database(path))
        assert open_index(store) is not None  # the stamp still names a complete index for this very store
        marks = {s.title.rsplit(" ", 1)[-1] for s in store.sessions("searchcon-2026")}
        assert len(marks) == 1  # the store holds one whole version
        engine = engine_from_store(store)
        fresh = in_memory(store)
        for query in (*QUERIES, marks.pop()):
            assert answers(engine.search(query, now=NOW)) == answers(fresh.search(query, now=NOW))
        store.db.close()


@needs_shared
def test_the_saved_index_answers_every_dev_query_exactly_as_one_built_in_memory(tmp_path: Path) -> None:
    rows = [
        json.loads(line)
        for name in ("relevance-dev.jsonl", "relevance-dev-v2.jsonl")
        for line in (SHARED / "eval" / name).read_text().splitlines()
        if line.strip()
    ]
    store = CatalogStore(open_database(tmp_path / "shared.db"))
    slugs = {}
    for name in sorted({r["catalog"] for r in rows}):
        catalog = load(str(CATALOGS / name), timezone=ZONES.get(name))
        store.save(catalog)
        slugs[name] = catalog.conference.slug
    saved = engine_from_store(CatalogStore(open_database(tmp_path / "shared.db")))
    assert saved.index.merged.folder is not None  # opened from disk, not built
    built = in_memory(store)
    for row in rows:
        now = datetime.fromisoformat(row["now"]) if row.get("now") else NOW
        for conference in (slugs[row["catalog"]], None):
            asked = {"now": now, "conference": conference, "limit": 20}
            assert answers(saved.search(row["query"], **asked)) == answers(built.search(row["query"], **asked))  # type: ignore[arg-type]


@pytest.mark.parametrize("conference", ["searchcon-2026", None])
def test_time_phrases_read_each_conference_in_its_own_zone(tmp_path: Path, conference: str | None) -> None:
    store = fixture_store(tmp_path / "confbot.db")
    engine = engine_from_store(store)
    result = engine.search("tomorrow morning", now=NOW, conference=conference)
    fresh = in_memory(store).search("tomorrow morning", now=NOW, conference=conference)
    assert answers(result) == answers(fresh)
    assert result.hits and all(h.session.start is not None for h in result.hits)


def test_a_chat_scoped_to_one_conference_opens_only_that_conferences_saved_index(tmp_path: Path) -> None:
    store = fixture_store(tmp_path / "confbot.db")
    whole = engine_from_store(store)
    scoped = ScopedEngines().engine(whole, "searchcon-2026")
    folder = scoped.index.merged.folder
    assert folder is not None and folder.name.startswith("one-part-searchcon")
    assert scoped.index.slugs == ["searchcon-2026"]
    conference = store.conference("searchcon-2026")
    assert conference is not None
    alone = SearchEngine([conference], {"searchcon-2026": store.sessions("searchcon-2026")})
    for query in QUERIES:
        asked = {"now": NOW, "conference": "searchcon-2026"}
        assert answers(scoped.search(query, **asked)) == answers(alone.search(query, **asked))  # type: ignore[arg-type]


def test_a_bulk_load_merges_once_at_the_end(tmp_path: Path) -> None:
    store = CatalogStore(open_database(tmp_path / "bulk.db"))
    with deferred_index(store):
        for name in ("searchcon.schedule.json", "sprachcon.schedule.json", "lettercon.schedule.json"):
            store.save(load(str(FIXTURES / name)))
    names = folders(store)
    assert sum(n.startswith("all-") for n in names) == 1 and sum(n.startswith("part-") for n in names) == 3
    assert open_index(store) is not None
    for query in QUERIES:
        assert answers(engine_from_store(store).search(query, now=NOW)) == answers(
            in_memory(store).search(query, now=NOW)
        )


def test_a_damaged_index_folder_neither_fails_an_import_nor_an_answer(tmp_path: Path) -> None:
    store = fixture_store(tmp_path / "confbot.db")
    current = store.db.execute("SELECT segment FROM search_index WHERE conference = '*'").fetchone()[0]
    folder = index_folder(store.db)
    assert folder is not None
    (folder / current / "post_scores.npy").write_bytes(b"not numpy")
    expected = [answers(in_memory(store).search(q, now=NOW)) for q in QUERIES]
    engine = engine_from_store(CatalogStore(open_database(tmp_path / "confbot.db")))
    assert [answers(engine.search(q, now=NOW)) for q in QUERIES] == expected

    for part in folder.glob("part-*"):
        (part / "counts.bin").write_bytes(b"cut short")
    store.save(retitled(load(str(FIXTURES / "searchcon.schedule.json")), "Quokka husbandry"))
    assert [s.title for s in store.sessions("searchcon-2026")].count("Quokka husbandry") == 1
    found = engine_from_store(CatalogStore(open_database(tmp_path / "confbot.db"))).search("quokka", now=NOW)
    assert [h.session.title for h in found.hits] == ["Quokka husbandry"]


def test_scoring_only_the_reachable_sessions_answers_as_scoring_them_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = fixture_store(tmp_path / "confbot.db")
    engine = engine_from_store(store)
    asked = [*QUERIES, "rust kernel drivers", "Sprache und Technik", "what's on about letters", "kernal rust"]
    results = {}
    for share in (0.0, 2.0):  # every question scored over all sessions, then over the reachable ones only
        monkeypatch.setattr(engine_module, "WHOLE_SHARE", share)
        results[share] = [
            answers(engine.search(q, now=NOW, conference=c)) for q in asked for c in (None, "searchcon-2026")
        ]
    assert results[0.0] == results[2.0]
    assert any(total for total, *_ in results[0.0])


def test_languages_are_detected_at_import_and_a_language_question_reads_them(tmp_path: Path) -> None:
    """'German talks' on a fresh process: the languages saved with each part answer it, the same sessions as
    detecting every session on the spot (most of a second at 70,000 sessions, on the thread that answers)."""
    from bot.search.filters import language_mask, saved_languages
    from bot.search.parts import conference_languages

    fixture_store(tmp_path / "store.db").db.close()
    index = engine_from_store(CatalogStore(open_database(tmp_path / "store.db"))).index
    saved = saved_languages(index)
    assert saved is not None and len(saved) == index.n
    assert saved == [langs for slug in index.slugs for langs in conference_languages(index.sessions_of(slug))]
    assert {"de", "en"} <= {code for langs in saved for code in langs}
    fresh = engine_from_store(CatalogStore(open_database(tmp_path / "store.db")))
    assert language_mask(fresh.index, "de").tolist() == [("de" in langs) for langs in saved]
    # What a fresh process answers with is what the import saved: mark every session of one part as Welsh on
    # disk, and a new process finds them for "cy" without detecting anything.
    part = fresh.index.part(0)
    assert part.folder is not None
    languages = json.loads((part.folder / "facts-languages.json").read_text(encoding="utf-8"))
    (part.folder / "facts-languages.json").write_text(json.dumps([["cy"] for _ in languages]), encoding="utf-8")
    again = engine_from_store(CatalogStore(open_database(tmp_path / "store.db")))
    assert int(language_mask(again.index, "cy").sum()) == len(languages) > 0


def test_an_index_saved_by_an_older_version_is_rebuilt_not_misread(tmp_path: Path) -> None:
    """After an upgrade that changes the saved layout, the store's stamps still name the old folders: a process
    must rebuild them rather than open files it cannot read (it did: a question then failed on a missing table)."""
    store = fixture_store(tmp_path / "store.db")
    now = datetime(2026, 1, 31, 10, tzinfo=UTC)
    expected = answers(engine_from_store(store).search("rust", now=now))
    # What the version before this layout left: folders of other names without per-fact files, stamped with the
    # bare fingerprint (store-wide) and the old layout's name (per conference).
    folder = index_folder(store.db)
    assert folder is not None
    with store.db.conn:
        for conference, segment, stamp in store.db.conn.execute("SELECT * FROM search_index").fetchall():
            (folder / segment).rename(folder / f"old-{segment}")
            old = store.fingerprint() if conference == "*" else stamp.replace(FORMAT, "confbot-index-old")
            store.db.conn.execute(
                "UPDATE search_index SET segment = ?, stamp = ? WHERE conference = ?",
                [f"old-{segment}", old, conference],
            )
    for facts in folder.glob("old-*/facts-*.json"):
        facts.unlink()
    assert open_index(store) is None
    assert answers(engine_from_store(store).search("rust", now=now)) == expected
    assert open_index(store) is not None  # rebuilt and stamped once
