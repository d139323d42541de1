"""`confbot search` as checks and other programs use it: arguments, standard input, JSON lines."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from adapters.console.render import render_reply
from bot.clock import VirtualClock, parse_moment
from bot.conversation import Conversation
from bot.messages import Incoming, Person, Reply
from bot.search.service import SearchService
from bot.store import AgendaStore, CatalogStore, open_database
from catalog.load import load
from tests.conftest import FIXTURES, CliRunner
from tests.scope_fixtures import searchcon, store_with


@pytest.fixture
def store_db(cli: CliRunner, tmp_path: Path) -> Path:
    db = tmp_path / "s.db"
    assert cli("import", FIXTURES / "searchcon.schedule.json", "--db", db).code == 0
    assert cli("import", FIXTURES / "mini-frab.xml", "--db", db).code == 0
    return db


def test_json_line_per_query(cli: CliRunner, store_db: Path) -> None:
    result = cli("search", "--db", store_db, "--json", "--now", "2026-03-28T09:00:00+01:00", "duckbd")
    answer = json.loads(result.out)
    assert answer["query"] == "duckbd"
    assert isinstance(answer["took_ms"], float)
    first = answer["results"][0]
    assert first["id"] == "15" and first["conference"] == "searchcon-2026"
    assert first["title"] == "DuckDB for analysts"
    assert first["start"] == "2026-03-28T12:00:00+01:00" and first["end"] == "2026-03-28T12:30:00+01:00"
    assert first["room"] == "H.1302" and first["track"] == "Databases" and first["speakers"] == ["Mia Sato"]
    assert first["score"] > 0 and first["why"]


def test_searches_every_conference_when_told(cli: CliRunner, store_db: Path) -> None:
    both = json.loads(cli("search", "--db", store_db, "--json", "--conference", "all", "rust").out)
    assert {r["conference"] for r in both["results"]} == {"searchcon-2026", "minicon-2025"}
    assert both["scope"] == {"conference": None, "label": None, "why": "all"}
    one = json.loads(cli("search", "--db", store_db, "--json", "--conference", "minicon-2025", "rust").out)
    assert {r["conference"] for r in one["results"]} == {"minicon-2025"}


def test_reads_queries_from_standard_input_in_order(
    cli: CliRunner, store_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("k8s\nlibre office\n\nhorovod\n"))
    lines = cli("search", "--db", store_db, "--json", "--limit", "1").out.splitlines()
    answers = [json.loads(line) for line in lines]
    assert [a["query"] for a in answers] == ["k8s", "libre office", "", "horovod"]
    assert answers[0]["results"][0]["id"] == "2"
    assert answers[2]["results"] == [] and "Tell me what to look for" in answers[2]["message"]
    assert answers[3]["results"][0]["id"] == "12"


def test_text_output_is_readable(cli: CliRunner, store_db: Path) -> None:
    out = cli("search", "--db", store_db, "--all", "--now", "2026-03-28T09:00:00+01:00", "talks by jana cermak").out
    # She speaks at both conferences in the store; filters alone list in time order.
    assert "1. Rust & the kernel  [minicon-2025 101]" in out
    assert "2. Scaling PostgreSQL  [searchcon-2026 3]" in out
    assert "why: speaker: Jana Čermák" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--now", "yesterday-ish"], "is not an ISO 8601 time"),
        (["--conference", "nope"], "no conference 'nope'"),
        (["--limit", "0"], "--limit must be at least 1"),
    ],
)
def test_bad_options_are_one_line(cli: CliRunner, store_db: Path, args: list[str], message: str) -> None:
    result = cli("search", "--db", store_db, *args, "rust")
    assert result.code == 1 and message in result.err and len(result.err.strip().splitlines()) == 1


def test_empty_store_says_how_to_fill_it(cli: CliRunner, tmp_path: Path) -> None:
    result = cli("search", "--db", tmp_path / "empty.db", "rust")
    assert result.code == 1 and "confbot import" in result.err


def test_index_is_rebuilt_when_a_catalog_changes(tmp_path: Path) -> None:
    store = CatalogStore(open_database(tmp_path / "s.db"))
    store.save(load(str(FIXTURES / "mini-frab.xml")))
    service = SearchService(store)
    engine = service.engine()
    assert service.engine() is engine  # unchanged store: same index
    assert engine.search("searchcon", now=load_now()).hits == ()
    store.save(load(str(FIXTURES / "searchcon.schedule.json")))
    rebuilt = service.engine()
    assert rebuilt is not engine
    assert rebuilt.search("horovod", now=load_now()).hits[0].session.id == "12"


def load_now():  # type: ignore[no-untyped-def]
    from datetime import datetime

    return datetime.fromisoformat("2026-03-28T09:00:00+01:00")


@pytest.fixture
def editions(tmp_path: Path) -> Path:
    """SearchCon 2025 and 2026: the same titles and ids a year apart, so an answer from the wrong one shows."""
    return store_with(tmp_path / "editions.db", searchcon())


def searched(cli: CliRunner, db: Path, *args: str) -> tuple[set[str], str]:
    result = cli("search", "--db", db, "--json", *args)
    assert result.code == 0 and result.err == ""  # JSON lines alone: the scope is a field, not a line of text
    answer = json.loads(result.out)
    return {r["conference"] for r in answer["results"]}, answer["scope"]["conference"]


@pytest.mark.parametrize(
    ("now", "picked", "why"),
    [
        ("2025-03-29T10:00:00+01:00", "searchcon-2025", "the conference running now"),
        ("2025-09-01T10:00:00+02:00", "searchcon-2026", "the next conference to start"),
        ("2026-09-01T10:00:00+02:00", "searchcon-2026", "the most recent conference"),
    ],
)
def test_without_conference_one_conference_answers_and_the_header_names_it(
    cli: CliRunner, editions: Path, now: str, picked: str, why: str
) -> None:
    assert searched(cli, editions, "--now", now, "horovod") == ({picked}, picked)
    text = cli("search", "--db", editions, "--now", now, "horovod")
    title = "SearchCon 2025" if picked.endswith("2025") else "SearchCon 2026"
    assert text.err == (
        f"Searching {title} ({picked}), {why}; --conference SLUG for another, --conference all for every one.\n"
    )
    assert f"[{picked} 12]" in text.out and "searchcon-202" not in text.out.replace(picked, "")


def test_all_searches_the_whole_store_with_years_on_the_dates(cli: CliRunner, editions: Path) -> None:
    now = "2025-03-29T10:00:00+01:00"
    assert searched(cli, editions, "--now", now, "--all", "horovod") == ({"searchcon-2025", "searchcon-2026"}, None)
    text = cli("search", "--db", editions, "--now", now, "--conference", "all", "horovod")
    assert text.err == ""
    assert "Sat 28 Mar 2026" in text.out or "Sun 29 Mar 2026" in text.out
    assert "[searchcon-2025 12]" in text.out and "[searchcon-2026 12]" in text.out


def test_a_conference_named_in_the_question_or_the_config_is_searched(
    cli: CliRunner, editions: Path, tmp_path: Path
) -> None:
    now = "2026-03-28T10:00:00+01:00"  # SearchCon 2026 is running
    assert searched(cli, editions, "--now", now, "horovod at searchcon 2025") == ({"searchcon-2025"}, "searchcon-2025")
    config = tmp_path / "confbot.toml"
    config.write_text('[bot]\nconference = "searchcon-2025"\n')
    assert searched(cli, editions, "--config", config, "--now", now, "horovod") == (
        {"searchcon-2025"},
        "searchcon-2025",
    )
    given = searched(cli, editions, "--config", config, "--now", now, "--conference", "searchcon-2026", "horovod")
    assert given == ({"searchcon-2026"}, "searchcon-2026")


def test_one_conference_in_the_store_needs_no_header(cli: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "one.db"
    assert cli("import", FIXTURES / "searchcon.schedule.json", "--db", db).code == 0
    result = cli("search", "--db", db, "horovod")
    assert result.code == 0 and result.err == "" and "Hands-on Horovod" in result.out


def test_a_question_that_only_filters_says_its_results_are_in_time_order(cli: CliRunner, store_db: Path) -> None:
    """'what is ruth presenting' filters by a speaker: every result fits alike, so there is no score to show."""
    now = "2026-03-28T09:00:00+01:00"
    answer = json.loads(cli("search", "--db", store_db, "--json", "--now", now, "what is ruth presenting").out)
    assert answer["order"] == "time" and answer["results"]
    assert {r["score"] for r in answer["results"]} == {None}
    assert all(any("speaker" in why for why in r["why"]) for r in answer["results"])
    starts = [r["start"] for r in answer["results"]]
    assert starts == sorted(starts)
    ranked = json.loads(cli("search", "--db", store_db, "--json", "--now", now, "duckdb").out)
    assert ranked["order"] == "relevance" and all(r["score"] > 0 for r in ranked["results"])


def test_a_now_without_an_offset_is_the_conference_s_own_time_as_in_chat(cli: CliRunner, store_db: Path) -> None:
    """10:00 at SearchCon (Brussels, +01:00) is the Rust talk; read as UTC it was 11:00 and the Kubernetes one."""
    args = ("search", "--db", store_db, "--now", "2026-03-28T10:00:00", "what's on now")
    here = cli(*args, "--conference", "searchcon-2026")
    assert here.code == 0 and "Rust in the Linux kernel" in here.out and "Kubernetes" not in here.out
    assert here.out == cli(*args[:4], "2026-03-28T10:00:00+01:00", *args[5:], "--conference", "searchcon-2026").out
    everywhere = cli(*args, "--all")
    assert "Rust in the Linux kernel" in everywhere.out and "Kubernetes" not in everywhere.out
    assert "--now 2026-03-28T10:00:00 has no offset: read in Europe/Brussels, the zone of SearchCon 2026" in (
        everywhere.err
    )
    as_json = json.loads(cli(*args, "--all", "--json").out)
    assert as_json["now"] == "2026-03-28T10:00:00+01:00"


def test_search_and_chat_help_read_a_now_without_an_offset_alike(
    cli: CliRunner, capsys: pytest.CaptureFixture[str]
) -> None:
    helps = []
    for command in ("search", "chat"):
        with pytest.raises(SystemExit):
            cli(command, "--help")
        helps.append(" ".join(capsys.readouterr().out.split()))
    assert all("without an offset, in the conference's own zone" in text for text in helps)


PARITY_NOW = "2026-03-28T10:30:00+01:00"  # SearchCon 2026 is running; MiniCon 2025 is over


def chat_reply(db: Path, question: str) -> Reply:
    """What the chat says to the same question, on the same store and clock."""
    store = CatalogStore(open_database(db))
    clock = VirtualClock(parse_moment(PARITY_NOW))
    conversation = Conversation(
        store, AgendaStore(open_database(":memory:")), SearchService(store), clock, page_size=10
    )
    return conversation.handle(Incoming(Person("console", "local", "me"), question))


@pytest.mark.parametrize(
    "question",
    [
        "who is Ann Smith",  # speaks only at MiniCon: no such speaker here, and which conference has her
        "talks by ruth",
        "where is H.1302",
        "what's next",
        "what's on now",
        "postgresql tuning",  # only at MiniCon: nothing here, and the pointer there
        "wer ist Ann Smith",
    ],
)
def test_search_answers_as_the_chat_does(cli: CliRunner, store_db: Path, question: str) -> None:
    chat = chat_reply(store_db, question)
    answer = json.loads(cli("search", "--db", store_db, "--json", "--now", PARITY_NOW, question).out)
    assert answer["answer"] == render_reply(chat).plain
    assert [(r["conference"], r["id"]) for r in answer["results"]] == [(c.conference, c.session.id) for c in chat.cards]
    text = cli("search", "--db", store_db, "--now", PARITY_NOW, question).out
    assert chat.text in text
    assert [c.session.title for c in chat.cards] == [t for t in (c.session.title for c in chat.cards) if t in text]


def test_a_speaker_of_another_conference_is_pointed_to_not_guessed(cli: CliRunner, store_db: Path) -> None:
    out = cli("search", "--db", store_db, "--now", PARITY_NOW, "who is Ann Smith").out
    assert "No speaker called 'Ann Smith'" in out and "MiniCon 2025 has 2 sessions" in out
    assert "why:" not in out  # no list of sessions read from other names
    answer = json.loads(cli("search", "--db", store_db, "--json", "--now", PARITY_NOW, "who is Ann Smith").out)
    assert answer["results"] == [] and "MiniCon 2025" in answer["answer"]
    assert answer["scope"] == {"conference": "searchcon-2026", "label": "SearchCon 2026", "why": "running"}


def test_a_word_only_another_conference_has_is_pointed_to_before_any_guess(cli: CliRunner, store_db: Path) -> None:
    out = cli("search", "--db", store_db, "--now", PARITY_NOW, "tuning").out
    assert "MiniCon 2025 has" in out and "'tuning at minicon-2025'" in out and "Did you mean" not in out
    answer = json.loads(cli("search", "--db", store_db, "--json", "--now", PARITY_NOW, "tuning").out)
    assert answer["results"] == [] and answer["suggestions"] == [] and "MiniCon 2025 has" in answer["message"]


def test_what_is_next_comes_in_its_slots_with_no_score(cli: CliRunner, store_db: Path) -> None:
    answer = json.loads(cli("search", "--db", store_db, "--json", "--now", PARITY_NOW, "what's next").out)
    assert answer["results"][0]["title"] == "Kubernetes operators explained"
    assert answer["groups"] and sum(g["count"] for g in answer["groups"]) == len(answer["results"])
    assert {r["score"] for r in answer["results"]} == {None}


def test_each_line_is_its_own_question(cli: CliRunner, store_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A '2' on the next line does not pick from the list the line before showed: nothing is kept between them."""
    monkeypatch.setattr("sys.stdin", io.StringIO("databases\nthe second one\n"))
    lines = cli("search", "--db", store_db, "--json", "--now", PARITY_NOW).out.splitlines()
    second = json.loads(lines[1])
    assert second["results"] == [] and "no recent list" in second["answer"]


@pytest.mark.parametrize("question", ["whats next", "what is ruth presenting", "talks on databases"])
def test_the_json_answer_is_the_whole_text_the_chat_prints(cli: CliRunner, store_db: Path, question: str) -> None:
    answer = json.loads(cli("search", "--db", store_db, "--json", "--now", PARITY_NOW, question).out)
    lines = answer["answer"].splitlines()
    assert len(lines) > 1 and "\x1b" not in answer["answer"]  # not the header line alone, and no terminal styling
    for result in answer["results"]:
        assert any(line.endswith(result["title"]) for line in lines), result["title"]
    for group in answer.get("groups", []):
        assert f"── {group['heading']} ──" in lines


SAT_0830 = "2026-03-28T08:30:00+01:00"  # three sessions start next, and nothing runs yet


@pytest.mark.parametrize("question", ["what's next", "whats next", "now", "tracks", "rooms", "today"])
def test_limit_bounds_every_kind_of_list(cli: CliRunner, store_db: Path, question: str) -> None:
    unbounded = json.loads(cli("search", "--db", store_db, "--json", "--now", SAT_0830, question).out)
    bounded = json.loads(cli("search", "--db", store_db, "--json", "--now", SAT_0830, "--limit", "1", question).out)
    listed = len(unbounded["results"]) or len(unbounded["answer"].splitlines()) - 1
    assert listed > 1, unbounded["answer"]  # there is something to bound
    assert len(bounded["results"]) <= 1
    if not unbounded["results"]:  # a list in words: one line of it, and how many more
        assert len(bounded["answer"].splitlines()) == 3 and bounded["answer"].endswith(" more")
    text = cli("search", "--db", store_db, "--now", SAT_0830, "--limit", "1", question).out
    assert sum(1 for line in text.splitlines() if line.startswith("  1. ")) <= 1 and "  2. " not in text
