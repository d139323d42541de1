"""`confbot import` of a slug already in the store goes through the sync guard: another schedule that happens to
share the slug no longer replaces a conference, and people's saved sessions with it, without a word."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, SHARED, CliRunner, dump, needs_shared

SEARCHCON = FIXTURES / "searchcon.schedule.json"
DURING = "2026-03-28T09:00:00+01:00"
SUNDAY = {5, 6, 7, 8, 12, 13, 14}  # the second day's sessions; 12 is "Hands-on Horovod"


def version_of(tmp_path: Path, drop: set[int], title: str | None = None, name: str = "v2") -> Path:
    """SearchCon 2026 as its source might publish it later: some sessions gone, perhaps under another title."""
    doc = json.loads(SEARCHCON.read_text())
    conference = doc["schedule"]["conference"]
    if title:
        conference["title"] = title
    for day in conference["days"]:
        for room, events in day["rooms"].items():
            day["rooms"][room] = [e for e in events if e["id"] not in drop]
    path = tmp_path / f"{name}.schedule.json"
    path.write_text(json.dumps(doc))
    return path


def chat(cli: CliRunner, monkeypatch: pytest.MonkeyPatch, db: Path, script: str) -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(script))
    result = cli("chat", "--db", db, "--conference", "searchcon-2026", "--now", DURING)
    assert result.code == 0, result.err
    return result.out


@pytest.fixture
def saved(cli: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A store with SearchCon 2026 in it and one person who saved "Hands-on Horovod"."""
    db = tmp_path / "store.db"
    assert cli("import", SEARCHCON, "--db", db).code == 0
    assert "Saved “Hands-on Horovod”" in chat(cli, monkeypatch, db, "horovod\nremind 1\n")
    return db


def test_a_schedule_that_would_remove_too_much_is_refused_and_the_agenda_stays(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, saved: Path
) -> None:
    before = dump(saved)
    result = cli("import", version_of(tmp_path, SUNDAY), "--db", saved)
    assert result.code == 1 and result.out == "" and "Traceback" not in result.err
    assert result.err == (
        "confbot: error: searchcon-2026 is already in the store (SearchCon 2026); this schedule would remove 7 of "
        "16 sessions (43%), affecting 1 person's saved sessions; nothing was changed. If it is a different "
        "conference, import it under its own name with --name SLUG; to replace searchcon-2026, add --force.\n"
    )
    assert dump(saved) == before
    assert "Hands-on Horovod" in chat(cli, monkeypatch, saved, "agenda\n")


def test_name_keeps_both_and_force_replaces(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, saved: Path
) -> None:
    saturday = version_of(tmp_path, SUNDAY)
    kept = cli("import", saturday, "--db", saved, "--name", "searchcon-saturday")
    assert kept.code == 0 and "Imported searchcon-saturday: SearchCon 2026" in kept.out
    assert "Hands-on Horovod" in chat(cli, monkeypatch, saved, "agenda\n")
    forced = cli("import", saturday, "--db", saved, "--force")
    assert forced.code == 0 and "re-import: 0 added, 0 changed, 7 removed, 9 unchanged" in forced.out
    assert "Your agenda is empty" in chat(cli, monkeypatch, saved, "agenda\n")


def test_another_title_with_few_shared_ids_is_named_a_different_conference(
    cli: CliRunner, tmp_path: Path, saved: Path
) -> None:
    other = version_of(tmp_path, set(range(3, 17)), title="FaultCon Europe")  # keeps ids 1 and 2 only
    before = dump(saved)
    result = cli("import", other, "--db", saved)
    assert result.code == 1 and len(result.err.strip().splitlines()) == 1
    line = result.err
    assert "searchcon-2026 is already in the store as 'SearchCon 2026'; this schedule is 'FaultCon Europe'" in line
    assert "shares 2 of its 16 session ids: a different conference?" in line
    assert (
        "a different conference? It would remove 14 of 16 sessions (87%), affecting 1 person's saved sessions" in line
    )
    assert "Import it under its own name with --name SLUG, or add --force to replace searchcon-2026." in line
    assert dump(saved) == before


def test_the_same_schedule_or_a_small_change_imports_as_before(cli: CliRunner, tmp_path: Path, saved: Path) -> None:
    again = cli("import", SEARCHCON, "--db", saved)
    assert again.code == 0 and "re-import: no changes (16 sessions unchanged)" in again.out
    renamed = cli("import", version_of(tmp_path, {13, 16}, title="SearchCon 2026 (final)"), "--db", saved)
    assert renamed.code == 0 and "re-import: 0 added, 0 changed, 2 removed, 14 unchanged" in renamed.out


def test_small_losses_add_up_across_imports(cli: CliRunner, tmp_path: Path, saved: Path) -> None:
    assert cli("import", version_of(tmp_path, {13, 14, 15, 16}, name="v2"), "--db", saved).code == 0  # -25%
    smaller = version_of(tmp_path, {5, 6, 13, 14, 15, 16}, name="v3")  # -17% of that, -37% since the first
    refused = cli("import", smaller, "--db", saved)
    assert refused.code == 1
    assert "this schedule has 10 sessions, 37% fewer than the 16 accepted since the first or last forced" in (
        refused.err
    )
    assert cli("import", smaller, "--db", saved, "--force").code == 0


def test_json_import_is_refused_the_same_way(cli: CliRunner, tmp_path: Path, saved: Path) -> None:
    result = cli("import", version_of(tmp_path, SUNDAY), "--db", saved, "--json")
    assert result.code == 1 and result.out == "" and "add --force" in result.err


@needs_shared
def test_the_hub_schedule_no_longer_replaces_38c3(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The newcomer's report: the hub's two-session 38c3 imported over the frab 38c3 emptied people's agendas."""
    db = tmp_path / "shared.db"
    assert cli("import", SHARED / "catalogs" / "38c3.xml", "--db", db).code == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("rust\nremind 1\n"))
    assert "Saved “" in cli("chat", "--db", db, "--conference", "38c3", "--now", "2024-12-27T10:00").out
    before = dump(db)
    hub = cli("import", SHARED / "peers" / "hub-schedule2.json", "--db", db)
    assert hub.code == 1 and hub.out == ""
    assert "38c3 is already in the store (38C3); this schedule would remove 1007 of 1007 sessions (100%), " in hub.err
    assert "affecting 1 person's saved sessions; nothing was changed." in hub.err
    assert dump(db) == before
    assert cli("import", SHARED / "peers" / "hub-schedule2.json", "--db", db, "--name", "38c3-hub").code == 0
