"""Sessions as Discord scheduled events, so the server's own Events list shows them; published again after a
schedule change, an event is updated, never duplicated."""

from __future__ import annotations

from typing import Any

import discord

from adapters.discord.embeds import cut
from bot.messages import Incoming, Reply
from bot.runtime import Runtime
from catalog.model import Session


def _sessions(runtime: Runtime, incoming: Incoming, what: str) -> list[tuple[str, Session]]:
    words = what.strip()
    if not words or words.lower() == "agenda":
        context = runtime.conversation.context(incoming)
        return context.saved_sessions()
    name = words[6:].strip() if words.lower().startswith("track ") else words
    index = runtime.search.engine().index
    wanted = name.casefold()
    scope = runtime.conversation.context(incoming).conference  # a track of the conference this guild talks about
    return [(scope, s) for s in index.sessions_of(scope or "") if s.track.casefold() == wanted]


async def publish_events(runtime: Runtime, guild: Any, incoming: Incoming, what: str) -> Reply:
    now = runtime.clock.now()
    chosen = [(c, s) for c, s in _sessions(runtime, incoming, what) if s.start and s.end and s.start > now]
    if not chosen:
        return Reply(f"No upcoming sessions for '{what}'. Try 'agenda' or 'track NAME' (exactly as listed).")
    db = runtime.catalogs.db
    created = updated = 0
    for conference, session in chosen:
        assert session.start is not None and session.end is not None
        row = db.execute(
            "SELECT event_id, start FROM platform_events WHERE platform = 'discord' AND workspace = ? "
            "AND conference = ? AND session_id = ?",
            [str(guild.id), conference, session.id],
        ).fetchone()
        fields = {
            "name": cut(session.title, 100),
            "start_time": session.start,
            "end_time": session.end,
            "location": cut(session.room or "To be announced", 100),
            "description": cut(
                ", ".join(session.speaker_names) + ("\n\n" if session.speakers else "") + session.abstract, 1000
            ),
        }
        if row is None:
            event = await guild.create_scheduled_event(
                entity_type=discord.EntityType.external, privacy_level=discord.PrivacyLevel.guild_only, **fields
            )
            created += 1
        else:
            if row[1] == session.start.isoformat():
                continue
            event = await guild.fetch_scheduled_event(int(row[0]))
            await event.edit(**fields)
            updated += 1
        db.table("platform_events").upsert(
            {
                "platform": "discord",
                "workspace": str(guild.id),
                "conference": conference,
                "session_id": session.id,
                "event_id": str(event.id),
                "start": session.start.isoformat(),
            },
            pk=("platform", "workspace", "conference", "session_id"),
        )
    return Reply(
        f"Server events: {created} created, {updated} updated, {len(chosen) - created - updated} already up to date."
    )


async def refresh_events(runtime: Runtime, client: Any) -> int:
    """After a schedule change: every published event whose session moved is updated to the new time and room."""
    rows = runtime.catalogs.db.execute(
        "SELECT workspace, conference, session_id, event_id, start FROM platform_events WHERE platform = 'discord'"
    ).fetchall()
    updated = 0
    for workspace, conference, session_id, event_id, start in rows:
        session = runtime.catalogs.session(conference, session_id)
        if session is None or session.start is None or session.end is None or session.start.isoformat() == start:
            continue
        guild = client.get_guild(int(workspace)) or await client.fetch_guild(int(workspace))
        event = await guild.fetch_scheduled_event(int(event_id))
        await event.edit(
            start_time=session.start, end_time=session.end, location=cut(session.room or "To be announced", 100)
        )
        runtime.catalogs.db.execute(
            "UPDATE platform_events SET start = ? WHERE platform = 'discord' AND workspace = ? AND conference = ? "
            "AND session_id = ?",
            [session.start.isoformat(), workspace, conference, session_id],
        )
        updated += 1
    return updated
