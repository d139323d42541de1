"""What both long-running bots share: logs, metrics, the health port, stopping on a signal, failing in one line."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiohttp import web

from adapters import exit_codes, logs
from adapters.health import Health, health_app
from adapters.healthcheck import HEALTH_PORT_ENV
from adapters.startup import StartupError, checked_port, listen
from bot import metrics
from bot.config import ConfigError
from bot.metrics import PrometheusMetrics

log = logging.getLogger("confbot")
T = TypeVar("T")
CONNECT_TIMEOUT_ENV = "CONFBOT_CONNECT_TIMEOUT"
DEFAULT_CONNECT_TIMEOUT = 60.0


def connect_timeout() -> float:
    """Seconds to wait at start for the platform's live connection (gateway, socket) before giving up with
    exit 3; $CONFBOT_CONNECT_TIMEOUT changes it (a slow network, or a test)."""
    try:
        return max(1.0, float(os.environ.get(CONNECT_TIMEOUT_ENV) or DEFAULT_CONNECT_TIMEOUT))
    except ValueError:
        return DEFAULT_CONNECT_TIMEOUT


def add_serving_options(parser: argparse.ArgumentParser, health_help: str) -> None:
    parser.add_argument(
        "--health-port",
        type=int,
        default=os.environ.get(HEALTH_PORT_ENV) or None,
        metavar="PORT",
        help=f"{health_help} (default: ${HEALTH_PORT_ENV}, else none)",
    )
    parser.add_argument(
        "--log-format",
        choices=logs.FORMATS,
        default="auto",
        help="human lines, or JSON lines; auto: JSON when standard output is not a terminal (default auto)",
    )


def start_logging(args: argparse.Namespace) -> None:
    logs.configure(args.log_format)


def settings_or_fail(read: Callable[[], T]) -> T:
    """A missing or malformed setting is a configuration failure (exit 2), found before anything starts."""
    try:
        return read()
    except ConfigError as exc:
        raise StartupError(str(exc), exit_codes.CONFIGURATION) from None


def install_metrics() -> PrometheusMetrics:
    found = PrometheusMetrics()
    metrics.install(found)
    return found


async def serve_health(
    health: Health, counters: PrometheusMetrics, host: str, port: int | None
) -> web.AppRunner | None:
    if checked_port(port, "--health-port") is None:
        return None
    assert port is not None
    runner = await listen(health_app(health, counters), host, port, "--health-port")
    log.info("health on http://%s:%d/healthz, metrics on /metrics", host, port)
    return runner


def run(main: Callable[[asyncio.Event], Awaitable[None]]) -> int:
    """Run `main(stop)` until it returns or a signal sets `stop`: SIGTERM (a supervisor stopping the bot) ends
    with 0, Ctrl-C with 130."""
    interrupted: list[int] = []

    async def guarded() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()

        def stopping(code: int) -> None:
            interrupted.append(code)
            stop.set()

        for signum, code in ((signal.SIGTERM, exit_codes.OK), (signal.SIGINT, exit_codes.INTERRUPTED)):
            # Not in the main thread (tests) or on a platform without signals: the default behaviour stays.
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(signum, stopping, code)
        await main(stop)

    asyncio.run(guarded())
    if interrupted:
        log.info("stopped")
        return interrupted[0]
    return exit_codes.OK


def reported(start: Callable[[], int]) -> int:
    """A StartupError, wherever in starting it comes from, ends the command with its one line on standard error
    and its exit code; no traceback."""
    try:
        return start()
    except StartupError as exc:
        print(f"confbot: error: {exc}", file=sys.stderr)
        return exc.code


async def until(stop: asyncio.Event, *work: Awaitable[object]) -> None:
    """Wait for `stop`, or for any of `work` to end (its exception, e.g. a StartupError, goes up)."""
    tasks = [asyncio.ensure_future(w) for w in work]
    stopper = asyncio.ensure_future(stop.wait())
    try:
        done, _ = await asyncio.wait([stopper, *tasks], return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if task is not stopper:
                task.result()
    finally:
        for task in [stopper, *tasks]:
            task.cancel()
        await asyncio.gather(stopper, *tasks, return_exceptions=True)
