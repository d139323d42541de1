"""`confbot chat` (the console adapter) and `confbot demo` (the scripted walkthrough)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.rule import Rule
from rich.text import Text

from adapters.console.app import (
    ConsoleApp,
    ConsoleClock,
    ConsoleNotifier,
    script_lines,
)
from adapters.wiring import NOW_WITHOUT_OFFSET, add_db_option, config_for, db_path_for
from bot.conversation import Conversation
from bot.reminders.service import make_dispatcher
from bot.search.service import SearchService
from bot.store import AgendaStore, CatalogStore, open_database
from catalog.demo import DEMO_CATALOG
from catalog.errors import CatalogError
from catalog.load import load

DEMO_START = "2019-04-24T08:30:00-07:00"
DEMO_STEPS: list[tuple[str, str]] = [
    ("Find talks on a topic, as you would type it", "talks on Horovod"),
    ("Find a speaker's sessions", "who is xiangrui meng"),
    ("Browse a track", "productionizing ml track"),
    ("What starts next, grouped by slot", "what's next"),
    ("Save a talk: you get a reminder before it starts", "remind 2"),
    ("Save another at the same time: confbot warns, and offers the topic at other times", "remind the future of art"),
    ("Your agenda, with reminder times and the clash marked", "agenda"),
    ("Export the agenda for any calendar app", "export"),
    ("Let time pass: reminders arrive as their time comes", ":wait 3h"),
]


def register(commands: Any) -> None:
    chat = commands.add_parser(
        "chat",
        help="talk to confbot in the terminal (reads a script when standard input is not a terminal)",
        description="The console adapter: every feature without a chat account. Lines starting with ':' "
        "control the clock: ':time ISO8601', ':wait 90m', ':quit'.",
    )
    add_db_option(chat)
    chat.add_argument(
        "--conference",
        metavar="SLUG",
        help="answer about this conference only (default: [bot] conference in the config, else the one running "
        "now, else the next, else the most recent; 'switch to NAME' changes it in the chat)",
    )
    chat.add_argument("--now", metavar="ISO8601", help=f"start a virtual clock at this moment ({NOW_WITHOUT_OFFSET})")
    chat.set_defaults(handler=run_chat)
    demo = commands.add_parser(
        "demo",
        help="a guided walkthrough on the bundled Spark + AI Summit 2019 catalog",
        description="Search, save, overlap warning, agenda, export and a reminder firing, on a virtual clock; "
        "then an interactive prompt when run in a terminal.",
    )
    demo.set_defaults(handler=run_demo)


def build_app(
    db_path: str | Path, console: Console, start: str | None, conference: str | None, default: str | None = None
) -> ConsoleApp:
    try:
        clock = ConsoleClock.starting(start)
    except ValueError as exc:
        raise CatalogError(f"--now {exc}") from exc
    # A read-only store still answers (saving says it cannot); a missing one is a mistyped --db far more often
    # than a wish for an empty store that can only say "no schedule is loaded", so it is named, not created.
    db = open_database(db_path, create=False, writable_only=False)
    catalogs, agenda = CatalogStore(db), AgendaStore(db)
    if conference and catalogs.conference(conference) is None:
        raise CatalogError(f"no conference {conference!r} in the store; see 'confbot catalogs'")
    conversation = Conversation(catalogs, agenda, SearchService(catalogs), clock, conference, default)
    notifier = ConsoleNotifier(console, clock, "UTC")
    app = ConsoleApp(conversation, make_dispatcher(catalogs, agenda, notifier, clock), clock, console)
    # A time without an offset is the conference's local time; which conference may itself depend on the date.
    app.follow_scope()
    notifier.zone = str(conversation.zone(app.incoming("")))
    return app


def terminal_console() -> Console:
    """In a terminal, wrap to its width; into a pipe or a file, never hard-wrap (URLs stay whole)."""
    return Console(highlight=False, soft_wrap=not sys.stdout.isatty())


def run_chat(args: argparse.Namespace) -> int:
    console = terminal_console()
    config = config_for(args)
    default = str(config.section("bot").get("conference") or "") or None
    app = build_app(db_path_for(args, config), console, args.now, args.conference, default)
    if sys.stdin.isatty():
        app.repl()
    else:
        app.run(script_lines(), echo=True)
    return 0


def run_demo(args: argparse.Namespace) -> int:
    console = terminal_console()
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "demo.db"
        catalog = load(str(DEMO_CATALOG))
        CatalogStore(open_database(db_path)).save(catalog)
        app = build_app(db_path, console, DEMO_START, None)
        app.export_dir = Path(tmp)
        conf = catalog.conference
        console.print(Rule(Text(f"confbot demo · {conf.title}, {conf.venue}", style="bold")))
        console.print(Text(conf.note, style="dim"))
        console.print(Text(f"The virtual clock starts at {DEMO_START} (conference time).\n", style="dim"))
        for number, (caption, line) in enumerate(DEMO_STEPS, start=1):
            console.print(Rule(Text(f"{number}. {caption}", style="bold magenta"), align="left"))
            console.print(Text(f"» {line}", style="bold blue"))
            app.say(line)
            if line == "export":
                content = (Path(tmp) / "confbot-agenda.ics").read_text(encoding="utf-8")
                events = content.count("BEGIN:VEVENT")
                console.print(Text(f"(an iCalendar file with {events} events; first lines:)", style="dim"))
                console.print(Text("\n".join(content.splitlines()[:6]) + "\n…", style="dim"))
        console.print(Rule(Text("Your turn", style="bold")))
        if sys.stdin.isatty() and sys.stdout.isatty():
            hints = "'mlflow', 'who is jim dowling', 'settings lead 15', 'forget 1', ':wait 1d', 'help'"
            console.print(Text(f"Try: {hints}. :quit leaves.\n"))
            app.repl()
        else:
            console.print(
                Text("Run 'make demo' in a terminal to continue interactively, or 'confbot chat'.", style="dim")
            )
    return 0
