"""What any command-line tool is expected to do: global options anywhere, --version, --json that parses, documented
exit codes, Ctrl-C as 130, and each message printed once."""

from __future__ import annotations

import contextlib
import json
import shutil
import signal
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from adapters import exit_codes
from adapters.cli import _subcommands, build_parser
from tests.conftest import FIXTURES, ROOT, CliRunner


@pytest.fixture
def db(cli: CliRunner, tmp_path: Path) -> Path:
    path = tmp_path / "store.db"
    assert cli("import", FIXTURES / "mini.csv", "--timezone", "UTC", "--name", "mini", "--db", path).code == 0
    return path


def confbot(*args: object, script: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "adapters.cli", *map(str, args)],
        input=script,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
    )


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        (["catalogs"], "mini: "),
        (["search", "searching"], "Searching schedules, fast"),
        (["reminders", "status"], "0 saved sessions"),
        (["doctor"], "2 sessions"),
        (["sync"], "mini: no changes"),
    ],
)
def test_db_works_before_and_after_the_command(cli: CliRunner, db: Path, command: list[str], shown: str) -> None:
    after = cli(*command, "--db", db)
    before = cli("--db", db, *command)
    assert (before.code, before.out, before.err) == (after.code, after.out, after.err) and before.code == 0
    assert shown in before.out


def test_the_later_db_wins_and_config_works_in_both_places(cli: CliRunner, db: Path, tmp_path: Path) -> None:
    assert "mini:" in cli("--db", tmp_path / "missing.db", "catalogs", "--db", db).out
    config = tmp_path / "confbot.toml"
    config.write_text(f'db = "{db}"\n')
    assert "mini:" in cli("--config", config, "catalogs").out
    assert "mini:" in cli("catalogs", "--config", config).out


DATA_COMMANDS = {
    "import": ["import", str(FIXTURES / "mini.csv"), "--timezone", "UTC", "--name", "mini"],
    "catalogs": ["catalogs"],
    "search": ["search", "searching"],
    "sync": ["sync"],
    "reminders status": ["reminders", "status"],
    "doctor": ["doctor"],
    "backup": ["backup", "COPY"],
}


@pytest.mark.parametrize("position", ["before", "after"])
@pytest.mark.parametrize("name", sorted(DATA_COMMANDS))
def test_json_parses_on_every_data_command(cli: CliRunner, db: Path, tmp_path: Path, name: str, position: str) -> None:
    args = [str(tmp_path / "copy.db") if a == "COPY" else a for a in DATA_COMMANDS[name]]
    args = ["--json", *args] if position == "before" else [*args, "--json"]
    result = cli(*args, "--db", db)
    assert result.code == 0, result
    lines = result.out.splitlines()
    assert lines, "nothing printed"
    values = [json.loads(line) for line in lines]  # search prints one object per query; the rest one value
    assert len(values) == 1
    assert any(word in result.out for word in ('"mini"', '"ok": true', "copy.db", '"saved_sessions": 0'))


def test_json_says_what_each_command_reports(cli: CliRunner, db: Path) -> None:
    again = json.loads(cli("import", FIXTURES / "mini.csv", "--timezone", "UTC", "--json", "--db", db).out)
    assert again["slug"] == "mini" and again["sessions"] == 2 and again["reimport"] is True
    assert again["changes"]["unchanged"] == 2 and again["changes"]["added"] == []
    [synced] = json.loads(cli("sync", "--json", "--db", db).out)
    assert synced["conference"] == "mini" and synced["outcome"] == "unchanged" and synced["ok"] is True
    status = json.loads(cli("reminders", "status", "--json", "--db", db).out)
    assert status == {
        "deliveries": [],
        "failed": [],
        "saved_sessions": 0,
        "announcement_channels": 0,
        "due_next": [],
    }


def test_json_on_a_command_without_data_is_a_usage_error(cli: CliRunner, db: Path) -> None:
    with pytest.raises(SystemExit) as done:
        cli("--json", "chat", "--db", db)
    assert done.value.code == exit_codes.CONFIGURATION


def test_version(cli: CliRunner) -> None:
    with pytest.raises(SystemExit) as done:
        cli("--version")
    assert done.value.code == 0
    shown = confbot("--version")
    assert shown.returncode == 0 and shown.stdout.strip() == f"confbot {version('confbot')}"


def test_help_documents_the_exit_codes() -> None:
    text = build_parser().format_help()
    for code, meaning in [(0, "ok"), (1, "bad input"), (2, "configuration"), (3, "platform"), (130, "interrupted")]:
        assert any(line.split()[:1] == [str(code)] and meaning in line for line in text.splitlines()), code
    assert (exit_codes.OK, exit_codes.BAD_INPUT, exit_codes.CONFIGURATION) == (0, 1, 2)
    assert (exit_codes.PLATFORM, exit_codes.INTERRUPTED) == (3, 130)


def test_no_help_shows_a_doubled_percent_sign() -> None:
    """argparse expands '%%' in help= but prints description= as written: a '30%%' there reached the reader."""
    parser = build_parser()
    pages = {"confbot": parser.format_help(), **{sub.prog: sub.format_help() for sub in _subcommands(parser)}}
    assert len(pages) > 10
    doubled = [prog for prog, text in pages.items() if "%%" in text]
    assert not doubled, doubled
    assert "more than 30% of the sessions" in " ".join(pages["confbot import"].split())


def test_exit_codes(cli: CliRunner, db: Path, tmp_path: Path) -> None:
    assert cli("catalogs", "--db", db).code == exit_codes.OK
    assert cli("import", tmp_path / "nothing.csv", "--db", db).code == exit_codes.BAD_INPUT
    broken = tmp_path / "broken.toml"
    broken.write_text("db = [")
    assert cli("--config", broken, "catalogs").code == exit_codes.CONFIGURATION
    with pytest.raises(SystemExit) as unknown:
        cli("catalogs", "--frobnicate")
    assert unknown.value.code == exit_codes.CONFIGURATION  # argparse's usage error


def test_no_arguments_prints_usage_on_stderr_and_exits_2() -> None:
    bare = confbot()
    assert bare.returncode == 2 and bare.stdout == ""
    assert bare.stderr.startswith("usage: confbot") and "exit codes:" in bare.stderr and "doctor" in bare.stderr


@pytest.mark.parametrize("command", [["search"], ["chat", "--now", "2025-09-01T08:00"]])
def test_ctrl_c_exits_130_with_one_line(db: Path, command: list[str]) -> None:
    """A real process, a real SIGINT, while it waits for the next line of input."""
    process = subprocess.Popen(
        [sys.executable, "-m", "adapters.cli", *command, "--db", str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdin and process.stdout
    process.stdin.write("searching\n")
    process.stdin.flush()
    assert "searching" in process.stdout.readline()  # it answered, and now waits for more
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == exit_codes.INTERRUPTED
    assert err == "confbot: interrupted\n"


def test_sync_prints_each_message_once(cli: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "talks.csv"
    shutil.copyfile(FIXTURES / "mini.csv", source)
    store = tmp_path / "s.db"
    assert cli("import", source, "--timezone", "UTC", "--db", store).code == 0
    source.write_text(source.read_text().splitlines()[0] + "\n" + source.read_text().splitlines()[1] + "\n")
    done = confbot("sync", "--db", store)  # a real process: in-process, pytest's log capture hides the repeat
    assert done.returncode == 1 and "refused" in done.stdout
    message = done.stdout.strip().split(": ", 1)[1]
    assert (done.stdout + done.stderr).count(message) == 1, done


def _own_terminal() -> None:
    """A new session whose controlling terminal is the pty on standard input, as a shell would set it up."""
    import fcntl
    import os
    import termios

    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def test_ctrl_c_at_the_interactive_prompt_exits_130(db: Path, tmp_path: Path) -> None:
    """In a terminal, Ctrl-C is the terminal's ^C (the line discipline sends SIGINT), at the `confbot>` prompt."""
    import os
    import pty
    import select

    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "adapters.cli", "chat", "--db", str(db), "--now", "2025-09-01T08:00"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        cwd=ROOT,
        env={**os.environ, "HOME": str(tmp_path), "TERM": "dumb"},
        preexec_fn=_own_terminal,
    )
    os.close(follower)
    seen = b""

    def read_until(marker: bytes) -> None:
        nonlocal seen
        while marker not in seen:
            ready, _, _ = select.select([leader], [], [], 30)
            assert ready, f"no {marker!r} after {seen[-300:]!r}"
            try:
                seen += os.read(leader, 4096)
            except OSError:  # the process closed the terminal
                return

    try:
        read_until(b"confbot> ")
        # readline draws the prompt a moment before it waits for a key: a ^C in that moment reaches Python only
        # with the next key or signal (CPython's readline loop), which a person never hits and a loaded test
        # machine sometimes does. So ^C is pressed again if the first fell into that moment.
        for _ in range(10):
            os.write(leader, b"\x03")
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=3)
                break
        assert process.wait(timeout=30) == exit_codes.INTERRUPTED
        read_until(b"interrupted")
    finally:
        process.kill()
        os.close(leader)
    assert seen.count(b"confbot: interrupted") == 1 and b"Traceback" not in seen
