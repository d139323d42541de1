"""The reminder survives processes: saved in one `confbot chat`, listed in a second, delivered once by a
third, and not delivered again by a fourth run over the same time on the same store."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import FIXTURES, CliRunner, chat_process

NOW = "2026-03-28T09:00:00+01:00"


def chat(db: Path, script: str) -> str:
    return chat_process(db, script, NOW)


def test_four_processes_one_reminder(cli: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    assert cli("import", FIXTURES / "searchcon.schedule.json", "--db", db).code == 0
    first = chat(db, "remind 3\n")
    assert "Saved “Scaling PostgreSQL”" in first
    second = chat(db, "reminders\n")
    assert "Scaling PostgreSQL" in second and "reminder Sat 13:50" in second
    third = chat(db, ":wait 6h\n")
    assert third.count("⏰ Starting in 10 minutes in H.1302: “Scaling PostgreSQL”") == 1
    fourth = chat(db, ":wait 6h\n")
    assert "⏰" not in fourth
