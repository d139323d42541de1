"""Channel announcements: admins only, one post per channel per slot, routed by track or room, and a digest."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

import pytest

from bot.messages import Incoming
from tests.fakes import ME, Core, build_core


@pytest.fixture
def core(tmp_path: Path) -> Core:
    return build_core(tmp_path, "2026-03-28T09:00:00+01:00")


def admin_says(core: Core, text: str, channel: str = "C-general") -> str:
    return core.conversation.handle(Incoming(ME, text, channel=channel, is_direct=False, is_admin=True)).text


def run_until(core: Core, moment: str) -> None:
    target = datetime.fromisoformat(moment)
    while (wake := core.dispatcher.next_wake()) is not None and wake <= target:
        core.clock.set(max(wake, core.clock.now()))
        asyncio.run(core.dispatcher.run_due())
    core.clock.set(target)
    asyncio.run(core.dispatcher.run_due())


def test_only_admins_in_a_channel_change_announcements(core: Core) -> None:
    member = core.conversation.handle(Incoming(ME, "announce here", channel="C1", is_direct=False))
    assert member.text.startswith("Only workspace admins can change announcements")
    in_dm = core.conversation.handle(Incoming(ME, "announce here", is_direct=True, is_admin=True))
    assert in_dm.text.startswith("Say this in the channel")
    assert core.ask("announce").text.startswith("No channel gets announcements yet")


def test_one_post_per_slot_listing_everything_starting(core: Core) -> None:
    assert (
        admin_says(core, "announce here")
        == "Done: this channel gets every session, 5 minutes ahead, one post per time slot."
    )
    run_until(core, "2026-03-28T15:00:00+01:00")
    posts = [(t, r) for t, r in core.notifier.sent if t.is_channel]
    # Sat slots from 09:00 on: 09:00 is already under way at 09:00 (skipped), then 10, 11, 12, 14, 15.
    starts = [r.cards[0].session.start.strftime("%H:%M") for _, r in posts]  # type: ignore[union-attr]
    assert starts == ["10:00", "11:00", "12:00", "14:00", "15:00"]
    assert all(t.address == "C-general" for t, _ in posts)
    assert posts[0][1].text == "📣 Starting in 5 minutes: 1 session."
    assert posts[0][1].private is False


def test_sessions_sharing_a_slot_share_a_post(tmp_path: Path) -> None:
    core = build_core(tmp_path, "2025-03-01T08:00:00+01:00", fixture="mini-frab.xml")
    core.import_file("mini-frab.xml")
    admin_says(core, "announce here 10 minutes before")
    run_until(core, "2025-03-01T12:00:00+01:00")
    texts = [r.text for _, r in core.notifier.sent]
    assert texts == [
        "📣 Starting in 10 minutes: 1 session.",
        "📣 Starting in 10 minutes: 1 session.",
        "📣 Starting in 10 minutes: 1 session.",
    ]


def test_track_routes_to_its_own_channel(core: Core) -> None:
    assert admin_says(core, "announce here track databases", "C-db").startswith(
        "Done: this channel gets the Databases track"
    )
    assert admin_says(core, "announce here track quantum", "C-q") == (
        "I don't know a track called 'quantum'. Say 'tracks' to see them all."
    )
    run_until(core, "2026-03-29T18:00:00+02:00")
    titles = [r.cards[0].session.title for _, r in core.notifier.sent]
    assert titles == ["DuckDB for analysts", "Scaling PostgreSQL", "Postgres replication deep dive"]
    listed = core.ask("announce").text
    assert "#C-db: the Databases track, 5 minutes ahead" in listed


def test_announce_off_stops_posts(core: Core) -> None:
    admin_says(core, "announce here")
    assert admin_says(core, "announce off") == "Done: no more announcements here."
    run_until(core, "2026-03-28T18:00:00+01:00")
    assert core.notifier.sent == []


def test_morning_digest(core: Core) -> None:
    admin_says(core, "announce here")
    assert admin_says(core, "announce digest on") == "Done: a morning digest of the day will be posted here."
    run_until(core, "2026-03-29T09:00:00+02:00")
    digests = [r for _, r in core.notifier.sent if r.text.startswith("☀")]
    assert [d.text for d in digests] == ["☀ Today, Sunday 29 March: 7 sessions."]


def test_announcements_are_not_repeated_after_a_restart(core: Core) -> None:
    from bot.reminders.service import make_dispatcher

    admin_says(core, "announce here")
    run_until(core, "2026-03-28T11:00:00+01:00")
    sent = len(core.notifier.sent)
    again = make_dispatcher(core.catalogs, core.agenda, core.notifier, core.clock, worker="restarted")
    asyncio.run(again.run_due())
    assert len(core.notifier.sent) == sent
