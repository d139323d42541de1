"""Commands for workspace or guild admins: re-reading the schedule from its source."""

from __future__ import annotations

from bot.commands.registry import command
from bot.context import Context
from bot.messages import Reply
from bot.sync import sync_conference


@command("sync", usage="sync [--force]", admin=True)
def sync(ctx: Context, args: str) -> Reply:
    """Re-read the schedule and tell people what changed.

    Moved sessions move their reminders, removed ones cancel them; people who saved them and announcement
    channels are told. A new version that would drop more than 30% of the sessions is refused unless you say
    "sync --force".
    """
    if not ctx.incoming.is_admin:
        return Reply("Only workspace admins can sync the schedule.")
    force = "--force" in args.split() or "force" in args.split()
    slugs = [ctx.conference] if ctx.conference else [c.slug for c in ctx.catalogs.conferences()]
    lines = []
    for slug in slugs:
        report = sync_conference(ctx.catalogs, slug, ctx.now(), force=force)
        lines.append(report.message + (f" {_told(report.notices)} will be told." if report.notices else ""))
    return Reply("\n".join(lines) or "No schedule to sync.")


def _told(count: int) -> str:
    return "1 person or channel" if count == 1 else f"{count} people and channels"
