"""100 concurrent signed `/talks` into the real Bolt app over real HTTP: how many are acknowledged within Slack's
3 seconds, idle and while another process re-imports a 70,000-session conference.

The bot runs in its own process (`python -m benchmarks.slack_load serve`: the same wiring as `confbot run slack
--http`, with the Slack stand-in from tests/ as its Web API) over a store at FOSDEM size (fosdem-2026, moved to
start tomorrow) where 5,000 people saved 10 sessions each. The load comes from this process, the re-import from
a third (`confbot import`). The baseline in the same run is the old handling: the conversation and the
wake-up recomputation on the event loop (`on_loop`). Each is measured with the reminder wake-ups running, and
with them excluded (no poke, no scheduler), which isolates the event-loop work from the reminders' cost.

Re-import condition: the store also holds the 70k conference; a changed version of it (every title gains the
word QUOKKAFEST) is imported by another process while bursts of 100 concurrent commands keep coming, until the
bot answers from the new index (a search for the new word finds it) or 150 s have passed. The probe comes from
one person who switched to the 70k conference first; everyone else asks about fosdem-2026. A request Bolt
refuses (it answers 404 when a listener has not acknowledged within 3 s) counts as never answered. An import
that fails with "database is locked" is started again (column "imports"), which only a store without the
write-lock-first transactions needs.

    python -m benchmarks.slack_load [--only baseline|confbot] [--wakeups on|off]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import itertools
import logging
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO
from urllib.parse import urlencode

import aiohttp

from benchmarks.common import CATALOGS, ROOT, ZONES, print_table, shared_catalogs
from benchmarks.latency import percentile
from bot.search.text import words
from bot.store import CatalogStore, open_database
from catalog.load import load

PEOPLE = 5_000
SAVED_EACH = 10
CONCURRENT = 100
BIG = 70_000
DEADLINE = 3.0
MARKER = "Quokkafest"
REIMPORT_LIMIT = 150.0
IMPORT_TRIES = 3
TRIGGERS = itertools.count()
HEADER = ["handling", "condition", "requests", "in 3 s", "p50 s", "p99 s", "max s", "new index s", "imports"]
ABSTRACT = 400  # characters of each abstract: the file stays under the importer's 64 MB limit


# ------------------------------------------------------------------------------------------------- the stores
def _fosdem_tomorrow(store: CatalogStore) -> list[str]:
    """fosdem-2026 moved to start tomorrow, so every saved session still has a reminder pending."""
    catalog = load(str(CATALOGS / "fosdem-2026.xml"))
    starts = [s.start for s in catalog.sessions if s.start]
    shift = (datetime.now(UTC) + timedelta(days=1)).replace(hour=8, minute=0, second=0, microsecond=0) - min(starts)
    shift = timedelta(days=shift.days + 1)  # whole days: the sessions keep their local times
    moved = tuple(
        replace(s, start=s.start + shift if s.start else None, end=s.end + shift if s.end else None)
        for s in catalog.sessions
    )
    store.save(replace(catalog, sessions=moved))
    return [s.id for s in moved if s.start]


def _save_agendas(store: CatalogStore, slug: str, ids: list[str]) -> None:
    rng = random.Random(5)
    rows = [
        ("slack", "T1", f"U{person:05d}", slug, sid, datetime.now(UTC).isoformat())
        for person in range(PEOPLE)
        for sid in rng.sample(ids, SAVED_EACH)
    ]
    store.db.execute("BEGIN")
    store.db.conn.executemany(
        "INSERT INTO agenda (platform, workspace, user, conference, session_id, saved_at) VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    store.db.execute("COMMIT")


def _write_big(path: Path, marker: str = "", size: int = BIG) -> None:
    """`size` sessions: every shared catalog, copied under new ids (a week apart) until there are enough."""
    pool = []
    for source in shared_catalogs():
        pool.extend(load(str(source), timezone=ZONES.get(source.name)).sessions)
    pool = [s for s in pool if s.start and s.end]
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "title", "track", "speakers", "start", "end", "room", "abstract", "tags"])
        for n in range(size):
            s = pool[n % len(pool)]
            weeks = timedelta(weeks=n // len(pool))
            assert s.start and s.end
            writer.writerow(
                [
                    f"b{n}",
                    f"{marker} {s.title}".strip(),
                    s.track,
                    "; ".join(s.speaker_names),
                    (s.start + weeks).isoformat(),
                    (s.end + weeks).isoformat(),
                    s.room,
                    " ".join(s.abstract[:ABSTRACT].split()),  # one line: the CSV reader refuses cells over lines
                    "; ".join(s.tags),
                ]
            )


def _queries(store: CatalogStore, slug: str) -> list[str]:
    rng = random.Random(11)
    sessions = store.sessions(slug)
    found: list[str] = []
    while len(found) < CONCURRENT:
        title = [w for w in words(rng.choice(sessions).title) if len(w) >= 4]
        if title:
            found.append(rng.choice(["{}", "talks on {}", "{} tomorrow", "{} afternoon"]).format(rng.choice(title)))
    return found


# ------------------------------------------------------------------------------------------------- the bot
def serve(db: str, on_loop: bool, reminders: bool) -> None:
    """The bot process: the Slack stand-in as its Web API, the real Bolt app over HTTP; prints its URL."""
    sys.path.insert(0, str(ROOT))
    from adapters.slack.server import SlackSettings, build_app, make_client, make_notifier, web_app
    from bot.clock import SystemClock
    from bot.config import Config
    from bot.runtime import build_runtime
    from tests.loopback import serve as serve_http
    from tests.slack_standin import BOT_TOKEN, SIGNING_SECRET, slack_standin

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(relativeCreated).0fms %(name)s %(message)s")

    async def main() -> None:
        async with slack_standin() as standin:
            settings = SlackSettings(BOT_TOKEN, SIGNING_SECRET, api_url=f"{standin.base}/api/")
            client = make_client(settings)
            notifier = make_notifier(settings, client)
            runtime = build_runtime(open_database(db), notifier, SystemClock(), Config(), on_loop=on_loop)
            if not reminders:
                runtime.scheduler.poke = lambda: None  # type: ignore[method-assign]
            runtime.search.engine()  # as `confbot run` does: the first index before the first request
            if reminders:
                runtime.scheduler.start()
            async with serve_http(web_app(build_app(runtime, settings, client), SIGNING_SECRET)) as url:
                print(url, flush=True)
                await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)  # until the parent closes it
            runtime.close()

    asyncio.run(main())


# ------------------------------------------------------------------------------------------------- the load
@dataclass
class Measured:
    seconds: list[float] = field(default_factory=list)
    failed: int = 0
    why: dict[str, int] = field(default_factory=dict)  # failed requests by HTTP status or client error
    bad_bursts: list[str] = field(default_factory=list)  # "seconds into the re-import:failed requests"
    swapped_after: float | None = None  # seconds from the importer's exit to the first answer from the new index
    import_seconds: float = 0.0
    import_tries: int = 1

    def row(self, label: str, condition: str) -> list[str]:
        """Requests that failed (Bolt answers 404 when a listener has not acked in 3 s) count as never answered."""
        every = self.seconds + [float("inf")] * self.failed
        within = sum(1 for s in every if s <= DEADLINE)
        idle = condition == "idle"
        swap = "-" if idle else ("never" if self.swapped_after is None else f"{self.swapped_after:.1f}")
        return [
            label,
            condition,
            str(len(every)),
            f"{within}/{len(every)}",
            f"{percentile(every, 50):.2f}",
            f"{percentile(every, 99):.2f}",
            f"{max(every):.2f}",
            swap,
            "-" if idle else str(self.import_tries),
        ]


async def _burst(http: aiohttp.ClientSession, url: str, texts: list[str], out: Measured) -> list[str]:
    from tests.slack_standin import signed_headers

    async def one(i: int, text: str) -> str:
        body = urlencode(
            {
                "token": "x",
                "team_id": "T1",
                "channel_id": "C1",
                "user_id": f"U{(i * 37) % PEOPLE:05d}",
                "command": "/talks",
                "text": text,
                "api_app_id": "A1",
                "response_url": f"{url}/nowhere",
                "trigger_id": f"t{next(TRIGGERS)}",  # as Slack's: each request is signed once, never replayed
            }
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded", **signed_headers(body)}
        started = time.monotonic()
        try:
            async with http.post(f"{url}/slack/events", data=body.encode(), headers=headers) as response:
                answer = await response.text()
                ok, why = response.status == 200, f"HTTP {response.status}"
        except (TimeoutError, aiohttp.ClientError) as error:
            ok, answer, why = False, "", type(error).__name__
        if ok:
            out.seconds.append(time.monotonic() - started)
        else:
            out.failed += 1
            out.why[why] = out.why.get(why, 0) + 1
        return answer

    return list(await asyncio.gather(*(one(i, t) for i, t in enumerate(texts))))


async def _start(command: list[str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        *command, cwd=ROOT, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
    )


async def _drive(url: str, texts: list[str], reimport: list[str] | None) -> Measured:
    out = Measured()
    timeout = aiohttp.ClientTimeout(total=300)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0), timeout=timeout) as http:
        if reimport is None:
            await _burst(http, url, texts, out)
            return out
        # The probe (the burst's last request) comes from one person who asked about the big conference, so
        # "new index" measures when the re-imported conference answers; everyone else stays on fosdem-2026.
        await _burst(http, url, texts[:-1] + ["switch to bigconf"], Measured())
        importer = await _start(reimport)
        started = time.monotonic()
        exited: float | None = None
        probe = texts[:-1] + [MARKER.lower()]
        while time.monotonic() - started < REIMPORT_LIMIT:
            burst_started = time.monotonic()
            failed_before = out.failed
            answers = await _burst(http, url, probe, out)
            if out.failed > failed_before:
                out.bad_bursts.append(f"{burst_started - started:.0f}s:{out.failed - failed_before}")
            if exited is None and importer.returncode is not None:
                _, err = await importer.communicate()
                if importer.returncode != 0 and b"database is locked" in err and out.import_tries < IMPORT_TRIES:
                    out.import_tries += 1  # sqlite-utils' deferred BEGIN: see the report; try again
                    importer = await _start(reimport)
                    continue
                exited = time.monotonic()
                out.import_seconds = exited - started
            if exited is not None and MARKER in answers[-1]:
                out.swapped_after = time.monotonic() - exited
                break
            await asyncio.sleep(max(0.0, 1.0 - (time.monotonic() - burst_started)))
        _, err = await importer.communicate()
        if importer.returncode != 0:
            raise SystemExit(f"the re-import failed: {err.decode()[-500:]}")
        if not out.import_seconds:
            out.import_seconds = time.monotonic() - started
    return out


def _why_unanswered(measured: Measured, label: str, log_path: Path) -> list[str]:
    """What the failed requests got back, which bursts they were in, and what the bot logged about it."""
    if not measured.failed:
        return []
    reasons = ", ".join(f"{n} {why}" for why, n in sorted(measured.why.items()))
    logged = log_path.read_text(errors="replace").strip().splitlines()
    tail = [line for line in logged if "confbot" in line or line.startswith(("WARNING", "ERROR"))][-12:]
    bursts = " ".join(measured.bad_bursts)
    return [f"{label}: never answered: {reasons} (bursts at {bursts}); the log:", *(f"    {t[:200]}" for t in tail)]


def _measure(
    db: Path, texts: list[str], on_loop: bool, reminders: bool, reimport: list[str] | None, log: IO[str]
) -> Measured:
    """One bot process over a copy of the store; its log (Bolt's "didn't call ack()" and the like) goes to `log`."""
    bot = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.slack_load", "serve", str(db)]
        + (["--on-loop"] if on_loop else [])
        + ([] if reminders else ["--no-reminders"]),
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        assert bot.stdout is not None and bot.stdin is not None
        url = bot.stdout.readline().strip()
        if not url.startswith("http"):
            raise SystemExit("the bot process did not start")
        return asyncio.run(_drive(url, texts, reimport))
    finally:
        if bot.stdin:
            bot.stdin.close()
        try:
            bot.wait(timeout=30)
        except subprocess.TimeoutExpired:
            bot.kill()


def run(
    handlings: tuple[bool, ...] = (True, False),
    wakeups: tuple[bool, ...] = (True, False),
    big: int = BIG,
    via: str = "import",
) -> dict[str, float]:
    """`handlings`: on_loop values to measure (True is the baseline); `wakeups`: with and without reminders;
    `big`: sessions of the conference changed meanwhile; `via`: `confbot import` of the new file, or `confbot sync`
    of the conference after its source file changed."""
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        fosdem_db, big_db = tmp / "fosdem.db", tmp / "big.db"
        store = CatalogStore(open_database(fosdem_db))
        ids = _fosdem_tomorrow(store)
        slug = store.conferences()[0].slug
        _save_agendas(store, slug, ids)
        texts = _queries(store, slug)
        store.db.close()
        _write_big(tmp / "big-v1.csv", size=big)
        _write_big(tmp / "big-v2.csv", MARKER, size=big)
        shutil.copy(fosdem_db, big_db)
        if Path(f"{fosdem_db}.index").is_dir():
            shutil.copytree(f"{fosdem_db}.index", f"{big_db}.index")
        big_store = CatalogStore(open_database(big_db))
        source_file = tmp / "big.csv"  # where the conference was imported from: what a sync reads again
        shutil.copy(tmp / "big-v1.csv", source_file)
        big_store.save(load(str(source_file), timezone="UTC", slug="bigconf"))
        big_store.db.close()

        rows, figures, notes = [], {}, []
        for reminders in wakeups:
            for on_loop in handlings:
                label = ("baseline: on the loop" if on_loop else "confbot: store thread") + (
                    "" if reminders else ", wake-ups excluded"
                )
                for condition in ("idle", "re-import"):
                    source = fosdem_db if condition == "idle" else big_db
                    db = tmp / "run.db"
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{db}{suffix}").unlink(missing_ok=True)
                    shutil.rmtree(f"{db}.index", ignore_errors=True)
                    shutil.copy(source, db)
                    if Path(f"{source}.index").is_dir():  # the saved search index travels with its database
                        shutil.copytree(f"{source}.index", f"{db}.index")
                    reimport = None
                    if condition == "re-import" and via == "sync":
                        shutil.copy(tmp / "big-v1.csv", source_file)  # each run syncs from the first version
                        sync = [
                            sys.executable,
                            "-m",
                            "adapters.cli",
                            "sync",
                            "--db",
                            str(db),
                            "--conference",
                            "bigconf",
                        ]
                        changed = f"cp {shlex.quote(str(tmp / 'big-v2.csv'))} {shlex.quote(str(source_file))}"
                        reimport = ["sh", "-c", f"{changed} && exec {shlex.join(sync)}"]
                    elif condition == "re-import":
                        reimport = [sys.executable, "-m", "adapters.cli", "import", str(tmp / "big-v2.csv"), "--db"]
                        reimport += [str(db), "--name", "bigconf", "--timezone", "UTC"]
                    log_path = tmp / "bot.log"
                    log_path.unlink(missing_ok=True)
                    with log_path.open("a") as log:
                        measured = _measure(db, texts, on_loop, reminders, reimport, log)
                    rows.append(measured.row(label, condition))
                    notes.extend(_why_unanswered(measured, f"{label}, {condition}", log_path))
                    key = "-".join(("loop" if on_loop else "thread", "reminders" if reminders else "no", condition))
                    figures[key] = percentile(measured.seconds + [float("inf")] * measured.failed, 99)
    print_table(
        f"Slack load: {CONCURRENT} concurrent signed /talks over HTTP; fosdem-2026 with {PEOPLE:,} people x "
        f"{SAVED_EACH} saved sessions; re-import: another process {'syncs' if via == 'sync' else 're-imports'} a "
        f"{big:,}-session conference, changed, while "
        f"bursts of {CONCURRENT} keep coming (targets: all within {DEADLINE:.0f} s, p99 <= 1 s)",
        HEADER,
        rows,
    )
    for line in notes:
        print(line)
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.slack_load")
    sub = parser.add_subparsers(dest="command")
    bot = sub.add_parser("serve", help="(used by the benchmark) run the bot over DB and print its URL")
    bot.add_argument("db")
    bot.add_argument("--on-loop", action="store_true")
    bot.add_argument("--no-reminders", action="store_true")
    parser.add_argument("--only", choices=["baseline", "confbot"], help="measure one handling only")
    parser.add_argument("--wakeups", choices=["on", "off"], help="measure with or without reminder wake-ups only")
    parser.add_argument("--big", type=int, default=BIG, help=f"sessions of the conference changed (default {BIG:,})")
    parser.add_argument("--via", choices=["import", "sync"], default="import", help="how it changes (default import)")
    args = parser.parse_args(argv)
    if args.command == "serve":
        serve(args.db, args.on_loop, not args.no_reminders)
        return
    handlings = {"baseline": (True,), "confbot": (False,)}.get(args.only or "", (True, False))
    run(handlings, {"on": (True,), "off": (False,)}.get(args.wakeups or "", (True, False)), args.big, args.via)


if __name__ == "__main__":
    main()
