"""Fetching over http(s) against real servers on loopback: private addresses refused, redirects checked at
every hop, one deadline for a slow server, and no error that repeats what the server said."""

from __future__ import annotations

import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from catalog.errors import CatalogError
from catalog.fetch import FetchPolicy, fetch_url
from catalog.load import load
from tests.conftest import FIXTURES, CliRunner, dump
from tests.http_server import Respond, Server

SCHEDULE = (FIXTURES / "mini-frab.xml").read_bytes()


def schedule(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Length", str(len(SCHEDULE)))
    handler.end_headers()
    handler.wfile.write(SCHEDULE)


def redirect_to(location: str) -> Respond:
    def respond(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return respond


def test_a_loopback_url_is_refused_without_allow_private(
    cli: CliRunner, tmp_path: Path, serve: Callable[[Respond], Server]
) -> None:
    server = serve(schedule)
    db = tmp_path / "s.db"
    assert cli("import", FIXTURES / "mini.csv", "--db", db, "--timezone", "UTC").code == 0
    before = dump(db)
    result = cli("import", f"{server.url}/schedule.xml", "--db", db)
    assert result.code == 1 and len(result.err.strip().splitlines()) == 1
    assert "loopback address 127.0.0.1, which is not allowed; pass --allow-private" in result.err
    assert server.hits == 0
    assert dump(db) == before
    assert cli("import", f"{server.url}/schedule.xml", "--db", db, "--allow-private").code == 0


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{other}/admin",
        "http://localhost:{other}/admin",
        "http://[::1]:{other}/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.7/internal",
        "http://192.168.1.1/",
        "http://0.0.0.0:{other}/",
        "http://2130706433:{other}/",
        "http://[::ffff:127.0.0.1]:{other}/",
    ],
)
def test_a_redirect_to_a_private_address_is_refused(serve: Callable[[Respond], Server], target: str) -> None:
    internal = serve(schedule)
    public = serve(redirect_to(target.format(other=internal.port)))
    # The first server stands for a public host; only the redirect's target is left to the rules.
    policy = FetchPolicy(trusted=frozenset({public.origin}))
    with pytest.raises(CatalogError, match="not allowed; pass --allow-private") as caught:
        fetch_url(f"{public.url}/schedule.xml", policy)
    assert public.hits == 1 and internal.hits == 0
    assert "\n" not in str(caught.value)


def test_allow_private_follows_the_same_redirect(serve: Callable[[Respond], Server]) -> None:
    internal = serve(schedule)
    public = serve(redirect_to(f"http://127.0.0.1:{internal.port}/schedule.xml"))
    assert fetch_url(f"{public.url}/schedule.xml", FetchPolicy(allow_private=True)) == SCHEDULE
    assert internal.hits == 1


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/schedule.xml", "gopher://x/"])
def test_a_redirect_out_of_http_is_refused(serve: Callable[[Respond], Server], target: str) -> None:
    public = serve(redirect_to(target))
    with pytest.raises(CatalogError, match="not http"):
        fetch_url(f"{public.url}/s.xml", FetchPolicy(allow_private=True))


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/x", "http://", "http:///x", "http://exa mple.org/", "http://[::1"]
)
def test_only_http_urls_with_a_host_are_fetched(url: str) -> None:
    with pytest.raises(CatalogError) as caught:
        fetch_url(url, FetchPolicy(allow_private=True))
    assert "\n" not in str(caught.value)


def test_errors_never_repeat_what_the_server_said(serve: Callable[[Respond], Server]) -> None:
    def loud_error(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(500, "<!channel> SECRET-REASON")
        handler.end_headers()
        handler.wfile.write(b"SECRET-BODY <!channel>")

    def not_http(handler: BaseHTTPRequestHandler) -> None:
        handler.wfile.write(b"SECRET-LINE <!channel> @everyone\r\n\r\n")
        handler.close_connection = True

    policy = FetchPolicy(allow_private=True)
    with pytest.raises(CatalogError) as caught:
        fetch_url(f"{serve(loud_error).url}/s.xml", policy)
    assert "500 Internal Server Error" in str(caught.value)
    with pytest.raises(CatalogError) as garbled:
        fetch_url(f"{serve(not_http).url}/s.xml", policy)
    assert "not valid HTTP" in str(garbled.value)
    for message in (str(caught.value), str(garbled.value)):
        assert "SECRET" not in message and "<!channel>" not in message and "@everyone" not in message


def dribble(handler: BaseHTTPRequestHandler, head_first: bool) -> None:
    """One byte at a time, forever, either in the body or already in the headers."""
    try:
        if head_first:
            handler.send_response(200)
            handler.send_header("Content-Length", "1000000")
            handler.end_headers()
            handler.wfile.flush()
        else:
            handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
        while True:
            handler.wfile.write(b"<" if head_first else b"X")
            handler.wfile.flush()
            time.sleep(0.02)
    except OSError:
        return


@pytest.mark.parametrize("stage", ["body", "headers"])
def test_a_dribbling_server_ends_at_the_deadline(serve: Callable[[Respond], Server], stage: str) -> None:
    server = serve(lambda handler: dribble(handler, head_first=stage == "body"))
    began = time.monotonic()
    with pytest.raises(CatalogError, match="within 0.5 seconds"):
        load(f"{server.url}/schedule.xml", allow_private=True, deadline=0.5)
    assert time.monotonic() - began < 5


def test_a_server_that_says_too_much_is_cut_off(serve: Callable[[Respond], Server]) -> None:
    def huge(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(70 * 1_048_576))
        handler.end_headers()

    with pytest.raises(CatalogError, match="70.0 MB is larger than the 64 MB limit"):
        fetch_url(f"{serve(huge).url}/s.xml", FetchPolicy(allow_private=True))
