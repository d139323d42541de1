"""The outbox in front of the platforms: paces sends to each platform's limits and honours 429 Retry-After.

Limits are token buckets per platform, per workspace and per channel (Slack allows about one message a second
per channel with short bursts; Discord about 50 requests a second in all). A send waits for a token in every
bucket that applies. When a platform still answers 429, the message is retried after the Retry-After it gave
(a few times, inline); anything else that fails goes back to the dispatcher, which records it and retries
with backoff, so nothing is dropped silently. Each attempt has a deadline (waiting for a token does not count
against it): a hung request is abandoned and goes back to the dispatcher as a timeout. Buckets idle long
enough to be full again are dropped, so a conference's worth of DM channels does not stay in memory.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

from bot import metrics
from bot.messages import Reply
from bot.notify import DeliveryError, Notifier, Target

MAX_INLINE_RETRIES = 3
MAX_INLINE_WAIT = 30.0
ATTEMPT_TIMEOUT = 20.0  # seconds one request may take before it is abandoned
SWEEP_EVERY = 30.0  # seconds between looks for idle buckets


@dataclass(frozen=True)
class Limits:
    """Messages per second allowed in all, per workspace and per channel (None: no limit of that kind)."""

    per_platform: float | None = None
    per_workspace: float | None = None
    per_channel: float | None = None
    burst: float = 3.0


PLATFORM_LIMITS = {
    "slack": Limits(per_workspace=20.0, per_channel=1.0, burst=3.0),
    "discord": Limits(per_platform=50.0, per_channel=5.0, burst=5.0),
    "console": Limits(),
}


class TokenBucket:
    """Tokens refill at `rate` up to `capacity`. A send reserves a token, possibly one not yet refilled (the
    count goes negative), and learns how long to wait for it: senders are spaced exactly, without polling."""

    def __init__(self, rate: float, capacity: float, now: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.capacity = max(1.0, capacity)
        self.tokens = self.capacity
        self.now = now
        self.updated = now()

    def _refill(self) -> None:
        current = self.now()
        if current > self.updated:
            self.tokens = min(self.capacity, self.tokens + (current - self.updated) * self.rate)
            self.updated = current

    def reserve(self) -> float:
        """Take a token; return the seconds to wait before using it."""
        self._refill()
        wait = max(0.0, self.updated - self.now())
        if self.tokens < 1:
            wait += (1 - self.tokens) / self.rate
        self.tokens -= 1
        return wait

    def refund(self) -> None:
        """A request the platform refused did not count against its limit."""
        self.tokens = min(self.capacity, self.tokens + 1)

    def idle(self) -> bool:
        """Full again and not paused: forgetting it changes nothing about what may be sent next."""
        self._refill()
        return self.tokens >= self.capacity and self.updated <= self.now()

    def pause(self, seconds: float) -> None:
        """Nothing goes before `seconds` from now; refilling starts again after that."""
        self._refill()
        self.updated = max(self.updated, self.now() + seconds)


class Outbox:
    """A `Notifier` that wraps a platform's notifier with pacing and 429 handling."""

    def __init__(
        self,
        inner: Notifier,
        limits: dict[str, Limits] | None = None,
        attempt_timeout: float = ATTEMPT_TIMEOUT,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.inner = inner
        self.limits = limits or PLATFORM_LIMITS
        self.attempt_timeout = attempt_timeout
        self.now = now
        self.buckets: dict[tuple[str, ...], TokenBucket] = {}
        self.lock = asyncio.Lock()
        self.swept = now()

    def _sweep(self) -> None:
        if self.now() - self.swept < SWEEP_EVERY:
            return
        self.swept = self.now()
        for key in [k for k, bucket in self.buckets.items() if bucket.idle()]:
            del self.buckets[key]

    def _buckets(self, target: Target) -> list[tuple[TokenBucket, str]]:
        limits = self.limits.get(target.platform, Limits())
        wanted = [
            (("platform", target.platform), limits.per_platform),
            (("workspace", target.platform, target.workspace), limits.per_workspace),
            (("channel", target.platform, target.workspace, target.address), limits.per_channel),
        ]
        self._sweep()
        found = []
        for key, rate in wanted:
            if rate:
                if key not in self.buckets:
                    self.buckets[key] = TokenBucket(rate, min(limits.burst, rate), self.now)
                found.append((self.buckets[key], key[0]))
        return found

    async def _acquire(self, buckets: list[tuple[TokenBucket, str]]) -> None:
        # Reservations are made under the lock, so concurrent sends never overshoot; the waiting happens
        # outside it, so one paused channel never holds up the others.
        async with self.lock:
            wait = max((bucket.reserve() for bucket, _ in buckets), default=0.0)
        if wait > 0:
            await asyncio.sleep(wait)

    async def send(self, target: Target, reply: Reply) -> None:
        metrics.current().queued(1)
        try:
            await self._send(target, reply)
        finally:
            metrics.current().queued(-1)

    async def _send(self, target: Target, reply: Reply) -> None:
        buckets = self._buckets(target)
        for attempt in range(MAX_INLINE_RETRIES + 1):
            await self._acquire(buckets)
            try:
                async with asyncio.timeout(self.attempt_timeout):
                    await self.inner.send(target, reply)
                return
            except TimeoutError:
                raise DeliveryError(f"timeout: no answer within {self.attempt_timeout:g} s") from None
            except DeliveryError as exc:
                if exc.retry_after is not None:
                    metrics.current().rate_limited(target.platform)
                if exc.permanent or exc.retry_after is None or attempt == MAX_INLINE_RETRIES:
                    raise
                if exc.retry_after > MAX_INLINE_WAIT:
                    raise
                # The platform says when. A 429 does not say which limit was hit, so the workspace and the
                # channel both wait that long; a platform-wide pause only when the platform says it is global.
                for bucket, scope in buckets:
                    bucket.refund()
                    if exc.is_global or scope != "platform":
                        bucket.pause(exc.retry_after)

    async def delivered(self, target: Target) -> bool | None:
        """Whether the platform already has this message (after a timeout), when it can tell; None otherwise."""
        check = getattr(self.inner, "delivered", None)
        if check is None:
            return None
        found = await check(target)
        return None if found is None else bool(found)
