"""Running `confbot run slack|discord` as its own process against the loopback stand-ins, as an operator would.

A process of its own because that is what is judged: the exit code, what reaches the terminal, and that it ends
by itself in bounded time. The environment is built from nothing but what the test gives (no tokens, config
or database leak in from the machine).
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from tests.conftest import FIXTURES, ROOT

BOUND = 30.0  # seconds any failing start must end within (the retries to reach a platform take about 4)


@dataclass
class Ended:
    code: int
    out: str
    err: str
    seconds: float

    @property
    def lines(self) -> list[str]:
        return [line for line in (self.out + self.err).splitlines() if line.strip()]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(tmp: Path, **extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH")}
    return {**keep, "CONFBOT_DB": str(tmp / "bot.db"), "CONFBOT_CONFIG": str(tmp / "none.toml"), **extra}


def prepared(tmp: Path) -> None:
    """A store with a catalog and an empty config file, so only the platform part can fail."""
    from bot.store import CatalogStore, open_database
    from catalog.load import load

    (tmp / "none.toml").write_text("", encoding="utf-8")
    db = open_database(tmp / "bot.db")
    CatalogStore(db).save(load(str(FIXTURES / "searchcon.schedule.json")))
    db.conn.close()


async def start(args: list[str], env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "adapters.cli",
        *args,
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def ended(process: asyncio.subprocess.Process, began: float, bound: float = BOUND) -> Ended:
    out, err = await asyncio.wait_for(process.communicate(), bound)
    return Ended(int(process.returncode or 0), out.decode(), err.decode(), time.monotonic() - began)


async def run_to_end(args: list[str], env: dict[str, str], bound: float = BOUND) -> Ended:
    began = time.monotonic()
    process = await start(args, env)
    try:
        return await ended(process, began, bound)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def health(port: int) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/healthz") as response:
        return response.status, dict(await response.json())


async def until_health(port: int, ready: bool, timeout: float = 20.0) -> dict[str, Any]:
    """Polls /healthz until it says `ready` (or unready); fails the test with the last answer otherwise."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            status, report = await health(port)
            last = report
            if report["ready"] is ready and (status == 200) is ready:
                return report
        except aiohttp.ClientError as exc:
            last = exc
        await asyncio.sleep(0.2)
    raise AssertionError(f"/healthz never became {'ready' if ready else 'unready'}; last: {last}")


@asynccontextmanager
async def serving(args: list[str], env: dict[str, str]) -> AsyncIterator[asyncio.subprocess.Process]:
    """A bot that keeps running for the test; stopped with SIGTERM after, which must end it with 0."""
    process = await start(args, env)
    try:
        yield process
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 15)
            except TimeoutError:
                process.kill()
                await process.wait()
