"""A store this user may not write, and one damaged in the middle, for every command: one line, never a traceback,
and the file byte-identical afterwards. Answers that need no write still work on a read-only store."""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bot.clock import VirtualClock, parse_moment
from bot.conversation import COULD_NOT_SAVE, Conversation
from bot.messages import Incoming, Reply
from bot.search.service import SearchService
from bot.store import AgendaStore, CatalogStore, open_database
from tests.conftest import FIXTURES, ROOT, CliRunner, Result
from tests.faulty_stores import PERSON, build_store, damage, digest, owned_by_someone_else, read_only

NOW = "2025-09-01T08:30:00+02:00"
READS: dict[str, tuple[list[str], str]] = {
    "search": (["search", "spark streaming", "--limit", "2"], "Spark streaming part"),
    "search --json": (["search", "--json", "horovod", "--limit", "2"], '"title": "Horovod training part'),
    "catalogs": (["catalogs"], "big: Big (2025-09-01 to 2025-09-03, Europe/Brussels): 1500 sessions"),
    "catalogs --json": (["--json", "catalogs"], '"sessions": 1500'),
    "reminders status": (["reminders", "status"], "1 saved session with reminders"),
    "reminders status --json": (["reminders", "status", "--json"], '"saved_sessions": 1'),
    "doctor": (["doctor"], "ok: "),
}
WRITES: dict[str, list[str]] = {
    "import": ["import", str(FIXTURES / "mini.csv"), "--timezone", "UTC"],
    "re-import": ["import", "--json", str(FIXTURES / "mini.csv"), "--timezone", "UTC", "--name", "big"],
    "sync": ["sync"],
    "run slack": ["run", "slack", "--http"],
    "run discord": ["run", "discord"],
}
NOWHERE = "http://127.0.0.1:9"
RUN_SETTINGS = {
    "SLACK_BOT_TOKEN": "xoxb-test",
    "SLACK_APP_TOKEN": "xapp-test",
    "SLACK_SIGNING_SECRET": "test-secret",
    "SLACK_API_URL": f"{NOWHERE}/api/",
    "DISCORD_TOKEN": "test-token",
    "DISCORD_API_URL": f"{NOWHERE}/api/v10",
    "DISCORD_GATEWAY_URL": "ws://127.0.0.1:9/",
}
CHAT = "talks on spark streaming\nremind 1\nmore\nsettings lead 15\nagenda\nnext\n"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("template"))


@pytest.fixture
def store(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # Settings that would let `run` start, against a loopback port where nothing listens: whatever order the
    # runner checks things in, the store is what stops it, and nothing leaves the machine.
    for name, value in RUN_SETTINGS.items():
        monkeypatch.setenv(name, value)
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "confbot.db"
    shutil.copyfile(template, db)
    return db


def run(cli: CliRunner, db: Path, args: list[str], monkeypatch: pytest.MonkeyPatch, script: str = "") -> Result:
    monkeypatch.setattr(sys, "stdin", io.StringIO(script))
    return cli(*args, "--db", db)


def assert_one_line(result: Result, db: Path, *words: str) -> None:
    assert result.code == 1, result
    assert "Traceback" not in result.out + result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"confbot: error: {db}"), result.err
    for word in words:
        assert word in lines[0]


@pytest.mark.parametrize("where", ["file", "folder"])
@pytest.mark.parametrize("command", sorted(READS))
def test_a_read_only_store_still_answers(
    cli: CliRunner, store: Path, where: str, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    args, expected = READS[command]
    before = digest(store)
    with read_only(store if where == "file" else store.parent):
        result = run(cli, store, args, monkeypatch)
    assert result.code == 0 and "Traceback" not in result.err, result
    assert expected in result.out
    if "--json" in args:
        for line in result.out.splitlines():
            json.loads(line)
    assert digest(store) == before
    assert [p.name for p in store.parent.iterdir()] == ["confbot.db"]  # no -wal or -shm left in the folder


@pytest.mark.parametrize("where", ["file", "folder"])
@pytest.mark.parametrize("command", sorted(WRITES))
def test_a_read_only_store_refuses_writes_in_one_line(
    cli: CliRunner, store: Path, where: str, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = digest(store)
    with read_only(store if where == "file" else store.parent):
        result = run(cli, store, WRITES[command], monkeypatch)
    assert_one_line(result, store, "cannot be written", "write access", "--db")
    assert result.out == ""
    assert digest(store) == before


@pytest.mark.parametrize("where", ["file", "folder"])
def test_chat_on_a_read_only_store_answers_and_says_what_it_could_not_save(
    cli: CliRunner, store: Path, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = digest(store)
    with read_only(store if where == "file" else store.parent):
        result = run(cli, store, ["chat", "--now", NOW], monkeypatch, CHAT)
    assert result.code == 0 and "Traceback" not in result.out + result.err, result
    out = result.out
    assert "Spark streaming part" in out.split("» remind 1")[0]  # the search answered
    assert out.count(COULD_NOT_SAVE) == 2  # remind and settings, each said once
    assert "say 'more'" in out.split("» more")[1]  # the list was remembered in memory: 'more' goes on
    assert "Your agenda" in out.split("» agenda")[1]  # the saved session read back
    assert "Starting next" in out.split("» next")[1]
    assert digest(store) == before
    assert [p.name for p in store.parent.iterdir()] == ["confbot.db"]


@pytest.mark.parametrize("where", ["file", "folder"])
def test_backup_copies_a_read_only_store(cli: CliRunner, store: Path, tmp_path: Path, where: str) -> None:
    copy = tmp_path / "copies" / "night.db"
    copy.parent.mkdir()
    before = digest(store)
    with read_only(store if where == "file" else store.parent):
        result = cli("backup", copy, "--db", store)
    assert result.code == 0, result
    assert digest(store) == before
    assert cli("catalogs", "--db", copy).out.startswith("big: Big")


def test_the_core_answers_from_a_read_only_store_and_says_when_it_cannot_save(store: Path) -> None:
    with read_only(store):
        db = open_database(store, writable_only=False)
        catalogs, agenda = CatalogStore(db), AgendaStore(db)
        clock = VirtualClock(parse_moment(NOW))
        talk = Conversation(catalogs, agenda, SearchService(catalogs), clock)

        def ask(text: str, action: str = "", value: str = "") -> Reply:
            return talk.handle(Incoming(PERSON, text, action=action, value=value))

        found = ask("talks on horovod training")
        assert found.cards and "Horovod training" in found.cards[0].session.title
        assert ask("remind 1").text == COULD_NOT_SAVE
        assert ask("", "remind", "big:s2").text == COULD_NOT_SAVE  # a button press, as Slack and Discord send it
        assert ask("settings lead 20").text == COULD_NOT_SAVE
        assert ask("forget big:s1").text == COULD_NOT_SAVE
        details = ask("about 1")
        assert details.cards and details.cards[0].detailed and "Horovod training" in details.cards[0].session.title
        assert ask("what's next").cards
        assert agenda.saved(PERSON) == [("big", "s1")]  # what was saved before is still there
        db.close()


@pytest.fixture
def damaged(store: Path) -> Path:
    damage(store)
    conn = sqlite3.connect(store)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="malformed"):
            conn.execute("SELECT count(*), max(length(abstract)) FROM sessions").fetchone()
    finally:
        conn.close()
    return store


@pytest.mark.parametrize(
    "args",
    [args for args, _ in READS.values() if args[0] != "doctor"]
    + list(WRITES.values())
    + [["chat", "--now", NOW], ["backup", "elsewhere.db"]],
    ids=lambda args: " ".join(a for a in args if not a.startswith("/"))[:40],
)
def test_a_damaged_store_is_named_with_what_to_do(
    cli: CliRunner, damaged: Path, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = digest(damaged)
    result = run(cli, damaged, args, monkeypatch, CHAT)
    assert_one_line(result, damaged, "is damaged", f"confbot doctor --db {damaged}", "confbot backup FILE")
    assert result.out == ""
    assert digest(damaged) == before
    assert not Path("elsewhere.db").exists()  # a damaged store is not copied over a good backup


def test_doctor_gives_a_verdict_and_an_exit_code(cli: CliRunner, store: Path) -> None:
    healthy = cli("doctor", "--db", store)
    assert healthy.code == 0 and healthy.out.startswith(f"ok: {store} passed")
    assert "1 conference, 1500 sessions" in healthy.out
    damage(store)
    before = digest(store)
    sick = cli("doctor", "--db", store)
    assert sick.code == 1 and len(sick.out.strip().splitlines()) == 1, sick
    assert sick.out.startswith(f"damaged: {store} failed SQLite's integrity check") and "confbot backup" in sick.out
    report = json.loads(cli("--json", "doctor", "--db", store).out)
    assert report["ok"] is False and report["problems"] and report["path"] == str(store)
    assert digest(store) == before


def test_doctor_names_a_store_too_damaged_to_open(cli: CliRunner, store: Path, tmp_path: Path) -> None:
    """A copy cut short ('head -c 100000 store.db') was answered 'the database is damaged; confbot doctor … shows
    what is wrong' by doctor itself, and --json printed nothing."""
    cut = tmp_path / "cut.db"
    cut.write_bytes(store.read_bytes()[:100_000])
    sick = cli("doctor", "--db", cut)
    assert sick.code == 1 and len(sick.out.strip().splitlines()) == 1 and sick.err == "", sick
    assert (
        sick.out.startswith(f"damaged: {cut} failed")
        and "cannot be opened" in sick.out
        and "confbot backup" in sick.out
    )
    report = json.loads(cli("--json", "doctor", "--db", cut).out)
    assert report["ok"] is False and report["problems"][0].startswith("the file cannot be opened")


@pytest.mark.parametrize("command", [["search", "spark"], ["catalogs"], ["reminders", "status"], ["doctor"]])
def test_read_only_commands_never_create_a_store(cli: CliRunner, tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "typo.db"
    result = cli(*command, "--db", missing)
    assert_one_line(result, missing, "no such database", "confbot import")
    assert not missing.exists() and not Path(f"{missing}-wal").exists()


def test_backup_is_consistent_while_the_store_is_written(cli: CliRunner, store: Path, tmp_path: Path) -> None:
    writer = sqlite3.connect(store, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        "INSERT INTO agenda (platform, workspace, user, conference, session_id) VALUES ('x','y','z','big','s2')"
    )
    copy = tmp_path / "during.db"
    assert cli("backup", copy, "--db", store).code == 0  # the bot's open transaction neither blocks nor leaks in
    writer.execute("COMMIT")
    stop = threading.Event()

    def keep_writing() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            writer.execute(
                "INSERT INTO agenda (platform, workspace, user, conference, session_id) "
                "VALUES ('w', 'w', ?, 'big', 's3')",
                [str(n)],
            )

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        second = tmp_path / "busy.db"
        result = cli("--json", "backup", second, "--db", store)
    finally:
        stop.set()
        thread.join()
    writer.close()
    assert result.code == 0 and json.loads(result.out)["target"] == str(second)
    with sqlite3.connect(copy) as first:
        assert first.execute("SELECT count(*) FROM agenda").fetchone()[0] == 1  # only what was committed
    assert cli("doctor", "--db", second).code == 0
    assert not list(tmp_path.glob("*.partial-*")) and not Path(f"{second}-wal").exists()


def test_backup_refuses_the_store_itself_and_a_missing_folder(cli: CliRunner, store: Path, tmp_path: Path) -> None:
    before = digest(store)
    itself = cli("backup", store, "--db", store)
    assert itself.code == 1 and "that is the database itself" in itself.err
    nowhere = cli("backup", tmp_path / "no" / "such" / "copy.db", "--db", store)
    assert nowhere.code == 1 and "does not exist" in nowhere.err and len(nowhere.err.splitlines()) == 1
    assert digest(store) == before


def test_a_store_owned_by_someone_else(template: Path, tmp_path: Path) -> None:
    """The store and its folder belong to another user (0644, 0755); confbot runs as a real second process."""
    folder = tmp_path / "theirs"
    folder.mkdir()
    db = folder / "confbot.db"
    shutil.copyfile(template, db)
    db.chmod(0o644)
    prefix = owned_by_someone_else(db)
    os.chown(folder, 65534, 65534)
    before = digest(db)

    def confbot(*args: str, script: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*prefix, sys.executable, "-m", "adapters.cli", *args, "--db", str(db)],
            input=script,
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )

    found = confbot("search", "mlflow tracking", "--limit", "1")
    assert found.returncode == 0 and "MLflow tracking part" in found.stdout, found.stderr
    refused = confbot("import", str(FIXTURES / "mini.csv"), "--timezone", "UTC")
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1 and "cannot be written" in refused.stderr
    chat = confbot("chat", "--now", NOW, script="delta lake\nremind 1\n")
    assert chat.returncode == 0 and COULD_NOT_SAVE in chat.stdout and "Delta Lake part" in chat.stdout
    assert "Traceback" not in found.stderr + refused.stderr + chat.stderr
    assert digest(db) == before


def test_a_new_store_in_a_folder_this_user_cannot_write(cli: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    with read_only(folder):
        result = cli("import", FIXTURES / "mini.csv", "--timezone", "UTC", "--db", folder / "new.db")
    assert_one_line(result, folder / "new.db", "cannot create it", "choose another --db")
    assert list(folder.iterdir()) == []


def test_the_advice_survives_a_long_path(cli: CliRunner, template: Path, tmp_path: Path) -> None:
    deep = tmp_path / ("a-conference-with-a-long-folder-name-" * 3) / ("and-another-level-" * 4)
    deep.mkdir(parents=True)
    db = deep / "confbot.db"
    shutil.copyfile(template, db)
    damage(db)
    result = cli("catalogs", "--db", db)
    assert_one_line(result, db, f"confbot doctor --db {db}", "confbot backup FILE", "new --db")
