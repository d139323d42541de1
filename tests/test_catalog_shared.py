"""Every real schedule in ../shared/catalogs imports with all its sessions and correct times (skips without it)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from catalog.load import load
from tests.conftest import CATALOGS, needs_shared

pytestmark = needs_shared

# (file, zone to pass when the file has none, expected sessions, expected slug)
SHARED = [
    ("fosdem-2019.xml", "Europe/Brussels", 775, "fosdem-2019"),
    ("fosdem-2020.xml", "Europe/Brussels", 872, "fosdem-2020"),
    ("fosdem-2025.xml", None, 943, "fosdem-2025"),
    ("fosdem-2026.xml", None, 883, "fosdem-2026"),
    ("36c3.xml", None, 1351, "36c3"),
    ("38c3.xml", None, 1007, "38c3"),
    ("debconf23.xml", None, 117, "debconf23"),
    ("35c3.schedule.json", None, 927, "35c3"),
    ("camp2019.schedule.json", None, 606, "camp2019"),
    ("pretalx-democon.schedule.json", None, 36, "democon"),
    ("pretalx-rc3.schedule.json", None, 48, "rc3-channels-2020"),
    ("droidcon-london-2024", "Europe/London", 137, "droidcon-london-2024"),
    ("lca-2020.ics", None, 262, "lca-2020"),
    ("jres-2022.ics", None, 120, "jres-2022"),
    ("dais-2025.csv", None, 622, "dais-2025"),
]


@pytest.mark.parametrize(("name", "zone", "count", "slug"), SHARED, ids=[s[0] for s in SHARED])
def test_shared_catalog_imports_every_session(name: str, zone: str | None, count: int, slug: str) -> None:
    cat = load(str(CATALOGS / name), timezone=zone)
    assert len(cat.sessions) == count
    assert len({s.id for s in cat.sessions}) == count
    assert cat.conference.slug == slug
    for s in cat.sessions:
        assert s.title
        if s.start is not None:
            assert s.start.tzinfo is not None
            assert s.end is None or s.end >= s.start
    if name != "dais-2025.csv":
        assert all(s.start is not None for s in cat.sessions)
        assert cat.conference.timezone


# Spot checks against the source files, as UTC instants.
TIMES = [
    ("fosdem-2026.xml", None, "8376", datetime(2026, 1, 31, 8, 30, tzinfo=UTC), "Janson"),
    ("fosdem-2019.xml", "Europe/Brussels", "8967", datetime(2019, 2, 2, 8, 30, tzinfo=UTC), "Janson"),
    ("36c3.xml", None, "11223", datetime(2019, 12, 27, 10, 0, tzinfo=UTC), "Ada"),
    ("35c3.schedule.json", None, "9985", datetime(2018, 12, 27, 10, 0, tzinfo=UTC), "Adams"),
    ("droidcon-london-2024", "Europe/London", "731273", datetime(2024, 10, 31, 9, 10, tzinfo=UTC), "Hangouts"),
    ("lca-2020.ics", None, "94@lca2020.linux.org.au", datetime(2020, 1, 14, 23, 0, tzinfo=UTC), "Arena"),
    (
        "jres-2022.ics",
        None,
        "presentation_3@conf-ng.jres.org",
        datetime(2022, 5, 17, 14, 30, tzinfo=UTC),
        "Salle Endoume",
    ),
]


@pytest.mark.parametrize(("name", "zone", "sid", "start", "room"), TIMES, ids=[t[0] for t in TIMES])
def test_shared_catalog_times_are_right(name: str, zone: str | None, sid: str, start: datetime, room: str) -> None:
    session = next(s for s in load(str(CATALOGS / name), timezone=zone).sessions if s.id == sid)
    assert session.start == start
    assert session.room == room


def test_ical_speakers_come_from_descriptions() -> None:
    lca = load(str(CATALOGS / "lca-2020.ics"))
    welcome = next(s for s in lca.sessions if s.id == "94@lca2020.linux.org.au")
    assert welcome.speaker_names == ("Joel Addison",)
    assert not welcome.abstract.startswith("Speaker")
    jres = load(str(CATALOGS / "jres-2022.ics"))
    assert sum(1 for s in jres.sessions if s.speakers) >= 15
    assert all("\ufffd" not in s.abstract + s.title for s in jres.sessions)


def test_all_shared_catalogs_fit_in_one_store(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot.store import CatalogStore, open_database

    store = CatalogStore(open_database(tmp_path / "all.db"))
    total = 0
    for name, zone, count, _slug in SHARED:
        store.save(load(str(CATALOGS / name), timezone=zone))
        total += count
    assert sum(len(store.sessions(c.slug)) for c in store.conferences()) == total
