"""Help generated from the commands' own docstrings, so it can never fall behind them."""

from __future__ import annotations

from bot.commands.registry import COMMANDS, command
from bot.context import Context
from bot.messages import Reply


@command("help", usage="help [command]", aliases=("?", "commands"))
def help_(ctx: Context, args: str) -> Reply:
    """List what I understand, or explain one command: "help remind"."""
    name = args.strip().lower()
    if name:
        found = COMMANDS.get(name) or next((c for c in COMMANDS.values() if name in c.aliases), None)
        if found is None:
            return Reply(f"There is no command '{name}'. Say 'help' for the list; anything else is a search.")
        lines = [found.usage, "", found.doc]
        if found.aliases:
            lines += ["", "Also: " + ", ".join(found.aliases)]
        return Reply("\n".join(lines))
    width = max(len(c.usage) for c in COMMANDS.values())
    lines = ["Ask me about the schedule; anything that is not a command is a search.", ""]
    lines += [f"{c.usage.ljust(width)}  {c.summary}" for c in COMMANDS.values()]
    lines += ["", "Examples: talks on horovod · rust tomorrow afternoon · who is lennart · remind 2 · agenda"]
    return Reply("\n".join(lines))
