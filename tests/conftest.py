"""Shared test helpers: fixture paths, a temporary store, and running the real `confbot` command in-process."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from adapters.cli import main

pytest_plugins = ["tests.http_server"]  # the `serve` fixture: loopback HTTP servers for the fetching tests

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
CATALOGS = SHARED / "catalogs"

needs_shared = pytest.mark.skipif(not CATALOGS.is_dir(), reason="../shared/catalogs is not beside the project")


@dataclass
class Result:
    code: int
    out: str
    err: str


CliRunner = Callable[..., Result]


def chat_process(db: Path, script: str, now: str) -> str:
    """`confbot chat` as its own process, fed a script on standard input; fails the test on a non-zero exit."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "chat", "--db", str(db), "--now", now],
        input=script,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "confbot.db"


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    """Run `confbot ARGS` in-process with no config file or CONFBOT_DB leaking in from the machine."""
    monkeypatch.delenv("CONFBOT_DB", raising=False)
    monkeypatch.delenv("CONFBOT_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)

    def run(*args: str) -> Result:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def searchcon():  # type: ignore[no-untyped-def]
    """A search engine over SearchCon 2026, a small catalog of our own spanning a daylight-saving change."""
    from bot.search.engine import SearchEngine
    from catalog.load import load

    catalog = load(str(FIXTURES / "searchcon.schedule.json"))
    return SearchEngine([catalog.conference], {catalog.conference.slug: list(catalog.sessions)})


@pytest.fixture(scope="session")
def sprachcon():  # type: ignore[no-untyped-def]
    """SprachCon 2026: a small catalog of our own with English and German sessions, for sentences, German
    questions, concepts, word forms and the language filter."""
    from bot.search.engine import SearchEngine
    from catalog.load import load

    catalog = load(str(FIXTURES / "sprachcon.schedule.json"))
    return SearchEngine([catalog.conference], {catalog.conference.slug: list(catalog.sessions)})


@pytest.fixture(scope="session")
def lettercon():  # type: ignore[no-untyped-def]
    """LetterCon 2026: titles with lone letters ('b l a d e', 'M.A.R.S.', "Let's quit X"), letter compounds
    ('E-Voting', 'eVoting', 'X-ray', 'T-Shirt'), a speaker called e-punc, another called Ray, an R and a C talk."""
    from bot.search.engine import SearchEngine
    from catalog.load import load

    catalog = load(str(FIXTURES / "lettercon.schedule.json"))
    return SearchEngine([catalog.conference], {catalog.conference.slug: list(catalog.sessions)})


def dump(db: Path) -> list[str]:
    """Everything in a store as SQL text: a failed import must leave it identical."""
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()
