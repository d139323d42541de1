"""What `confbot run` checks before it serves, and how a failure at start becomes one line and an exit code.

An organiser starting the bot at 8 a.m. needs to know at once, and in one line, what to fix: a missing or
rejected setting (exit 2, restarting will not help) or a platform that cannot be reached (exit 3, worth
retrying later). Reaching the platform is retried a few times with growing waits, never forever.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
from collections.abc import Awaitable, Callable
from typing import TypeVar

import aiohttp
from aiohttp import web

from adapters import exit_codes

log = logging.getLogger("confbot.startup")
T = TypeVar("T")
ATTEMPTS = 4
FIRST_WAIT = 0.5  # seconds; doubled after each failed attempt (0.5 + 1 + 2: about 4 s before giving up)
ATTEMPT_TIMEOUT = 5.0  # per try: a platform that swallows packets still ends the start within about 25 s


class StartupError(Exception):
    """A reason the bot cannot serve, already worded for the person starting it, with its exit code."""

    def __init__(self, message: str, code: int = exit_codes.CONFIGURATION) -> None:
        super().__init__(message)
        self.code = code


class Unavailable(Exception):
    """The platform answered, but not usefully (a 5xx or 429): worth another try."""


def checked_port(port: int | None, option: str) -> int | None:
    """A port outside 1-65535 is refused with the range, not an OverflowError at bind time."""
    if port is not None and not 1 <= port <= 65535:
        raise StartupError(f"{option} {port} is not a port number: choose one from 1 to 65535")
    return port


async def reach(
    what: str,
    attempt: Callable[[], Awaitable[T]],
    hint: str,
    *,
    attempts: int = ATTEMPTS,
    first_wait: float = FIRST_WAIT,
) -> T:
    """`attempt()` until it answers; connection failures, timeouts and `Unavailable` are retried a bounded
    number of times, then become one PLATFORM error. A StartupError from `attempt` (a rejected token) is final."""
    wait = first_wait
    reason = ""
    for number in range(1, attempts + 1):
        try:
            async with asyncio.timeout(ATTEMPT_TIMEOUT):
                return await attempt()
        except (aiohttp.ClientError, OSError, TimeoutError, Unavailable) as exc:
            reason = _reason(exc)
            if number == attempts:
                break
            log.debug("%s did not answer (%s); trying again in %.1f s", what, reason, wait)
            await asyncio.sleep(wait)
            wait *= 2
    raise StartupError(
        f"could not reach {what} after {attempts} tries ({reason}): {hint}, then start confbot again",
        exit_codes.PLATFORM,
    )


def _reason(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return f"no answer within {ATTEMPT_TIMEOUT:g} s"
    if isinstance(exc, aiohttp.ClientConnectorError):
        return str(exc.os_error) or type(exc).__name__
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def port_free(host: str, port: int | None, option: str) -> None:
    """Before asking the platform anything: a port already taken is found in a moment, not after the checks.
    (`listen` still reports it if something takes the port in between.)"""
    if checked_port(port, option) is None:
        return
    assert port is not None
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as aiohttp binds: TIME_WAIT is no obstacle
            probe.bind((host, port))
    except OSError as exc:
        raise StartupError(_bind_failure(exc, host, port, option)) from None


def _bind_failure(exc: OSError, host: str, port: int, option: str) -> str:
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} is already in use on {host}: stop what listens there or choose another {option}"
    if exc.errno == errno.EACCES:
        return f"not allowed to listen on port {port}: choose a port above 1023 with {option}"
    return f"cannot listen on {host}:{port} ({_reason(exc)}): check the address and {option}"


async def listen(app: web.Application, host: str, port: int, option: str) -> web.AppRunner:
    """Serve `app` on host:port, or say in one line why not (port in use, not allowed, no such address)."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as exc:
        await runner.cleanup()
        raise StartupError(_bind_failure(exc, host, port, option)) from None
    return runner
