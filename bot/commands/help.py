"""Help generated from the commands' own docstrings, so it can never fall behind them."""

from __future__ import annotations

from bot.commands.registry import COMMANDS, Command, command
from bot.context import Context
from bot.messages import Reply

WIDTH = 80
NAME_WIDTH = 12


def _line(cmd: Command) -> str:
    """One command in under 80 columns: its name, then the first sentence of its docstring, cut if need be."""
    mark = " (admin)" if cmd.admin else ""
    room = WIDTH - 1 - NAME_WIDTH - 1 - len(mark)
    summary = cmd.summary
    if len(summary) > room:
        summary = summary[: room - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return f"{cmd.name.ljust(NAME_WIDTH)} {summary}{mark}"


@command("help", usage="help [command]", aliases=("?", "commands", "hilfe", "befehle"))
def help_(ctx: Context, args: str) -> Reply:
    """List what I understand, or explain one command ("help remind")."""
    name = args.strip().lower().strip("?!.")
    if name in ("me", "please", "us"):
        name = ""
    if name:
        found = COMMANDS.get(name) or next((c for c in COMMANDS.values() if name in c.aliases), None)
        if found is None:
            return Reply(f"There is no command '{name}'. Say 'help' for the list; anything else is a search.")
        lines = [found.usage, "", found.doc]
        if found.aliases:
            lines += ["", "Also: " + ", ".join(found.aliases)]
        if found.admin:
            lines += ["", "Changing this is for workspace admins."]
        return Reply("\n".join(lines))
    ordered = sorted(COMMANDS.values(), key=lambda c: c.admin)
    lines = ["Ask me about the schedule; anything that is not a command is a search.", ""]
    lines += [_line(c) for c in ordered]
    lines += [
        "",
        "Examples: talks on rust · rust tomorrow afternoon · who is dan · remind 2",
        "'help <command>' tells more, e.g. 'help remind'.",
    ]
    return Reply("\n".join(lines))
