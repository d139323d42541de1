"""The discord.py client: `/talks` app commands with autocomplete, DMs and mentions, persistent buttons.

Thin by design: each handler builds an `Incoming`, asks the conversation core (`runtime.ask`, in its store
thread, so the gateway's loop keeps answering heartbeats and other interactions) and renders the `Reply`.
Autocomplete answers from the in-memory index (at most 25 choices, well inside Discord's 3 seconds); slow
work (export, sync, scheduled events) is deferred first and followed up.
"""

from __future__ import annotations

import io
import logging
import re
from typing import Any

import discord
from discord import app_commands

from adapters.discord.embeds import cut, render
from adapters.discord.events import publish_events, refresh_events
from adapters.discord.incoming import from_interaction, from_message
from bot.messages import Action, Reply
from bot.runtime import Runtime

log = logging.getLogger("confbot.discord")
NONE = discord.AllowedMentions.none()
MAX_CHOICES = 25
STYLES = {"remind": discord.ButtonStyle.success, "forget": discord.ButtonStyle.danger}


class ConfbotButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"confbot:(?P<kind>[a-z]+):(?P<value>.*)"):
    """A button whose custom id carries what it does, so it keeps working after a restart."""

    def __init__(self, kind: str, value: str, label: str = "") -> None:
        super().__init__(
            discord.ui.Button(
                label=label or kind.title(),
                style=STYLES.get(kind, discord.ButtonStyle.secondary),
                custom_id=cut(f"confbot:{kind}:{value}", 100),
            )
        )
        self.kind = kind
        self.value = value

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Button[Any], match: re.Match[str]
    ) -> ConfbotButton:
        return cls(match["kind"], match["value"], item.label or "")

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        client = interaction.client
        assert isinstance(client, ConfbotClient)
        if self.kind == "share":
            reply = await client.runtime.ask(from_interaction(interaction, self.value))
            await client.respond(interaction, reply, ephemeral=False)
            return
        reply = await client.runtime.ask(from_interaction(interaction, action=self.kind, value=self.value))
        if not seen_only_by_presser(interaction):  # an announcement or a shared result: answer the presser alone
            await client.respond(interaction, reply, ephemeral=True)
            return
        rendered = render(reply)
        await interaction.response.edit_message(
            content=rendered.content, embeds=rendered.embeds, view=view_for(rendered.actions), allowed_mentions=NONE
        )


def seen_only_by_presser(interaction: discord.Interaction[Any]) -> bool:
    """A button in a DM or on the presser's own ephemeral answer may be edited in place; on a message others see
    (an announcement, a shared result) an edit would show everyone the presser's reply and their agenda."""
    message = interaction.message
    one_to_one = getattr(interaction.channel, "type", None) == discord.ChannelType.private  # not a group DM
    return (interaction.guild_id is None and one_to_one) or (message is not None and message.flags.ephemeral)


def view_for(actions: list[Action], share: str = "") -> discord.ui.View | None:
    items = [ConfbotButton(a.kind, a.value, a.label) for a in actions]
    if share:
        items.append(ConfbotButton("share", share, "Share in channel"))
    if not items:
        return None
    view = discord.ui.View(timeout=None)
    for item in items[:25]:
        view.add_item(item)
    return view


class ConfbotClient(discord.Client):
    def __init__(self, runtime: Runtime, guild_ids: list[int] | None = None, **options: Any) -> None:
        # No privileged intents: Discord gives a bot the text of DMs and of messages that mention it anyway.
        super().__init__(intents=discord.Intents.default(), allowed_mentions=NONE, **options)
        self.runtime = runtime
        self.guild_ids = guild_ids or []
        self.tree = app_commands.CommandTree(self)
        self.tree.add_command(talks_group(self))
        runtime.after_sync.append(lambda: refresh_events(runtime, self))
        self.gateway_up = False  # for health: follows ready/resumed and disconnect

    async def on_ready(self) -> None:
        self.gateway_up = True

    async def on_resumed(self) -> None:
        self.gateway_up = True

    async def on_disconnect(self) -> None:
        self.gateway_up = False

    async def setup_hook(self) -> None:
        self.add_dynamic_items(ConfbotButton)
        self.runtime.scheduler.start()
        if self.guild_ids:  # per guild: available at once; global commands take up to an hour to appear
            for guild_id in self.guild_ids:
                guild = discord.Object(id=guild_id)
                self.tree.copy_global_to(guild=guild)
                await self.tree.sync(guild=guild)
        else:
            await self.tree.sync()

    async def respond(
        self, interaction: discord.Interaction[Any], reply: Reply, *, ephemeral: bool, share: str = ""
    ) -> None:
        rendered = render(reply)
        view = view_for(rendered.actions, share if ephemeral else "")
        kwargs: dict[str, Any] = {"content": rendered.content, "embeds": rendered.embeds, "allowed_mentions": NONE}
        if view is not None:
            kwargs["view"] = view
        if reply.attachment is not None:
            kwargs["file"] = discord.File(io.BytesIO(reply.attachment.content), filename=reply.attachment.filename)
        if interaction.response.is_done():
            await interaction.followup.send(ephemeral=ephemeral, **kwargs)
        else:
            await interaction.response.send_message(ephemeral=ephemeral, **kwargs)

    async def ask(self, interaction: discord.Interaction[Any], text: str, *, slow: bool = False) -> None:
        ephemeral = interaction.guild_id is not None  # in a server: only the asker sees it, unless shared
        if slow:
            await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        incoming = from_interaction(interaction, text)
        reply = await (self.runtime.ask_slow(incoming) if slow else self.runtime.ask(incoming))
        await self.respond(interaction, reply, ephemeral=ephemeral, share=text)

    async def close(self) -> None:
        self.runtime.close()
        await super().close()

    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or self.user is None:
            return
        mentioned = message.guild is not None and self.user in message.mentions
        if message.guild is not None and not mentioned:
            return
        reply = await self.runtime.ask(from_message(message))
        rendered = render(reply)
        kwargs: dict[str, Any] = {"content": rendered.content, "embeds": rendered.embeds, "allowed_mentions": NONE}
        view = view_for(rendered.actions)
        if view is not None:
            kwargs["view"] = view
        if mentioned:
            kwargs["reference"] = message
        await message.channel.send(**kwargs)


def talks_group(client: ConfbotClient) -> app_commands.Group:
    group = app_commands.Group(name="talks", description="Search the schedule, keep your agenda, get reminded")

    async def sessions(interaction: discord.Interaction[Any], current: str) -> list[app_commands.Choice[str]]:
        """Up to 25 matching titles from the in-memory index."""
        if not current.strip():
            return []
        runtime, incoming = client.runtime, from_interaction(interaction)
        result = await runtime.in_store(  # the scope's sessions, read in the thread that owns the store
            lambda: (
                runtime.conversation.context(incoming)
                .engine()
                .search(current, now=runtime.clock.now(), limit=MAX_CHOICES)
            )
        )
        return [
            app_commands.Choice(
                name=cut(h.session.title.strip() or "(untitled)", 100), value=cut(f"{h.conference}:{h.session.id}", 100)
            )
            for h in result.hits[:MAX_CHOICES]
        ]

    async def titles(interaction: discord.Interaction[Any], current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=c.name, value=c.name) for c in await sessions(interaction, current)]

    @group.command(name="search", description="Find talks by topic, speaker, track or time; typos are fine")
    @app_commands.describe(query="e.g. talks on rust, who is lennart, databases tomorrow afternoon")
    @app_commands.autocomplete(query=titles)
    async def search(interaction: discord.Interaction[Any], query: str) -> None:
        await client.ask(interaction, query)

    @group.command(name="now", description="What is running right now")
    async def now(interaction: discord.Interaction[Any]) -> None:
        await client.ask(interaction, "now")

    @group.command(name="next", description="What starts next, by time slot")
    async def next_(interaction: discord.Interaction[Any]) -> None:
        await client.ask(interaction, "next")

    @group.command(name="about", description="Everything about one session")
    @app_commands.autocomplete(session=sessions)
    async def about(interaction: discord.Interaction[Any], session: str) -> None:
        await client.ask(interaction, f"about {session}")

    @group.command(name="remind", description="Save a session to your agenda and get a reminder")
    @app_commands.autocomplete(session=sessions)
    async def remind(interaction: discord.Interaction[Any], session: str) -> None:
        await client.ask(interaction, f"remind {session}")

    @group.command(name="forget", description="Drop a session from your agenda")
    @app_commands.autocomplete(session=sessions)
    async def forget(interaction: discord.Interaction[Any], session: str) -> None:
        await client.ask(interaction, f"forget {session}")

    @group.command(name="agenda", description="Your saved sessions, reminder times and clashes")
    async def agenda(interaction: discord.Interaction[Any]) -> None:
        await client.ask(interaction, "agenda")

    @group.command(name="export", description="Your agenda as a calendar (.ics) file")
    async def export(interaction: discord.Interaction[Any]) -> None:
        await client.ask(interaction, "export", slow=True)

    @group.command(name="settings", description="Reminder lead time (minutes), time zone and conference")
    async def settings(
        interaction: discord.Interaction[Any],
        lead: int | None = None,
        timezone: str | None = None,
        conference: str | None = None,
    ) -> None:
        text = (
            f"settings lead {lead}"
            if lead is not None
            else f"settings timezone {timezone}"
            if timezone
            else f"settings conference {conference}"
            if conference
            else "settings"
        )
        await client.ask(interaction, text)

    @group.command(name="help", description="What confbot understands")
    async def help_(interaction: discord.Interaction[Any], command: str | None = None) -> None:
        await client.ask(interaction, f"help {command or ''}".strip())

    @group.command(name="announce", description="Starting-soon posts in this channel (Manage Server)")
    @app_commands.describe(what="here · here track Rust · here room Janson 2 minutes before · digest on · off")
    async def announce(interaction: discord.Interaction[Any], what: str = "") -> None:
        await client.ask(interaction, f"announce {what}".strip())

    @group.command(name="sync", description="Re-read the schedule and tell people what changed (Manage Server)")
    async def sync(interaction: discord.Interaction[Any], force: bool = False) -> None:
        await client.ask(interaction, "sync --force" if force else "sync", slow=True)
        await client.runtime.synced()

    events = app_commands.Group(name="events", description="Discord scheduled events for sessions", parent=group)

    @events.command(name="publish", description="Create or update server events for a track or your agenda")
    @app_commands.describe(what="agenda, or track NAME")
    async def publish(interaction: discord.Interaction[Any], what: str = "agenda") -> None:
        if not (interaction.guild_id and interaction.permissions.manage_guild):
            await client.respond(
                interaction, Reply("Only members with Manage Server can publish server events."), ephemeral=True
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        guild = interaction.guild or await client.fetch_guild(interaction.guild_id)
        reply = await publish_events(client.runtime, guild, from_interaction(interaction), what)
        await client.respond(interaction, reply, ephemeral=True)

    return group
