"""Each person's settings: how long before a session to be reminded, and the zone to show times in."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.commands.registry import command
from bot.commands.scope import CLEAR, set_conference
from bot.context import Context
from bot.messages import Reply
from catalog.errors import CatalogError
from catalog.text import counted
from catalog.times import zone

MAX_LEAD_MINUTES = 24 * 60
_LEAD = re.compile(r"^(?:lead|lead time|remind|reminder|reminders|minutes)\s+(-?\d+)\s*(?:m|min|mins|minutes)?$")
_ZONE = re.compile(r"^(?:tz|timezone|time zone|zone)\s+(\S+)$")
_CONFERENCE = re.compile(r"^(?:conference|conf|event)\s+(.+)$", re.IGNORECASE)


@command(
    "settings",
    usage="settings [lead MINUTES | timezone ZONE | conference NAME]",
    aliases=("setting", "set", "einstellungen"),
)
def settings(ctx: Context, args: str) -> Reply:
    """Your reminder lead time, time zone and conference.

    "settings lead 15" reminds you 15 minutes before each saved session (0 to 1440).
    "settings timezone Europe/Paris" shows times in that zone where your chat app cannot show your own;
    "settings timezone off" (or auto, reset, default) goes back to each conference's zone.
    "settings conference fosdem-2026" chooses the conference I answer about when several are loaded: for you,
    or, said by an admin in a channel, for that channel ("settings conference fosdem-2026 everywhere" for the
    whole workspace); "settings conference auto" follows the calendar again.
    """
    current = ctx.settings()
    text = " ".join(args.lower().split())
    if not text:
        shown = current.timezone or "the conference's own zone"
        scope = ctx.scope()
        about = f" I answer about {scope.label}." if scope and scope.several else ""
        return Reply(
            f"Reminders come {counted(current.lead_minutes, 'minute')} before a session;"
            f" times are shown in {shown}.{about}\n"
            "Change them with 'settings lead 15', 'settings timezone Europe/Paris' or 'settings conference NAME'."
        )
    chosen = _CONFERENCE.match(" ".join(args.split()))
    if chosen:
        return set_conference(ctx, chosen.group(1))
    lead = _LEAD.match(text)
    if lead:
        minutes = int(lead.group(1))
        if not 0 <= minutes <= MAX_LEAD_MINUTES:
            return Reply(
                f"The lead time must be between 0 and {MAX_LEAD_MINUTES} minutes (a day); it stays at "
                f"{current.lead_minutes}."
            )
        ctx.update_settings(replace(current, lead_minutes=minutes))
        return Reply(f"Done: reminders now come {counted(minutes, 'minute')} before each session you saved.")
    zone_match = _ZONE.match(" ".join(args.split()))
    if zone_match:
        name = zone_match.group(1)
        if name.lower() in (*CLEAR, "conference"):  # the words 'switch to auto' takes back a conference with
            ctx.update_settings(replace(current, timezone=""))
            return Reply("Done: times are shown in each conference's own zone.")
        try:
            zone(name)
        except CatalogError:
            return Reply(
                f"I don't know the time zone '{name}'; use a name such as Europe/Brussels or America/New_York."
            )
        ctx.update_settings(replace(current, timezone=name))
        return Reply(f"Done: times are shown in {name}.")
    return Reply("I didn't understand that setting. Try 'settings lead 15' or 'settings timezone Europe/Paris'.")
