"""Buttons through the real Bolt app and the stand-in Slack: a press on a message others can see is answered to
the presser alone and leaves the message as it was; in a DM or on the presser's own answer it updates in place."""

from __future__ import annotations

import json
from datetime import datetime

from bot.messages import Person
from tests.test_slack import SlackBot, slack  # noqa: F401  (the fixture)


async def announcement(slack: SlackBot) -> dict[str, object]:  # noqa: F811
    slack.standin.admins.add("U7")
    await slack.command("announce here", user="U7", channel="C1")
    slack.clock.set(datetime.fromisoformat("2026-03-28T09:55:00+01:00"))
    await slack.runtime.dispatcher.run_due()
    posted = [b for b in slack.standin.named("chat.postMessage") if b.get("channel") == "C1"]
    assert posted and "Starting in 5 minutes" in posted[-1]["text"]
    return posted[-1]


def actions_in(message: dict[str, object]) -> list[dict[str, str]]:
    blocks = message["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]  # type: ignore[index,union-attr]


async def test_remind_on_a_channel_announcement_answers_only_the_presser(slack: SlackBot) -> None:  # noqa: F811
    await slack.command("remind 2", user="U9", channel="D9")  # the presser's own agenda, which no one else may see
    posted = await announcement(slack)
    button = next(a for a in actions_in(posted) if a["action_id"] == "confbot_remind")
    posts_before = len(slack.standin.named("chat.postMessage"))

    assert await slack.press("confbot_remind", button["value"], user="U9", where="channel", message=posted) == 200
    await slack.settle()

    answers = slack.standin.named("response_url")
    assert len(answers) == 1
    answer = answers[0]
    assert answer["response_type"] == "ephemeral" and answer["replace_original"] is False
    assert answer.get("delete_original") is False and "Saved" in answer["text"]
    assert slack.standin.named("chat.update") == []  # the announcement itself is untouched
    assert len(slack.standin.named("chat.postMessage")) == posts_before  # nothing new in the channel
    saved = slack.runtime.agenda.saved(Person("slack", "T1", "U9"))
    assert (("searchcon-2026", button["value"].split(":")[1])) in saved


async def test_a_press_on_a_dm_updates_that_message_in_place(slack: SlackBot) -> None:  # noqa: F811
    assert await slack.press("confbot_remind", "searchcon-2026:3", user="U2", where="dm") == 200
    await slack.settle()
    update = slack.standin.named("response_url")[-1]
    assert update["replace_original"] is True and "Saved" in update["text"]


async def test_a_press_on_a_shared_result_leaves_it_for_everyone(slack: SlackBot) -> None:  # noqa: F811
    shared = {"ts": "5.0", "text": "3 sessions for 'databases'", "user": "UBOT"}
    assert await slack.press("confbot_details", "searchcon-2026:3", user="U3", where="channel", message=shared) == 200
    await slack.settle()
    answer = slack.standin.named("response_url")[-1]
    assert answer["response_type"] == "ephemeral" and answer["replace_original"] is False
    assert "Scaling PostgreSQL" in json.dumps(answer["blocks"])


async def test_without_a_response_url_the_answer_is_posted_ephemeral(slack: SlackBot) -> None:  # noqa: F811
    shared = {"ts": "6.0", "text": "results", "user": "UBOT"}
    status = await slack.press(
        "confbot_remind", "searchcon-2026:3", user="U4", where="channel", message=shared, response_url=False
    )
    assert status == 200
    await slack.settle()
    ephemeral = slack.standin.named("chat.postEphemeral")
    assert ephemeral and ephemeral[-1]["user"] == "U4" and ephemeral[-1]["channel"] == "C1"
    assert slack.standin.named("response_url") == [] and slack.standin.named("chat.update") == []
