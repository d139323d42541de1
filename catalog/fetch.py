"""Fetching a schedule over http(s) without becoming a tool against the network the bot runs in.

A schedule URL is typed by whoever imports it and redirected by whoever serves it, so every connection,
the first and each redirect, goes to an address that was resolved and checked here: no loopback, private,
link-local or otherwise non-public address unless the person importing asked for it (`--allow-private`,
for a test server on this machine). One deadline covers the whole fetch, so a server that dribbles a byte
at a time cannot hold a sync open. Errors say what went wrong in our words, never in the server's.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from catalog.errors import CatalogError
from catalog.text import shown

MAX_BYTES = 64 * 1024 * 1024
DEADLINE_SECONDS = 60.0
_CHUNK = 64 * 1024
PRIVATE_HINT = "pass --allow-private only to import from a test server on this machine or network"


@dataclass(frozen=True)
class FetchPolicy:
    """What a fetch may reach and for how long."""

    allow_private: bool = False
    deadline: float = DEADLINE_SECONDS
    max_bytes: int = MAX_BYTES
    # "host:port" origins trusted although their address is private (an intranet mirror); redirects elsewhere
    # are still checked.
    trusted: frozenset[str] = frozenset()


class _Refused(OSError):
    """Raised inside a connection attempt; carries our own one-line reason out through urllib."""


def _address_problem(address: str) -> str | None:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for kind, test in (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("private", ip.is_private),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("reserved", ip.is_reserved),
    ):
        if test:
            return f"{kind} address {ip}"
    return None if ip.is_global else f"non-public address {ip}"


@dataclass
class _Watch:
    """Every socket a fetch opens, so the deadline can end it wherever it is waiting."""

    policy: FetchPolicy
    ends_at: float = 0.0
    sockets: list[socket.socket] = field(default_factory=list)
    expired: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def remaining(self) -> float:
        left = self.ends_at - time.monotonic()
        if left <= 0:
            self.expired = True
            raise TimeoutError("deadline")
        return left

    def expire(self) -> None:
        with self.lock:
            self.expired = True
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def connect(self, address: tuple[str, int], timeout: object = None, source: object = None) -> socket.socket:
        """Resolve, check every address the name has, and connect only to a checked one."""
        host, port = address
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise _Refused(f"the host name {shown(host)!r} was not found") from exc
        if not self.policy.allow_private and f"{host}:{port}" not in self.policy.trusted:
            for info in infos:
                ip = str(info[4][0])
                problem = _address_problem(ip)
                if problem:
                    name = "" if ip == host.strip("[]") else f"{shown(host)} resolves to "
                    raise _Refused(f"{name}a {problem}, which is not allowed; {PRIVATE_HINT}")
        last: OSError | None = None
        for family, kind, proto, _name, sockaddr in infos:
            sock = socket.socket(family, kind, proto)
            with self.lock:
                if self.expired:
                    sock.close()
                    raise TimeoutError("deadline")
                self.sockets.append(sock)
            try:
                sock.settimeout(self.remaining())
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                last = exc
                sock.close()
        raise last or _Refused(f"no address found for {shown(host)}")


def _connection(watch: _Watch, base: type[http.client.HTTPConnection]) -> Callable[..., http.client.HTTPConnection]:
    def make(host: str, **kwargs: Any) -> http.client.HTTPConnection:
        conn = base(host, **kwargs)
        conn._create_connection = watch.connect  # type: ignore[attr-defined]
        return conn

    return make


class _Http(urllib.request.HTTPHandler):
    def __init__(self, watch: _Watch) -> None:
        super().__init__()
        self.watch = watch

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_connection(self.watch, http.client.HTTPConnection), req)


class _Https(urllib.request.HTTPSHandler):
    def __init__(self, watch: _Watch) -> None:
        super().__init__()
        self.watch = watch

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(
            _connection(self.watch, http.client.HTTPSConnection), req, context=ssl.create_default_context()
        )


class _Redirects(urllib.request.HTTPRedirectHandler):
    def http_error_302(self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any) -> Any:
        target = urllib.parse.urljoin(req.full_url, headers.get("location") or headers.get("uri") or "")
        if urllib.parse.urlsplit(target).scheme.lower() not in ("http", "https"):
            raise _Refused("the server redirected to an address that is not http(s)")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

    def redirect_request(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise _Refused("the server redirected to an address that is not http(s)")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def check_url(url: str) -> None:
    """Only http(s) with a host: anything else is a mistake or a trick before any connection is made."""
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises on a port that is no number
    except ValueError as exc:
        raise CatalogError(f"{_shown(url)}: not a valid URL") from exc
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise CatalogError(f"{_shown(url)}: only http:// and https:// addresses with a host can be fetched")
    if any(ord(c) < 33 or c == "\x7f" for c in url):
        raise CatalogError(f"{_shown(url)}: a URL with spaces or control characters in it")


def _shown(url: str) -> str:
    text = "".join(c if c.isprintable() and not c.isspace() else "?" for c in url)
    return text if len(text) <= 200 else text[:199] + "…"


def fetch_url(url: str, policy: FetchPolicy) -> bytes:
    """The body of `url`, or CatalogError; never longer than the policy's deadline."""
    check_url(url)
    watch = _Watch(policy, ends_at=time.monotonic() + policy.deadline)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _Http(watch), _Https(watch), _Redirects())
    request = urllib.request.Request(url, headers={"User-Agent": "confbot (conference schedule importer)"})
    timer = threading.Timer(policy.deadline, watch.expire)
    timer.daemon = True
    timer.start()
    try:
        return _read(opener, request, watch, policy)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise CatalogError(f"{_shown(url)}: the server answered {exc.code} {_phrase(exc.code)}") from exc
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        if watch.expired:
            raise CatalogError(_too_slow(url, policy)) from exc
        raise CatalogError(f"{_shown(url)}: {_reason(exc)}") from exc
    finally:
        timer.cancel()
        for sock in watch.sockets:
            sock.close()


def _read(
    opener: urllib.request.OpenerDirector, request: urllib.request.Request, watch: _Watch, policy: FetchPolicy
) -> bytes:
    with opener.open(request, timeout=policy.deadline) as response:
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > policy.max_bytes:
            raise CatalogError(f"{_shown(request.full_url)}: {too_large(int(length), policy.max_bytes)}")
        parts: list[bytes] = []
        size = 0
        while True:
            chunk = response.read1(_CHUNK)
            if watch.expired or time.monotonic() > watch.ends_at:
                raise CatalogError(_too_slow(request.full_url, policy))
            if not chunk:
                break
            size += len(chunk)
            if size > policy.max_bytes:
                limit = policy.max_bytes // 1_048_576
                raise CatalogError(f"{_shown(request.full_url)}: larger than the {limit} MB limit")
            parts.append(chunk)
    if watch.expired:
        raise CatalogError(_too_slow(request.full_url, policy))
    return b"".join(parts)


def too_large(size: int, limit: int) -> str:
    """'64.3 MB is larger than the 64 MB limit': the real size, with enough digits to differ from the limit."""
    mb = 1_048_576
    shown = f"{size / mb:.1f} MB"
    if f"{size / mb:.1f}" == f"{limit / mb:.1f}":
        shown = f"{size:,} bytes"
    return f"{shown} is larger than the {limit // mb} MB limit"


def _too_slow(url: str, policy: FetchPolicy) -> str:
    return f"{_shown(url)}: the server did not send the whole schedule within {policy.deadline:g} seconds"


def _phrase(code: int) -> str:
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return "(an unknown status)"


def _reason(exc: BaseException) -> str:
    """Our own words for what failed: a server's status line or body never reaches a message."""
    reason: BaseException | str = exc
    if isinstance(exc, urllib.error.URLError) and not isinstance(exc, urllib.error.HTTPError):
        reason = exc.reason
    if isinstance(reason, _Refused):
        return str(reason)
    if isinstance(reason, str):
        return "unreachable; check the address or import a saved copy"
    if isinstance(reason, TimeoutError):
        return "the server did not answer in time"
    if isinstance(reason, ConnectionRefusedError):
        return "unreachable (connection refused); check the address or import a saved copy"
    if isinstance(reason, socket.gaierror):
        return "unreachable (the host name was not found); check the address"
    if isinstance(reason, ssl.SSLError):
        return "the secure connection failed (certificate or TLS problem)"
    if isinstance(reason, http.client.HTTPException):
        return "the server's answer is not valid HTTP"
    if isinstance(reason, OSError) and reason.strerror:
        return f"unreachable ({reason.strerror.lower()}); check the address or import a saved copy"
    return f"unreachable ({type(reason).__name__}); check the address or import a saved copy"
