"""Channel announcements: "starting soon" posts before each slot, set up by workspace or guild admins."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.commands.registry import command
from bot.context import Context
from bot.messages import Reply
from bot.store.channels import DEFAULT_ANNOUNCE_MINUTES, ChannelStore, Route

_LEAD = re.compile(r"\b(\d{1,3})\s*(?:m|min|mins|minutes)?\s*(?:before|ahead)?\s*$")
MAX_ANNOUNCE_MINUTES = 120


@command("announce", usage="announce here [track NAME | room NAME] [N minutes before] | announce off", admin=True)
def announce(ctx: Context, args: str) -> Reply:
    """Post "starting soon" here before each time slot.

    "announce here" posts every session, 5 minutes ahead, one post per slot; "announce here track Rust" or
    "announce here room Janson 2 minutes before" routes one track or room here; "announce digest on" adds a
    morning list of the day; "announce off" stops posts in this channel; "announce" shows what is set up.
    """
    channels = ChannelStore(ctx.agenda.db)
    person = ctx.person
    text = " ".join(args.split())
    lowered = text.lower()
    if not lowered:
        routes = channels.routes(person.platform, person.workspace)
        if not routes:
            return Reply("No channel gets announcements yet. An admin can say 'announce here' in one.")
        return Reply("Announcements:\n" + "\n".join(f"  #{r.channel}: {r.describe()}" for r in routes))
    if not ctx.incoming.is_admin:
        return Reply(
            "Only workspace admins can change announcements; ask one of them to say 'announce here' in the channel."
        )
    channel = ctx.incoming.channel
    if not channel or ctx.incoming.is_direct:
        return Reply("Say this in the channel that should get the announcements, not in a direct message.")
    if lowered in ("off", "stop", "none"):
        removed = channels.remove_channel(person.platform, person.workspace, channel)
        return Reply("Done: no more announcements here." if removed else "This channel had no announcements.")
    if lowered.startswith("digest"):
        routes = [r for r in channels.routes(person.platform, person.workspace) if r.channel == channel]
        if not routes:
            return Reply("Set up announcements here first with 'announce here'.")
        on = lowered.split()[-1] not in ("off", "no", "false")
        for route in routes:
            channels.add(replace(route, digest=on), ctx.now())
        return Reply("Done: a morning digest of the day will be posted here." if on else "Done: no morning digest.")
    if not lowered.startswith("here"):
        return Reply("Try 'announce here', 'announce here track Rust', 'announce digest on' or 'announce off'.")
    rest = text[4:].strip()
    lead = DEFAULT_ANNOUNCE_MINUTES
    match = _LEAD.search(rest)
    if match:
        lead = int(match.group(1))
        rest = rest[: match.start()].strip()
        if lead > MAX_ANNOUNCE_MINUTES:
            return Reply(f"Announcements can come at most {MAX_ANNOUNCE_MINUTES} minutes ahead.")
    scope, value = "all", ""
    words = rest.split(maxsplit=1)
    if words and words[0].lower() in ("track", "room"):
        scope = words[0].lower()
        if len(words) < 2:
            return Reply(f"Which {scope}? Say 'announce here {scope} NAME'.")
        value = _known(ctx, scope, words[1])
        if not value:
            return Reply(f"I don't know a {scope} called '{words[1]}'. Say '{scope}s' to see them all.")
    elif rest:
        return Reply("Try 'announce here', 'announce here track Rust' or 'announce here room Janson'.")
    route = Route(
        person.platform, person.workspace, channel, ctx.conference or "", scope, value, lead, created_by=person.user
    )
    channels.add(route, ctx.now())
    if ctx.incoming.stand_in:
        return Reply(
            "The console has no channels: announcements are for Slack and Discord, where an admin says "
            f"'announce here' in the channel that should get them. To try them, the console now stands in for one "
            f"and prints {route.describe()}, one post per time slot, as #{channel}."
        )
    return Reply(f"Done: this channel gets {route.describe()}, one post per time slot.")


def _known(ctx: Context, scope: str, name: str) -> str:
    """The exact track or room name a person meant, matched the way search matches them."""
    from bot.search.text import compact

    wanted = compact(name)
    index = ctx.engine().index
    names = (
        sorted({n for slug, tracks in index.tracks.items() if slug == ctx.conference for n in tracks})
        if scope == "track"
        else sorted({room for slug, rooms in index.rooms.items() if slug == ctx.conference for room in rooms})
    )
    exact = [n for n in names if compact(n) == wanted]
    if exact:
        return exact[0]
    partial = [n for n in names if wanted and wanted in compact(n)]
    return partial[0] if len(partial) == 1 else ""
