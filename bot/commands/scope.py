"""Choosing the conference a conversation is about: 'switch to 38c3', 'settings conference fosdem-2026'.

An admin in a channel sets it for the channel ("... everywhere" for the whole workspace or guild); anyone
else sets it for themselves. A channel an admin set, or a bot started with --conference, stays put.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, time

from bot.commands.registry import command
from bot.context import Context
from bot.messages import Reply
from bot.scope import label
from bot.scope_names import Choice, choose
from catalog.errors import CatalogError
from catalog.model import Conference
from catalog.text import shown
from catalog.times import tz_from_name

# What `confbot catalogs` calls the conferences: the same list in chat, but only as a word on its own.
LISTING_ONLY = ("catalogs", "catalog", "kataloge")
WHOLE_WORKSPACE = ("everywhere", "workspace", "server", "guild", "for everyone", "for the workspace", "all channels")
BACK = re.compile(r"^(?:back|again)(?: to\b)?\s*")
CLEAR = ("off", "auto", "automatic", "none", "default", "reset", "clear")
PICKED = {"running": "running now", "next": "the next to start", "recent": "the most recent"}
ALSO_SHOWN = 4
WHY = {
    "explicit": "the bot was started with --conference",
    "channel": "an admin set it for this channel",
    "personal": "you chose it",
    "workspace": "an admin set it for the whole workspace",
    "config": "the configuration says so",
    "running": "it is running now",
    "next": "it is the next to start",
    "recent": "it is the most recent",
    "only": "it is the only one loaded",
    "asked": "you named it",
}


def pinned_message(ctx: Context, wanted: str) -> str:
    scope = ctx.scope()
    assert scope is not None
    conf = ctx.conference_info(wanted)
    name = label(conf) if conf else wanted
    if scope.source == "explicit":
        return f"This bot answers about {scope.label} only (started with --conference); {name} is not available here."
    return (
        f"This channel is set to {scope.label} by an admin. Ask me about {name} in a direct message, "
        "or ask an admin to say 'settings conference …' here."
    )


def conference_list(ctx: Context) -> str:
    scope = ctx.scope()
    lines = []
    for conf in ctx.catalogs.conferences():
        mark = "→" if scope and conf.slug == scope.slug else " "
        when = f"{conf.start:%d %b %Y}" if conf.start else "dates not yet known"
        lines.append(f" {mark} {label(conf)}  ({conf.slug}, {when})")
    return "\n".join(lines)


def set_conference(ctx: Context, text: str, personal: bool = False) -> Reply:
    """`personal`: 'switch to X' is one person's choice even from an admin; 'settings conference X' from an admin
    in a channel (or with 'everywhere') sets it for everyone there."""
    words = " ".join(text.lower().split())
    everywhere = next((w for w in WHOLE_WORKSPACE if words.endswith(" " + w)), "")
    name = words[: -len(everywhere)].strip() if everywhere else words
    name = BACK.sub("", name)  # 'switch back to fosdem': going back is switching too
    person, incoming = ctx.person, ctx.incoming
    in_channel = bool(incoming.channel) and not incoming.is_direct
    scope = ctx.scope()
    if scope and scope.source == "explicit":
        return Reply(pinned_message(ctx, name))
    if not name:
        return Reply(f"Which conference? Say 'switch to <name>'. Loaded:\n{conference_list(ctx)}")
    choice = Choice()
    if name in CLEAR:
        conf_slug = ""
    else:
        choice = choose(list(ctx.whole().index.conferences.values()), name, ctx.now())
        if choice.ambiguous:
            found = choice.ambiguous
            which = " or ".join(f"'switch to {c.slug}' ({label(c)})" for c in found[:4])
            return Reply(f"'{shown(name, 60)}' fits {len(found)} conferences: say {which}.")
        if choice.chosen is None:
            return Reply(f"I don't know a conference called '{name}'. Loaded:\n{conference_list(ctx)}")
        conf_slug = choice.chosen.slug
    picked = ctx.conference_info(conf_slug) if conf_slug else None
    chosen = label(picked) if picked else "the conference of the moment"
    ending = "."  # or which of a series, and the others it fits: 'FOSDEM 2025, the next to start. …'
    if conf_slug and choice.others:
        ending = f", {PICKED.get(choice.why, 'chosen')}. {also_fits(name, choice.others)}"
    if incoming.is_admin and not personal and (everywhere or in_channel):
        channel = "" if everywhere else incoming.channel
        ctx.agenda.set_channel_conference(person.platform, person.workspace, channel, conf_slug, person.user, ctx.now())
        where = "the whole workspace" if everywhere else "this channel"
        return Reply(f"Done: in {where} I now answer about {chosen}{ending}")
    if everywhere and personal:
        return Reply(
            "'switch' is your own choice; to set the conference for everyone say 'settings conference NAME everywhere'."
        )
    if everywhere:
        return Reply("Only workspace admins can choose the conference for everyone; say it without 'everywhere'.")
    if scope and scope.source == "channel" and in_channel and ctx.locked():
        return Reply(pinned_message(ctx, conf_slug or scope.slug))
    ctx.update_settings(replace(ctx.settings(), conference=conf_slug))
    return Reply(f"Done: I now answer you about {chosen}{ending}{own_zone_note(ctx, picked)}")


def also_fits(name: str, others: tuple[Conference, ...]) -> str:
    """The other conferences a series name fits, so a switch to 'fosdem' says which FOSDEM and that there are more."""
    slugs = [c.slug for c in others[:ALSO_SHOWN]]
    more = f" and {len(others) - ALSO_SHOWN} more" if len(others) > ALSO_SHOWN else ""
    listed = ", ".join(slugs) if more or len(slugs) < 2 else f"{', '.join(slugs[:-1])} and {slugs[-1]}"
    return f"'{shown(name, 40)}' also fits {listed}{more}: say 'switch to {others[0].slug}' for one of them."


def own_zone_note(ctx: Context, conf: Conference | None) -> str:
    """Someone who set their own zone and moves to a conference whose clocks differ would read its 09:00 talks at
    another hour without a word why; say once, as they switch, whose times they will see."""
    mine = ctx.settings().timezone
    if not mine or conf is None or not conf.timezone or conf.start is None:
        return ""
    try:
        noon = datetime.combine(conf.start, time(12), tzinfo=tz_from_name(conf.timezone))
        if noon.utcoffset() == noon.astimezone(tz_from_name(mine)).utcoffset():
            return ""
    except CatalogError:  # a zone that no longer exists names nothing to compare
        return ""
    return f" Times in {mine}: 'settings timezone off' for the conference's own ({conf.timezone})."


@command(
    "switch",
    usage="switch to <conference>",
    aliases=("switch to", "use conference", "change conference", "wechsle zu", "wechseln zu"),
)
def switch(ctx: Context, args: str) -> Reply:
    """Ask about another conference ("switch to 38c3").

    "switch to fosdem 2025" works too, and so do words of its title, its initials or a typo ("switch to data ai
    summit", "switch to lca"); when two conferences fit alike I ask which one. A series ("switch to fosdem",
    "switch to ccc") picks the edition running now, else the next, else the latest, and names the others.

    You can also name it in a question: "fosdem 2025 talks on rust", "rust at 38c3". A switch is yours alone,
    even an admin's ('settings conference NAME' from an admin sets a channel, add "everywhere" for the whole
    workspace); "switch to auto" goes back to the conference running now (else the next one).
    """
    return set_conference(ctx, args, personal=True)


@command(
    "conferences",
    usage="conferences",
    aliases=("conference", "which conference", "events loaded", "konferenzen", "welche konferenz") + LISTING_ONLY,
)
def conferences(ctx: Context, args: str) -> Reply:
    """Which conferences I know, and which one I answer about here."""
    if args.strip() and ctx.incoming.text.lower().startswith(LISTING_ONLY):
        from bot.commands.search import run_search  # 'catalog of talks' asks the schedule, not to switch

        return run_search(ctx, ctx.incoming.text)
    if args.strip():
        return set_conference(ctx, args)
    scope = ctx.scope()
    assert scope is not None
    return Reply(
        f"I answer about {scope.label} here because {WHY.get(scope.source, 'it was chosen')}.\n"
        f"{conference_list(ctx)}\nSay 'switch to <name>' to ask about another."
    )
