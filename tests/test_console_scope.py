"""The console as its own process on a store of several conferences: scope, labels, zones, no hard wrap."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from adapters.console.render import hint_ref
from bot.messages import Card
from catalog.model import Session
from tests.conftest import ROOT, chat_process, needs_shared
from tests.scope_fixtures import searchcon, shared_store, store_with


def chat(db: Path, script: str, *options: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "chat", "--db", str(db), *options],
        input=script,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return done.stdout


def test_scope_labels_and_switching_in_the_console(tmp_path: Path) -> None:
    db = store_with(tmp_path / "two.db", searchcon())
    out = chat_process(
        db, "horovod\nsearchcon 2025 horovod\nswitch to searchcon 2025\nhorovod\n", "2026-03-28T10:00:00+01:00"
    )
    assert out.count("SearchCon 2026 · 1 session for 'horovod':") == 1
    assert out.count("SearchCon 2025 · 1 session for 'horovod':") == 2
    assert "Done: I now answer you about SearchCon 2025." in out  # a switch is personal, even for an admin


def test_conference_option_pins_the_console(tmp_path: Path) -> None:
    db = store_with(tmp_path / "two.db", searchcon())
    out = chat(
        db,
        "horovod\nswitch to searchcon 2026\n",
        "--conference",
        "searchcon-2025",
        "--now",
        "2026-03-28T10:00:00+01:00",
    )
    assert "SearchCon 2025 · 1 session for 'horovod':" in out
    assert "This bot answers about SearchCon 2025 only (started with --conference)" in out


def test_naive_times_are_the_conference_zone(tmp_path: Path) -> None:
    db = store_with(tmp_path / "two.db", searchcon())
    out = chat(db, ":time\n:time 2026-03-29T10:00:00\n:time\n", "--now", "2026-03-28T10:00:00")
    assert "It is 2026-03-28T10:00:00+01:00" in out  # Brussels in winter
    assert "It is 2026-03-29T10:00:00+02:00" in out  # and after the change to summer time


def test_a_naive_now_follows_the_conference_switched_to(tmp_path: Path) -> None:
    """'--now 10:00' is 10:00 where the person is going, even when an earlier run left them elsewhere."""
    earlier, current = searchcon()
    db = store_with(
        tmp_path / "two.db", [replace(earlier, conference=replace(earlier.conference, timezone="UTC")), current]
    )
    chat(db, "switch to searchcon 2025\n", "--now", "2026-03-28T10:00:00")
    out = chat(
        db,
        ":time\nswitch to auto\n:time\nswitch to searchcon 2025\n:wait 1m\nswitch to auto\n:time\n",
        "--now",
        "2026-03-28T10:00:00",
    )
    assert "It is 2026-03-28T10:00:00+00:00" in out  # the earlier run's choice holds at the start
    assert "Clock: Sat 28 Mar 10:00 in Europe/Brussels" in out
    assert "It is 2026-03-28T10:00:00+01:00" in out
    assert out.count("Clock:") == 2  # once moved by :wait, the clock is the person's own and stays put
    assert out.rstrip().endswith("It is 2026-03-28T10:01:00+00:00")


def test_output_into_a_pipe_is_not_hard_wrapped(tmp_path: Path) -> None:
    db = store_with(tmp_path / "two.db", searchcon())
    out = chat(db, "hello\n", "--now", "2026-03-28T10:00:00+01:00")
    greeting = next(line for line in out.splitlines() if line.startswith("Hello!"))
    assert len(greeting) > 80 and greeting.endswith("'help' lists the rest.")


def test_small_talk_and_help_in_the_console(tmp_path: Path) -> None:
    db = store_with(tmp_path / "one.db", searchcon(1))
    out = chat(db, "thanks!\nwhat can you do\n", "--now", "2026-03-28T10:00:00+01:00")
    assert "You're welcome!" in out and "sessions for" not in out
    listing = out[out.index("Ask me about the schedule") :]
    assert max(len(line) for line in listing.splitlines()) <= 80


def test_hints_never_show_long_source_ids() -> None:
    long_id = Session(id="4f1c2a9e-7b1d-4c55-9a0e-2b8f1d6c3e77", title="Kotlin coroutines in practice at scale today")
    assert hint_ref(Card("c", long_id, "UTC", number=4)) == "4"
    assert hint_ref(Card("c", long_id, "UTC")) == '"Kotlin coroutines in practice at"'
    assert hint_ref(Card("c", Session(id="8942", title="x"), "UTC")) == "8942"
    assert hint_ref(Card("c", Session(id="94@lca2020.linux.org.au", title="Kernel news"), "UTC")) == '"Kernel news"'


def test_hints_after_saving_are_words_to_type_and_a_reminder_says_snooze(tmp_path: Path) -> None:
    db = store_with(tmp_path / "one.db", searchcon(1))
    script = "databases track\nsave 2\nsave Hands-on Horovod\n#3\n:wait 4h50m\nsnooze\n"
    out = chat(db, script, "--now", "2026-03-28T09:00:00+01:00")
    hints = [line.strip() for line in out.splitlines() if line.strip().startswith("→")]
    assert hints[3] == "→ forget 2 · about 2 · like 2"  # after 'save 2': the list number, as before saving
    assert hints[4] == '→ forget "Hands-on Horovod" · about "Hands-on Horovod" · like "Hands-on Horovod"'
    assert "Postgres replication deep dive" in out.split("» #3")[1].split("»")[0]  # '#2' is no comment
    assert "→ snooze · snooze 15 · forget it" in out  # what the reminder tells people to type…
    assert "OK, I'll remind you again about “Scaling PostgreSQL” at Sat 28 Mar 13:55." in out  # …works


@needs_shared
def test_rust_at_fosdem_2025_in_the_console(tmp_path: Path) -> None:
    db = shared_store(tmp_path / "shared.db")
    out = chat_process(db, "talks on rust\nnext\nmore\nmore\nmore\n", "2025-02-01T10:00:00+01:00")
    assert "FOSDEM 2025 · 51 sessions for 'rust':" in out
    assert "38C3" not in out and "FOSDEM 2026" not in out and "DebConf" not in out
    assert "14 more: say 'more'." in out and out.count("── Sat 10:30 (in 30 min) ──") == 3
