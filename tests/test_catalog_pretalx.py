"""pretalx's own JSON (the schedule widget's data and the REST API's talk pages, followed page by page over a
real loopback HTTP server, for import and sync) and C3VOC's schedule.json v2."""

from __future__ import annotations

import contextlib
import json
import time
import urllib.parse
from collections.abc import Callable
from datetime import datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import catalog.pages
from bot.store import CatalogStore, open_database
from catalog.errors import CatalogError
from catalog.load import load
from catalog.pages import same_site
from tests.conftest import FIXTURES, CliRunner, dump
from tests.http_server import Respond, Server

PARIS = ZoneInfo("Europe/Paris")
API = "/api/events/minicon/talks/"


def send_json(handler: BaseHTTPRequestHandler, doc: Any) -> None:
    body = json.dumps(doc).encode()
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def talk_pages(talks_file: Path, size: int = 2, next_url: Callable[[str, int], str] | None = None) -> Respond:
    """The API's shape: `count`, `next`, `previous`, `results`, paged by limit and offset; the talks are read
    from `talks_file` on every request, so a test can change the schedule between an import and a sync."""

    def respond(handler: BaseHTTPRequestHandler) -> None:
        talks = json.loads(talks_file.read_text())
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(handler.path).query)
        offset = int(query.get("offset", ["0"])[0])
        base = f"http://{handler.headers['Host']}{API}"
        more = offset + size < len(talks)
        follow = next_url(base, offset + size) if next_url else f"{base}?limit={size}&offset={offset + size}"
        send_json(
            handler,
            {
                "count": len(talks),
                "next": follow if more else None,
                "previous": f"{base}?limit={size}&offset={max(0, offset - size)}" if offset else None,
                "results": talks[offset : offset + size],
            },
        )

    return respond


@pytest.fixture
def talks_file(tmp_path: Path) -> Path:
    path = tmp_path / "talks.json"
    path.write_text((FIXTURES / "pretalx-talks.json").read_text())
    return path


def test_api_pages_are_followed_to_the_last(serve: Callable[[Respond], Server], talks_file: Path) -> None:
    server = serve(talk_pages(talks_file))
    catalog = load(f"{server.url}{API}", allow_private=True)
    assert server.hits == 3  # five talks, two a page
    assert catalog.conference.slug == "minicon"
    sessions = {s.id: s for s in catalog.sessions}
    assert set(sessions) == {"T1AAAA", "T2BBBB", "T3CCCC", "T4DDDD", "T5EEEE"}
    workshop = sessions["T3CCCC"]
    assert workshop.title == "Testing with hypothesis"
    assert (workshop.room, workshop.track, workshop.type) == ("Room 2", "Testing", "Workshop")
    assert workshop.speaker_names == ("Fay Okafor", "Eli Novak")
    assert workshop.start == datetime(2025, 9, 4, 10, 30, tzinfo=PARIS)
    assert workshop.end == datetime(2025, 9, 4, 12, 0, tzinfo=PARIS)
    assert "Properties, not examples." in workshop.abstract
    assert sessions["T2BBBB"].room == "Room 2" and sessions["T2BBBB"].type == "Talk"


def test_import_and_sync_of_a_pretalx_api_url(
    cli: CliRunner, tmp_path: Path, serve: Callable[[Respond], Server], talks_file: Path
) -> None:
    server = serve(talk_pages(talks_file))
    db = tmp_path / "api.db"
    result = cli("import", f"{server.url}{API}", "--db", db, "--allow-private")
    assert result.code == 0, result.err
    assert "5 sessions" in result.out
    talks = json.loads(talks_file.read_text())
    talks[4]["slot"]["start"], talks[4]["slot"]["end"] = "2025-09-05T15:00:00+02:00", "2025-09-05T15:45:00+02:00"
    talks[1]["title"] = "Rust for Pythonistas, revised"
    talks_file.write_text(json.dumps(talks))
    synced = cli("sync", "--db", db)
    assert synced.code == 0, synced.err
    store = CatalogStore(open_database(db))
    moved = store.session("minicon", "T5EEEE")
    assert moved is not None and moved.start == datetime(2025, 9, 5, 15, 0, tzinfo=PARIS)
    renamed = store.session("minicon", "T2BBBB")
    assert renamed is not None and renamed.title == "Rust for Pythonistas, revised"


def refused(cli: CliRunner, db: Path, url: str) -> str:
    before = dump(db)
    result = cli("import", url, "--db", db, "--allow-private")
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.err, result.err
    assert dump(db) == before
    return lines[0]


@pytest.fixture
def db(cli: CliRunner, tmp_path: Path) -> Path:
    path = tmp_path / "store.db"
    assert cli("import", FIXTURES / "mini-frab.xml", "--db", path).code == 0
    return path


def test_a_next_link_to_another_site_is_refused(
    cli: CliRunner, db: Path, serve: Callable[[Respond], Server], talks_file: Path
) -> None:
    server = serve(talk_pages(talks_file, next_url=lambda base, offset: f"http://localhost:1/?offset={offset}"))
    assert "next page is on another site" in refused(cli, db, f"{server.url}{API}")


def test_pages_that_link_in_a_circle_are_refused(
    cli: CliRunner, db: Path, serve: Callable[[Respond], Server], talks_file: Path
) -> None:
    server = serve(talk_pages(talks_file, next_url=lambda base, offset: f"{base}?limit=2&offset=0"))
    assert "link back to one already read" in refused(cli, db, f"{server.url}{API}?limit=2&offset=0")


def test_endless_pages_stop_at_the_cap(
    cli: CliRunner, db: Path, serve: Callable[[Respond], Server], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    many = tmp_path / "many.json"
    talk = json.loads((FIXTURES / "pretalx-talks.json").read_text())[0]
    many.write_text(json.dumps([{**talk, "code": f"X{n}"} for n in range(40)]))
    monkeypatch.setattr(catalog.pages, "MAX_PAGES", 5)
    server = serve(talk_pages(many))
    assert "more than 5 pages" in refused(cli, db, f"{server.url}{API}")
    assert server.hits == 5


def test_all_pages_share_one_deadline(serve: Callable[[Respond], Server], tmp_path: Path) -> None:
    many = tmp_path / "many.json"
    talk = json.loads((FIXTURES / "pretalx-talks.json").read_text())[0]
    many.write_text(json.dumps([{**talk, "code": f"X{n}"} for n in range(40)]))
    pages = talk_pages(many, size=1)

    def slow(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(0.15)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the importer gave up, as it should
            pages(handler)

    server = serve(slow)
    began = time.monotonic()
    with pytest.raises(CatalogError, match="did not send all pages within 1 seconds"):
        load(f"{server.url}{API}", allow_private=True, deadline=1.0)
    assert time.monotonic() - began < 3
    assert server.hits < 40


def test_widget_json_resolves_rooms_tracks_and_speakers_by_id() -> None:
    catalog = load(str(FIXTURES / "pretalx-widget.json"))
    assert catalog.conference.timezone == "Europe/Paris"
    sessions = {s.id: s for s in catalog.sessions}
    assert set(sessions) == {"AB12CD", "EF34GH", "IJ56KL"}  # the lunch break has no code: not a session
    first = sessions["AB12CD"]
    assert (first.room, first.track) == ("Amphi A", "Data")
    assert first.speaker_names == ("Ana Lima", "Bo Chen")
    assert first.speakers[0].bio == "Maintains a data library."
    assert sessions["EF34GH"].title == "Async all the way" and sessions["EF34GH"].room == "Room B"
    assert sessions["IJ56KL"].start == datetime(2025, 6, 13, 9, 30, tzinfo=PARIS)


def test_c3voc_v2_flat_events() -> None:
    catalog = load(str(FIXTURES / "hub-v2.schedule.json"))
    assert catalog.conference.slug == "minihub" and catalog.conference.timezone == "Europe/Berlin"
    sessions = {s.id: s for s in catalog.sessions}
    soldering = sessions["AAA111"]
    assert soldering.track == "Hardware & Making" and soldering.room == "Saal 1"
    assert soldering.speaker_names == ("Greta Holm",)  # the host is a contributor, not a speaker
    assert soldering.speakers[0].bio == "Builds synthesizers."
    night = sessions["BBB222"]
    assert night.start == datetime(2025, 12, 28, 0, 30, tzinfo=ZoneInfo("Europe/Berlin"))


def test_a_next_link_written_as_http_behind_a_tls_proxy_stays_on_https() -> None:
    first = "https://pretalx.example/api/events/x/talks/"
    assert same_site(first, "http://pretalx.example/api/events/x/talks/?offset=25") == (
        "https://pretalx.example/api/events/x/talks/?offset=25"
    )
    assert same_site(first, "http://other.example/api/?offset=25") == "http://other.example/api/?offset=25"
    assert same_site(first, "http://pretalx.example:8080/x") == "http://pretalx.example:8080/x"
    plain = "http://pretalx.example/api/events/x/talks/"
    assert same_site(plain, "https://pretalx.example/y") == "https://pretalx.example/y"  # no change: checked later
