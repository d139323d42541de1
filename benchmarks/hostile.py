"""What the hostile-input defences cost, beside the unguarded way timed in the same run.

- Slack's front door: the replay guard (header check, signature, replay cache) per request, beside slack-sdk's
  signature check alone, which is what Bolt did before; with the cache holding a busy window of requests.
- Rendering a search answer of ten cards for Slack and Discord with every link checked and every field clipped,
  beside the same renderers with those checks swapped out for what stood there before.

Run: `python -m benchmarks.hostile`.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import discord
from slack_sdk.signature import SignatureVerifier

from adapters.discord.embeds import render as discord_render
from adapters.slack.blocks import render as slack_render
from adapters.slack.verify import ReplayGuard
from benchmarks.common import print_table
from bot.messages import Card, Reply
from catalog.model import Session, Speaker

SECRET = "bench-secret"


def best_of(runs: int, work: Callable[[], object], repeat: int) -> float:
    """Microseconds per call, the best of `runs` rounds of `repeat` calls (a shared machine is noisy)."""
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        for _ in range(repeat):
            work()
        best = min(best, (time.perf_counter() - started) / repeat)
    return best * 1e6


def signed(i: int, now: int) -> tuple[bytes, dict[str, str]]:
    body = f"command=%2Ftalks&text=rust+{i}&team_id=T1&user_id=U{i}".encode()
    digest = hmac.new(SECRET.encode(), f"v0:{now}:".encode() + body, hashlib.sha256).hexdigest()
    return body, {"X-Slack-Request-Timestamp": str(now), "X-Slack-Signature": f"v0={digest}"}


def front_door() -> list[list[str]]:
    now = int(time.time())
    requests = [signed(i, now) for i in range(20_000)]
    verifier = SignatureVerifier(SECRET)
    guard = ReplayGuard(SECRET)
    for body, headers in requests[:10_000]:  # a busy window already remembered
        guard.refuse(body, headers)
    fresh = iter(requests[10_000:])

    def guarded() -> None:
        body, headers = next(fresh)
        assert guard.refuse(body, headers) == ""

    def bare() -> None:
        body, headers = requests[0]
        assert verifier.is_valid(body, headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"])

    ours = best_of(5, guarded, 1_000)
    base = best_of(5, bare, 1_000)
    return [
        ["replay guard (headers, signature, cache of 10k+)", f"{ours:.1f}"],
        ["baseline: slack-sdk signature check alone", f"{base:.1f}"],
    ]


@contextmanager
def unguarded() -> Iterator[None]:
    """The same renderers with the new checks swapped for what stood there before: a URL used as given, text
    escaped whole and cut afterwards, Discord text escaped with discord.py's helpers alone."""
    from adapters.discord import embeds
    from adapters.slack import blocks

    saved = (blocks.web_url, blocks.clip, embeds.web_url, embeds.unping)
    blocks.web_url = embeds.web_url = lambda url: url  # type: ignore[assignment]
    blocks.clip = lambda text, limit: blocks.escape(text)  # type: ignore[assignment]
    embeds.unping = discord.utils.escape_mentions  # type: ignore[assignment]
    try:
        yield
    finally:
        blocks.web_url, blocks.clip, embeds.web_url, embeds.unping = saved  # type: ignore[assignment]


def renderers() -> list[list[str]]:
    start = datetime(2026, 3, 28, 9, tzinfo=UTC)
    cards = tuple(
        Card(
            "c",
            Session(
                str(i),
                f"Scaling PostgreSQL <{i}> & friends @here",
                room="K.3.201",
                track="Databases",
                speakers=(Speaker("Jana Čermák"), Speaker("Ruth Berg")),
                start=start + timedelta(hours=i),
                end=start + timedelta(hours=i, minutes=45),
                url=f"https://fosdem.org/2026/schedule/event/{i}/?a=1&b=2",
                abstract="An abstract of some length. " * 20,
            ),
            "Europe/Brussels",
            number=i + 1,
            why=("title",),
        )
        for i in range(10)
    )
    reply = Reply("10 sessions for 'postgres':", cards)
    rows = []
    for name, render in (("Slack blocks", slack_render), ("Discord embeds", discord_render)):
        ours = best_of(5, lambda: render(reply), 200)  # noqa: B023
        with unguarded():
            base = best_of(5, lambda: render(reply), 200)  # noqa: B023
        rows.append([f"{name}, ten cards, links checked and fields clipped", f"{ours:.1f}"])
        rows.append([f"baseline: {name}, the same without those checks", f"{base:.1f}"])
    return rows


def run() -> None:
    header = ["what (per call)", "µs"]
    print_table("Hostile-input defences: cost per Slack request and per rendered answer", header, front_door())
    print_table("", header, renderers())


if __name__ == "__main__":
    run()
