"""The outbox paces sends to platform limits and honours 429 Retry-After without losing anything."""

from __future__ import annotations

import asyncio
import time

from bot.messages import Reply
from bot.notify import DeliveryError, Target
from bot.outbox import Limits, Outbox, TokenBucket
from tests.fakes import FakeNotifier


def test_token_bucket_spaces_reservations_at_its_rate() -> None:
    clock = [0.0]
    bucket = TokenBucket(rate=2.0, capacity=1.0, now=lambda: clock[0])
    assert [bucket.reserve() for _ in range(3)] == [0.0, 0.5, 1.0]
    clock[0] = 1.0
    assert bucket.reserve() == 0.5  # two taken in advance, one refilled since
    clock[0] = 10.0
    bucket.reserve()
    bucket.refund()  # refused by the platform: it did not count
    bucket.pause(3.0)
    assert bucket.reserve() == 3.0  # nothing before the pause ends
    assert bucket.reserve() == 3.5  # and the bucket refills only from then


def test_sends_to_one_channel_are_paced() -> None:
    inner = FakeNotifier()
    outbox = Outbox(inner, {"slack": Limits(per_channel=20.0, burst=1.0)})
    target = Target("slack", "T1", "C1", is_channel=True)

    async def burst() -> float:
        started = time.monotonic()
        await asyncio.gather(*(outbox.send(target, Reply(f"m{i}")) for i in range(6)))
        return time.monotonic() - started

    elapsed = asyncio.run(burst())
    assert len(inner.sent) == 6
    assert elapsed >= 5 / 20.0 * 0.9  # six messages at 20 a second need at least a quarter second


def test_other_channels_are_not_held_up_by_one_busy_channel() -> None:
    inner = FakeNotifier()
    outbox = Outbox(inner, {"slack": Limits(per_channel=1.0, burst=1.0)})

    async def spread() -> float:
        started = time.monotonic()
        await asyncio.gather(*(outbox.send(Target("slack", "T1", f"D{i}"), Reply("hi")) for i in range(10)))
        return time.monotonic() - started

    assert asyncio.run(spread()) < 0.5
    assert len(inner.sent) == 10


def test_429_is_retried_after_retry_after() -> None:
    inner = FakeNotifier(fail_with=[DeliveryError("ratelimited", retry_after=0.2)])
    outbox = Outbox(inner, {"slack": Limits(per_channel=100.0)})
    started = time.monotonic()
    asyncio.run(outbox.send(Target("slack", "T1", "C1"), Reply("once")))
    assert time.monotonic() - started >= 0.19
    assert [r.text for _, r in inner.sent] == ["once"]


def test_permanent_and_long_waits_go_back_to_the_dispatcher() -> None:
    for error in (DeliveryError("gone", permanent=True), DeliveryError("later", retry_after=600)):
        inner = FakeNotifier(fail_with=[error])
        outbox = Outbox(inner, {"slack": Limits()})
        try:
            asyncio.run(outbox.send(Target("slack", "T1", "C1"), Reply("x")))
        except DeliveryError as raised:
            assert raised is error
        else:
            raise AssertionError("the error should reach the dispatcher")
        assert inner.sent == []
