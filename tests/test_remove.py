"""`confbot remove SLUG`: a broken or test import can be taken out of the store, with what was kept for it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.messages import Person
from bot.search.persist import open_index
from bot.store import CatalogStore, open_database
from bot.store.agenda import AgendaStore, Settings
from bot.store.channels import ChannelStore, Route
from catalog.load import load
from tests.conftest import FIXTURES, CliRunner, dump

MINI = FIXTURES / "mini.schedule.json"  # jsoncon, 2 sessions
SEARCHCON = FIXTURES / "searchcon.schedule.json"  # searchcon-2026
ANN = Person("console", "local", "ann")
BOB = Person("console", "local", "bob")


def _two(cli: CliRunner, db: Path) -> None:
    for source in (MINI, SEARCHCON):
        assert cli("import", "--db", db, source).code == 0


def _delivery(db: Path, key: str, state: str) -> None:
    store = open_database(db)
    store.execute(
        "INSERT INTO deliveries (key, kind, conference, session_id, state) VALUES (?, 'reminder', 'jsoncon', '7', ?)",
        [key, state],
    )


def test_remove_takes_the_conference_and_what_is_keyed_to_it_and_the_index_follows(
    cli: CliRunner, db_path: Path
) -> None:
    _two(cli, db_path)
    db = open_database(db_path)
    ChannelStore(db).add(Route("console", "local", "#talks", conference="jsoncon"))
    agenda = AgendaStore(db)
    agenda.set_channel_conference("console", "local", "#jc", "jsoncon", "ann", datetime.now(UTC))
    agenda.update_settings(BOB, Settings(conference="jsoncon"))
    _delivery(db_path, "pending-one", "failed")
    _delivery(db_path, "sent-one", "sent")

    done = cli("remove", "--db", db_path, "jsoncon")

    assert done.code == 0, done.err
    assert done.out == "Removed jsoncon (JSON Con): 2 sessions, 2 channel settings.\n"
    listed = cli("catalogs", "--db", db_path).out
    assert "jsoncon" not in listed and "searchcon-2026" in listed
    assert agenda.channel_conference("console", "local", "#jc") == ""
    assert agenda.settings(BOB).conference == ""
    assert ChannelStore(db).routes() == []
    assert [r[0] for r in db.execute("SELECT key FROM deliveries")] == ["sent-one"]  # the record of what was told
    for table in ("sessions", "sync_guard", "search_index"):
        assert db.execute(f"SELECT count(*) FROM {table} WHERE conference = 'jsoncon'").fetchone()[0] == 0
    index = open_index(CatalogStore(db))  # the saved index is current at once, and knows only what is left
    assert index is not None and index.slugs == ["searchcon-2026"]


def test_saved_sessions_stop_a_removal_without_force_and_say_whose(cli: CliRunner, db_path: Path) -> None:
    _two(cli, db_path)
    agenda = AgendaStore(open_database(db_path))
    for person, session in ((ANN, "7"), (ANN, "8"), (BOB, "7")):
        agenda.save(person, "jsoncon", session)
    before = dump(db_path)

    refused = cli("remove", "--db", db_path, "jsoncon")

    assert refused.code == 1 and refused.out == ""
    assert refused.err.count("\n") == 1 and "Traceback" not in refused.err
    assert "2 people's saved sessions (3 saved sessions)" in refused.err and "--force" in refused.err
    assert dump(db_path) == before

    forced = cli("remove", "--db", db_path, "jsoncon", "--force")
    assert forced.code == 0, forced.err
    assert forced.out == "Removed jsoncon (JSON Con): 2 sessions, 3 saved sessions (2 people's saved sessions).\n"
    assert agenda.saved(ANN) == [] and agenda.saved(BOB) == []


def test_a_slug_not_in_the_store_names_the_ones_there_are(cli: CliRunner, db_path: Path) -> None:
    _two(cli, db_path)
    missing = cli("remove", "--db", db_path, "fosdem")
    assert missing.code == 1
    assert missing.err == (
        "confbot: error: no conference 'fosdem' to remove; the store has jsoncon, searchcon-2026 "
        "(see 'confbot catalogs')\n"
    )
    nowhere = cli("remove", "--db", db_path.with_name("typo.db"), "jsoncon")
    assert nowhere.code == 1 and not db_path.with_name("typo.db").exists()


def test_a_removal_always_changes_the_fingerprint_a_running_bot_watches(db_path: Path) -> None:
    """Re-imported at the same virtual time after a removal, every other figure is as it was: a bot that had
    indexed the first copy must still see that the store changed."""
    store = CatalogStore(open_database(db_path))
    moment = datetime(2026, 1, 31, 12, tzinfo=UTC)
    store.save(load(str(MINI)), moment)
    before = store.fingerprint()
    from bot.removal import remove_conference

    remove_conference(store, "jsoncon")
    store.save(load(str(MINI)), moment)
    assert store.fingerprint() != before
