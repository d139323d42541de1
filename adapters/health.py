"""Health and metrics over HTTP: /healthz says whether the bot can do its job, /metrics what it has done.

Ready means all three parts work: the platform connection is up (so people can reach the bot), the store takes
a write (so what they save is kept) and the reminder dispatcher woke within its interval (so reminders go out).
A supervisor (Docker's HEALTHCHECK, Kubernetes, systemd's watchdog scripts) restarts or alerts on a 503; the JSON
says which part failed. The Slack HTTP server adds these routes to its own app; the Socket Mode and Discord
runners serve them on --health-port.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from typing import Any

from aiohttp import web
from sqlite_utils import Database

from bot.metrics import PrometheusMetrics
from bot.reminders.scheduler import WakeScheduler

STORE_TIMEOUT = 2.0  # seconds to wait for another writer before calling the store busy


@dataclass(frozen=True)
class Part:
    ok: bool
    detail: str


PlatformCheck = Callable[[], Awaitable[Part]]


def database_path(db: Database) -> str:
    """The file behind a connection ("" in memory): health probes it over a connection of its own."""
    row = db.execute("PRAGMA database_list").fetchone()
    return str(row[2]) if row and row[2] else ""


def store_writable(path: str, timeout: float = STORE_TIMEOUT) -> Part:
    """Write and roll back: fails on a read-only file or mount, a wrong owner, or a writer that holds the lock
    for longer than STORE_TIMEOUT. Taking the lock alone would pass on a read-only file. Nothing is kept."""
    if not path:
        return Part(True, "in memory")
    try:
        conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("CREATE TABLE confbot_health_probe (x)")
            conn.execute("ROLLBACK")
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return Part(False, f"{path}: {exc}")
    return Part(True, "writable")


def dispatcher_ticking(scheduler: WakeScheduler, now: float | None = None) -> Part:
    """The dispatcher's tick comes every `scheduler.tick`; two missed in a row means it is stuck or stopped."""
    if scheduler.last_tick is None:
        return Part(False, "not started")
    age = (time.monotonic() if now is None else now) - scheduler.last_tick
    allowed = 2 * scheduler.tick.total_seconds()
    if age > allowed:
        return Part(False, f"last woke {age:.0f} s ago (expected every {scheduler.tick.total_seconds():g} s)")
    return Part(True, f"woke {age:.0f} s ago")


class Health:
    def __init__(self, platform: PlatformCheck, store_path: str, scheduler: WakeScheduler) -> None:
        self.platform = platform
        self.store_path = store_path
        self.scheduler = scheduler

    async def report(self) -> dict[str, Any]:
        try:
            platform = await self.platform()
        except Exception as exc:  # noqa: BLE001 - a check that fails is an unready platform, not a 500
            platform = Part(False, f"{type(exc).__name__}: {exc}")
        store = await asyncio.to_thread(store_writable, self.store_path)
        reminders = dispatcher_ticking(self.scheduler)
        parts = {"platform": platform, "store": store, "reminders": reminders}
        return {"ready": all(p.ok for p in parts.values()), **{name: asdict(p) for name, p in parts.items()}}


async def livez(_: web.Request) -> web.Response:
    """Alive: the event loop answers. A liveness probe restarts a wedged process; it must not restart one that
    is only waiting for Slack or Discord to come back, so it asks nothing else (that is /healthz)."""
    return web.json_response({"alive": True})


def add_routes(server: web.Application, health: Health, metrics: PrometheusMetrics | None) -> None:
    """GET /healthz (200 when ready, 503 otherwise, JSON either way) and GET /metrics (Prometheus text)."""

    async def healthz(_: web.Request) -> web.Response:
        report = await health.report()
        return web.json_response(report, status=200 if report["ready"] else 503)

    async def scrape(_: web.Request) -> web.Response:
        if metrics is None:
            return web.Response(status=404, text="metrics are off")
        body, content_type = metrics.exposition()
        return web.Response(body=body, headers={"Content-Type": content_type})

    server.router.add_get("/healthz", healthz)
    server.router.add_get("/metrics", scrape)


def health_app(health: Health, metrics: PrometheusMetrics | None) -> web.Application:
    server = web.Application()
    server.router.add_get("/livez", livez)
    add_routes(server, health, metrics)
    return server
