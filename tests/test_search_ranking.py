"""What an attendee notices about search: the right talk first, typos forgiven, and a reason for each result."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.search.engine import SearchEngine
from bot.search.synonyms import load_synonyms

NOW = datetime.fromisoformat("2026-03-28T09:00:00+01:00")


def ids(engine: SearchEngine, query: str, limit: int = 5) -> list[str]:
    return [h.session.id for h in engine.search(query, now=NOW, limit=limit).hits]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("talks on horovod", "12"),
        ("cermak", "3"),  # accents fold
        ("jana čermák", "3"),
        ("risc v", "4"),
        ("risc-v", "4"),
        ("riscv", "4"),
        ("webassembly", "7"),
        ("wasm", "7"),  # synonym table
        ("k8s", "2"),
        ("llm", "8"),
        ("ojeda", "1"),  # part of a name
        ("miguel ojeda", "1"),
        ("nextflow genomics", "10"),
    ],
)
def test_the_right_session_comes_first(searchcon: SearchEngine, query: str, first: str) -> None:
    assert ids(searchcon, query)[0] == first


def test_joined_and_split_words_meet(searchcon: SearchEngine) -> None:
    assert set(ids(searchcon, "libreoffice")[:2]) == {"5", "6"}
    assert set(ids(searchcon, "libre office")[:2]) == {"5", "6"}


def test_postgres_synonyms_both_ways(searchcon: SearchEngine) -> None:
    assert set(ids(searchcon, "postgresql")[:2]) == {"3", "14"}
    assert set(ids(searchcon, "postgres")[:2]) == {"3", "14"}


def test_typo_tolerance_depends_on_word_length(searchcon: SearchEngine) -> None:
    assert ids(searchcon, "rsut") == []  # under 5 letters: no guessing
    assert ids(searchcon, "duckbd")[0] == "15"  # 6 letters, a transposition is one edit
    assert ids(searchcon, "fedivrse")[0] == "9"  # 8 letters, one edit
    assert ids(searchcon, "fdivrse") == []  # 7 letters, two edits: too far
    assert ids(searchcon, "bioinfrmatcs")[0] == "10"  # 12 letters, two edits
    assert ids(searchcon, "kubernets")[0] == "2"


def test_typo_is_explained(searchcon: SearchEngine) -> None:
    hit = searchcon.search("duckbd", now=NOW).hits[0]
    assert "read 'duckbd → duckdb'" in hit.why


def test_prefix_of_the_last_word_completes(searchcon: SearchEngine) -> None:
    assert ids(searchcon, "kube")[0] == "2"
    assert ids(searchcon, "hands-on horo")[0] == "12"


def test_exact_speaker_name_beats_everything(searchcon: SearchEngine) -> None:
    result = searchcon.search("ruth berg", now=NOW)
    assert [h.session.id for h in result.hits[:2]] == ["5", "6"]
    assert result.hits[0].why[0] == "speaker: Ruth Berg"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("talks by jana cermak", {"3"}),
        ("who is kai hoste", {"10"}),
        ("what is miguel ojeda presenting", {"1"}),
        ("ola nowak's talks", {"6"}),
        ("databases track", {"3", "14", "15"}),
        ("in the office devroom", {"5", "6"}),
        ("in room K.4.401", {"1"}),
        ("room ud2.120", {"2", "7"}),
    ],
)
def test_intent_becomes_a_filter(searchcon: SearchEngine, query: str, expected: set[str]) -> None:
    result = searchcon.search(query, now=NOW, limit=20)
    assert {h.session.id for h in result.hits} == expected


def test_filters_without_words_list_in_time_order(searchcon: SearchEngine) -> None:
    assert ids(searchcon, "databases track") == ["15", "3", "14"]


def test_each_result_says_why(searchcon: SearchEngine) -> None:
    by_track = searchcon.search("bioinformatics", now=NOW).hits[0]
    assert "title" in by_track.why and "track: Bioinformatics" in by_track.why
    by_abstract = searchcon.search("genomics", now=NOW).hits[0]
    assert by_abstract.why == ("abstract mentions 'genomics'",)
    by_tag = searchcon.search("cloud", now=NOW).hits[0]
    assert "tags: cloud" in by_tag.why
    by_synonym = searchcon.search("k8s", now=NOW).hits[0]
    assert any(w.startswith("synonym: kubernetes") for w in by_synonym.why)


def test_nothing_found_offers_nearest_words(searchcon: SearchEngine) -> None:
    result = searchcon.search("rsut", now=NOW)
    assert result.hits == ()
    assert "Nothing found for 'rsut'" in result.message
    assert "rust" in result.suggestions


def test_speaker_suggested_for_a_garbled_name(searchcon: SearchEngine) -> None:
    result = searchcon.search("who is oamr hadad", now=NOW)
    assert result.hits == () or result.hits[0].session.id == "14"
    if not result.hits:
        assert "Omar Haddad" in result.suggestions


def test_paging_with_offset(searchcon: SearchEngine) -> None:
    first = searchcon.search("databases track", now=NOW, limit=2)
    rest = searchcon.search("databases track", now=NOW, limit=2, offset=2)
    assert first.total == 3 and len(first.hits) == 2 and len(rest.hits) == 1
    assert {h.session.id for h in first.hits + rest.hits} == {"3", "14", "15"}


def test_synonym_table_is_data(tmp_path) -> None:  # type: ignore[no-untyped-def]
    table = load_synonyms('groups = [["pg", "postgresql"], ["ml", "machine learning"]]')
    assert table[("pg",)] == (("postgresql",),)
    assert table[("machine", "learning")] == (("ml",),)


def test_a_phrase_is_never_the_reason_when_only_its_common_word_is_there() -> None:
    """'kubernetes security' listed a Kubernetes talk whose abstract says 'it' but nothing of security, with
    "abstract mentions 'it'; about: it security": a phrase that needs every word explains only where all are."""
    from catalog.model import Conference, Session

    at = datetime.fromisoformat("2026-03-28T10:00:00+01:00")
    sessions = [
        Session(
            id="1", title="Storage on Kubernetes", abstract="It is easy to run it, but is it fast?", start=at, end=at
        ),
        Session(
            id="2", title="Kubernetes at scale", abstract="Security of it: the IT security view.", start=at, end=at
        ),
        Session(id="3", title="Rust in the kernel", abstract="Memory safety and security.", start=at, end=at),
    ]
    engine = SearchEngine([Conference(slug="kcon", title="KCon")], {"kcon": sessions})
    why = {h.session.id: h.why for h in engine.search("kubernetes security", now=at).hits}
    assert why["1"] == ("title",)
    assert "abstract mentions 'it'" not in why["2"]


def test_a_word_typed_whole_is_not_completed_into_pairs_of_words() -> None:
    """Titles are indexed with each pair of words joined ('risc v' meets 'riscv'), so 'security' once 'completed'
    to 'securityand', 'securityin', ...: eight more look-ups per question, and no longer word anyone was typing."""
    from bot.search.expand import build_clauses
    from bot.search.query import parse
    from catalog.model import Conference, Session

    at = datetime.fromisoformat("2026-03-28T10:00:00+01:00")
    titles = ["Security and privacy", "Security in depth", "Securityonion in practice", "Kubernetes operators"]
    sessions = [Session(id=str(n), title=t, start=at, end=at) for n, t in enumerate(titles)]
    engine = SearchEngine([Conference(slug="scon", title="SCon")], {"scon": sessions})
    parsed = parse("security")
    offered = {
        t
        for c in build_clauses(engine.index, list(parsed.words), parsed.prefix, parsed)
        for a in c.alternatives
        for t in a.terms
    }
    assert "securityonion" in offered  # a longer word of its own is still a completion
    assert not {"securityand", "securityin"} & offered
    assert ids(engine, "kube")[0] == "3"


def test_an_everyday_word_typed_whole_is_not_completed() -> None:
    """'something fun' listed the talks about funds and funding before those for fun; 'java' is not JavaScript.
    Both still come after what the word says ('lunch' finds 'Lunchtime talks')."""
    from catalog.model import Conference, Session

    at = datetime.fromisoformat("2026-03-28T10:00:00+01:00")
    titles = ["DNS Fund review", "Who funds the egg?", "Funding open source", "Funding Europe", "Compositors for fun"]
    titles += ["Java at scale", "JavaScript bundlers", "JavaScript frameworks", "JavaScript testing"]
    sessions = [Session(id=str(n), title=t, start=at, end=at) for n, t in enumerate(titles)]
    sessions.append(Session(id="9", title="Tiny robots", abstract="Build one for fun at home.", start=at, end=at))
    engine = SearchEngine([Conference(slug="fcon", title="FCon")], {"fcon": sessions})
    assert ids(engine, "something fun", limit=10)[:2] == ["4", "9"]
    assert ids(engine, "java", limit=10)[0] == "5"
    assert set(ids(engine, "java", limit=10)) == {"5", "6", "7", "8"}  # JavaScript after Java, still found


def test_neither_a_typo_nor_a_common_word_turns_into_words_of_a_title_joined_or_a_rare_name() -> None:
    """'doran' once read as 'foran' ('Tools for an open web', its words joined pairwise for 'risc v'), and a
    common word as typed ('first') was completed into the one speaker named 'Firstdorsal'."""
    from catalog.model import Conference, Session, Speaker

    at = datetime.fromisoformat("2026-03-28T10:00:00+01:00")
    titles = ["Tools for an open web", *(f"My first {w}" for w in ("kernel", "patch", "talk", "robot", "garden"))]
    sessions = [Session(id=str(n), title=t, start=at, end=at) for n, t in enumerate(titles)]
    sessions.append(Session(id="9", title="Queer nerd meetup", start=at, end=at, speakers=(Speaker("Firstdorsal"),)))
    engine = SearchEngine([Conference(slug="tcon", title="TCon")], {"tcon": sessions})
    assert not any("foran" in reason for h in engine.search("doran", now=at).hits for reason in h.why)
    first = engine.search("talks about first", now=at).hits
    assert {h.session.id for h in first} == {"1", "2", "3", "4", "5"}


def test_a_word_no_answer_holds_is_said_to_be_missing() -> None:
    """'lockpicking for beginners' at a conference without lockpicking: the beginner talks are what there is, and
    the answer says they match only the rest of the question."""
    from catalog.model import Conference, Session

    at = datetime.fromisoformat("2026-03-28T10:00:00+01:00")
    titles = ["Soldering for beginners", "Python for beginners", "Network security in depth"]
    sessions = [Session(id=str(n), title=t, start=at, end=at) for n, t in enumerate(titles)]
    engine = SearchEngine([Conference(slug="bcon", title="BCon")], {"bcon": sessions})
    partial = engine.search("lockpicking for beginners", now=at)
    assert {h.session.id for h in partial.hits} == {"0", "1"}
    assert "None of these mention 'lockpicking'" in partial.message
    assert "None of these" not in engine.search("python for beginners", now=at).message


def test_did_you_mean_never_offers_a_word_that_asks_for_nothing() -> None:
    from catalog.model import Conference, Session

    at = datetime.fromisoformat("2026-03-28T10:00:00+01:00")
    titles = ["These are the days of open source", "Wine tasting for developers"]
    sessions = [Session(id=str(n), title=t, start=at, end=at) for n, t in enumerate(titles)]
    engine = SearchEngine([Conference(slug="ccon", title="CCon")], {"ccon": sessions})
    nothing = engine.search("cheese", now=at)
    assert not nothing.hits and "these" not in nothing.suggestions


def test_a_track_that_does_not_exist_is_searched_as_words_and_named_nowhere() -> None:
    from catalog.model import Conference, Session

    at = datetime.fromisoformat("2026-03-28T10:00:00+01:00")
    sessions = [
        Session(id="1", title="Kernel drivers in Rust", track="Embedded", start=at, end=at),
        Session(id="2", title="Gardening", track="Outdoors", start=at, end=at),
    ]
    engine = SearchEngine([Conference(slug="kcon", title="KCon")], {"kcon": sessions})
    found = engine.search("kernel track", now=at)
    assert [h.session.id for h in found.hits] == ["1"]
    assert not any(r.startswith("track:") for r in found.hits[0].why)  # it is not in a 'kernel' track


def _conference(*sessions: tuple[str, str, str, str]) -> SearchEngine:
    from catalog.model import Conference, Session

    at = datetime.fromisoformat("2026-03-28T10:00:00+01:00")
    made = [Session(id=i, title=t, abstract=a, track=tr, start=at, end=at) for i, t, a, tr in sessions]
    return SearchEngine([Conference(slug="dbcon", title="DBCon")], {"dbcon": made})


def test_a_word_asked_in_an_abstract_beats_a_concept_in_a_title() -> None:
    """'sqlite' listed generic database talks first and the sessions that mention SQLite nowhere in the top ten,
    each said to match by its 'title': the word asked, even only in an abstract, comes before a wider concept, and
    a concept is said to be one."""
    engine = _conference(
        *((str(n), f"Scaling MySQL databases, part {n}", "Replication and sharding.", "Databases") for n in range(8)),
        ("20", "Postgres in production", "Vacuum and indexes for every database.", "Databases"),
        ("30", "Offline-first mobile apps", "We keep the data in SQLite on the phone and sync it.", "Mobile"),
        ("31", "Tiny servers", "A small server that stores everything in one sqlite file.", "Social Web"),
    )
    hits = engine.search("sqlite", now=NOW).hits
    assert {h.session.id for h in hits[:2]} == {"30", "31"}
    assert all("abstract mentions 'sqlite'" in h.why for h in hits[:2])
    concept = [h for h in hits if h.session.id not in ("30", "31")]
    assert concept and all("title" not in h.why and any(w.startswith("about: ") for w in h.why) for h in concept)


def test_words_typed_side_by_side_in_an_abstract_lift_that_session() -> None:
    """'mlflow 3.0' put 'DSPy 3.0' (tagged MLflow) above the one talk whose abstract says 'MLflow 3.0'."""
    from catalog.model import Conference, Session

    at = datetime.fromisoformat("2026-03-28T10:00:00+01:00")
    sessions = [
        Session(id="1", title="DSPy 3.0 at scale", abstract="Prompt programs.", tags=("MLflow",), start=at, end=at),
        Session(
            id="2",
            title="A guide to MLOps",
            abstract="The latest capabilities, including MLflow 3.0, across the whole lifecycle of a model.",
            tags=("MLflow",),
            start=at,
            end=at,
        ),
    ]
    engine = SearchEngine([Conference(slug="ai", title="AI Summit")], {"ai": sessions})
    assert [h.session.id for h in engine.search("mlflow 3.0", now=at).hits] == ["2", "1"]


def test_two_words_asked_both_first_then_titles_then_mere_mentions() -> None:
    """'postgres performance' where no session holds both listed IAM talks whose abstracts say their data is in
    PostgreSQL above every talk on performance: a passing mention of one word ranks below a title naming it."""
    engine = _conference(
        ("1", "30 years of Postgres", "A history of the project.", "Databases"),
        ("2", "Identity at scale", "Our accounts live in PostgreSQL, replicated twice.", "IAM"),
        ("3", "Audit logging", "Events are kept in Postgres for a year.", "IAM"),
        ("4", "Measuring software performance reliably", "Benchmarks that do not lie.", "Performance"),
        ("5", "Performance of GPU kernels", "Profiling tools.", "Performance"),
        ("6", "Tuning Postgres", "Performance work on the planner.", "Databases"),
    )
    found = [h.session.id for h in engine.search("anything about postgres performance?", now=NOW).hits]
    assert found[0] == "6"  # both words
    assert found[1] == "1"  # the rarer word named in a title
    assert set(found[2:4]) == {"4", "5"}  # the other word named in a title
    assert set(found[4:]) == {"2", "3"}  # mentioned in passing


def test_a_title_naming_one_of_many_words_beats_a_passing_mention_of_another() -> None:
    """'||spoiler|| ~strike~ > quote talks on c++' put an abstract saying 'spoiler' above the C++ titles."""
    from bot.markup import without_markup

    engine = _conference(
        ("1", "Boost.Geometry: a C++ library", "Geometric computations.", "Geospatial"),
        ("2", "Backtraces for C and C++ programs", "Unwinding the stack.", "Embedded"),
        ("3", "Open data for memorial benches", "Spoiler: the benches were all in one park.", "Geospatial"),
        *((str(n), f"Build times {n}", "Caching C++ builds of robots.", "Robotics") for n in range(4, 7)),
        *((str(n), f"Geospatial talk {n}", "Maps and tiles.", "Geospatial") for n in range(10, 20)),
    )
    question = without_markup("||spoiler|| ~strike~ > quote talks on c++")
    found = [h.session.id for h in engine.search(question, now=NOW).hits]
    assert set(found[:2]) == {"1", "2"}


@pytest.mark.parametrize("query", ["python", "pyhton"])
def test_a_title_with_the_word_in_a_german_compound_beats_abstract_mentions(query: str) -> None:
    """'pyhton' on 38C3 put 'Pythonkurs für absolute Anfänger*innen' below talks mentioning Python in passing."""
    engine = _conference(
        ("1", "Pythonkurs für absolute Anfänger*innen", "Wir lernen programmieren.", "Workshops"),
        *((str(n), f"Hardware hacking {n}", "Our tools are written in Python and C.", "Hardware") for n in range(2, 7)),
    )
    found = engine.search(query, now=NOW).hits
    assert found[0].session.id == "1"
    assert "title" in found[0].why
