"""Buttons through the real discord.py client and the stand-in Discord: a press on a message others can see is
answered with an ephemeral message to the presser and never edits it; in a DM it updates in place."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.messages import Person
from tests.discord_standin import CHANNEL_ID, GUILD_ID, message, user
from tests.test_discord import ANN, DiscordBot, bot  # noqa: F401  (the fixture)

BOB = "600000000000000002"


async def press(
    bot: DiscordBot,  # noqa: F811
    custom_id: str,
    on: dict[str, Any],
    extra_channel: dict[str, Any] | None = None,
    **kw: Any,
) -> dict[str, Any]:
    before = len(bot.callbacks())
    extra: dict[str, Any] = {"message": on}
    if extra_channel is not None:
        extra.update(channel=extra_channel, channel_id=extra_channel["id"], context=2)
    payload = bot.standin.interaction(3, {"custom_id": custom_id, "component_type": 2}, extra=extra, **kw)
    await bot.standin.dispatch("INTERACTION_CREATE", payload)
    return dict(await bot.until(lambda: bot.callbacks()[before:] and bot.callbacks()[before]))


def edits(bot: DiscordBot) -> list[Any]:  # noqa: F811
    return [c for c in bot.standin.calls if c[0] == "PATCH" and "/messages/" in c[1]]


async def test_remind_on_a_channel_announcement_answers_only_the_presser(bot: DiscordBot) -> None:  # noqa: F811
    await bot.command("remind", [{"name": "session", "type": 3, "value": "searchcon-2026:2"}], user_id=BOB)
    await bot.command("announce", [{"name": "what", "type": 3, "value": "here"}], manage=True)
    bot.clock.set(datetime.fromisoformat("2026-03-28T09:55:00+01:00"))
    await bot.runtime.dispatcher.run_due()
    posted = bot.standin.named("POST", f"/channels/{CHANNEL_ID}/messages")[-1]
    assert posted["content"].startswith("📣 Starting in 5 minutes")
    ids = [c["custom_id"] for row in posted["components"] for c in row["components"]]
    custom_id = next(i for i in ids if i.startswith("confbot:remind:"))
    announcement = message(CHANNEL_ID, posted["content"], posted["embeds"], components=posted["components"])
    posts_before = len(bot.standin.named("POST", f"/channels/{CHANNEL_ID}/messages"))

    callback = await press(bot, custom_id, announcement, user_id=BOB)

    assert callback["type"] == 4 and callback["data"]["flags"] & 64  # a new message only Bob sees
    assert callback["data"]["content"].startswith("Saved")
    assert callback["data"]["allowed_mentions"] == {"parse": []}
    assert edits(bot) == []  # the announcement is not edited
    assert len(bot.standin.named("POST", f"/channels/{CHANNEL_ID}/messages")) == posts_before
    session = custom_id.split(":", 2)[2].split(":")[1]
    assert ("searchcon-2026", session) in bot.runtime.agenda.saved(Person("discord", GUILD_ID, BOB))
    assert ("searchcon-2026", session) not in bot.runtime.agenda.saved(Person("discord", GUILD_ID, ANN))


async def test_a_press_on_a_shared_result_is_answered_privately(bot: DiscordBot) -> None:  # noqa: F811
    custom_id = "confbot:details:searchcon-2026:3"
    row = [{"type": 1, "components": [{"type": 2, "style": 2, "label": "Details", "custom_id": custom_id}]}]
    callback = await press(bot, custom_id, message(CHANNEL_ID, "shared results", components=row))
    assert callback["type"] == 4 and callback["data"]["flags"] & 64
    assert callback["data"]["embeds"][0]["title"].endswith("Scaling PostgreSQL")


async def test_a_press_in_a_dm_updates_in_place(bot: DiscordBot) -> None:  # noqa: F811
    custom_id = "confbot:remind:searchcon-2026:3"
    row = [{"type": 1, "components": [{"type": 2, "style": 3, "label": "Remind me", "custom_id": custom_id}]}]
    callback = await press(bot, custom_id, message("720000000000000001", "results", components=row), guild=False)
    assert callback["type"] == 7 and callback["data"]["content"].startswith("Saved")


async def test_a_press_in_a_group_dm_is_answered_privately(bot: DiscordBot) -> None:  # noqa: F811
    """A user-installed app in a group DM: no guild, yet others see the message."""
    group = "730000000000000001"
    custom_id = "confbot:remind:searchcon-2026:3"
    row = [{"type": 1, "components": [{"type": 2, "style": 3, "label": "Remind me", "custom_id": custom_id}]}]
    channel = {
        "id": group,
        "type": 3,
        "recipients": [user(ANN), user(BOB)],
        "owner_id": BOB,
        "name": None,
        "icon": None,
    }
    callback = await press(
        bot, custom_id, message(group, "results", components=row), guild=False, extra_channel=channel
    )
    assert callback["type"] == 4 and callback["data"]["flags"] & 64
