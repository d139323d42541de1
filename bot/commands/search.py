"""Search, paging and "more like this": anything that is not a command is a search."""

from __future__ import annotations

from bot.commands.registry import command
from bot.context import Context, Resolved
from bot.messages import Reply
from bot.search.engine import SearchResult


def run_search(ctx: Context, query: str, *, offset: int = 0, kind: str = "search") -> Reply:
    result = ctx.engine().search(query, now=ctx.now(), conference=ctx.conference, limit=ctx.page_size, offset=offset)
    return search_reply(ctx, result, query, offset=offset, kind=kind)


def search_reply(ctx: Context, result: SearchResult, query: str, *, offset: int = 0, kind: str = "search") -> Reply:
    if not result.hits:
        text = result.message or f"Nothing found for '{query}'."
        if result.suggestions:
            text += f" Did you mean: {', '.join(result.suggestions)}?"
        return Reply(text)
    parsed = result.query
    label = " ".join(parsed.words) or parsed.speaker or parsed.track or parsed.room
    when = f" {parsed.time.label}" if parsed.time else ""
    if offset:
        text = f"More for '{label}'{when}:" if label else f"More{when}:"
    elif label:
        text = f"{result.total} session{'s' if result.total != 1 else ''} for '{label}'{when}:"
    else:
        text = f"{result.total} session{'s' if result.total != 1 else ''}{when}:"
    notes = (result.message,) if result.message else ()
    return ctx.list_reply(text, result.hits, total=result.total, query=query, kind=kind, offset=offset, notes=notes)


@command("search", usage="search <words>", aliases=("find", "look for"))
def search(ctx: Context, args: str) -> Reply:
    """Find sessions by topic, speaker, track, room or time; typos are fine.

    Anything that is not a command is a search too: "talks on horovod", "rust tomorrow afternoon",
    "what is lennart presenting", "databases devroom", "in room K.4.401", "kubernets".
    """
    return run_search(ctx, args)


@command("more", usage="more")
def more(ctx: Context, args: str) -> Reply:
    """Show the next page of the last list."""
    shown = ctx.agenda.last_list(ctx.person)
    if not shown.query or shown.offset >= shown.total:
        return Reply("There is nothing more to show. Search for something first.")
    return run_search(ctx, shown.query, offset=shown.offset, kind=shown.kind)


@command("like", usage="like <session>", aliases=("more like", "similar to", "similar"))
def like(ctx: Context, args: str) -> Reply:
    """Sessions on the same topic as one you name (a number from a list, an id, or part of a title)."""
    found = ctx.resolve(args)
    if found.session is None:
        return not_resolved(ctx, found, "like")
    hits = ctx.engine().similar(found.conference, found.session, limit=ctx.page_size)
    if not hits:
        return Reply(f"I found nothing else like “{found.session.title}”.")
    return ctx.list_reply(f"Sessions like “{found.session.title}”:", hits, total=len(hits), query="", kind="like")


def not_resolved(ctx: Context, found: Resolved, verb: str) -> Reply:
    """No single session: ask which one (a numbered list), or say what was not found."""
    if found.candidates:
        return ctx.list_reply(
            f"Which one? Say '{verb} <number>':",
            found.candidates,
            total=len(found.candidates),
            query="",
            kind="choice",
        )
    return Reply(found.message)
