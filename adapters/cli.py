"""The `confbot` command: parses arguments, wires store and config, turns every expected failure into one line."""

from __future__ import annotations

import argparse
import logging
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from importlib.metadata import PackageNotFoundError, version

from adapters import cli_catalog, cli_chat, cli_run, cli_search, cli_store, cli_sync
from adapters.exit_codes import BAD_INPUT, CONFIGURATION, INTERRUPTED
from bot.config import ConfigError
from bot.store import StoreError
from bot.store.faults import store_error
from catalog.errors import CatalogError

Handler = Callable[[argparse.Namespace], int]

EXIT_CODES = """exit codes:
  0    ok
  1    bad input: a file, URL, query or --db store that cannot be used (the message says what to do)
  2    configuration or usage: a missing, invalid or rejected setting (a token Slack or Discord refused,
       a port in use), an unknown option
  3    platform: Slack or Discord could not be reached after a few tries (worth starting again later)
  130  interrupted (Ctrl-C)

Global options (--config, --db, --json) may come before or after the command."""


def one_line_message(exc: BaseException, limit: int = 400) -> str:
    """Errors may quote a file's content; a terminal gets one line of it, never a wall of text."""
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _version() -> str:
    try:
        return version("confbot")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="confbot",
        description="A conference companion: search the schedule, keep an agenda, get reminded.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"confbot {_version()}")
    parser.add_argument("--config", help="TOML config file (default: $CONFBOT_CONFIG or ./confbot.toml)")
    parser.add_argument("--db", metavar="FILE", help="SQLite database (default: $CONFBOT_DB or ./confbot.db)")
    parser.add_argument("--json", action="store_true", help="print JSON, on the commands that print data")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (cli_catalog, cli_search, cli_chat, cli_sync, cli_store, cli_run):
        module.register(commands)
    for sub in _subcommands(parser):
        if "--config" not in sub._option_string_actions:
            sub.add_argument("--config", default=argparse.SUPPRESS, help="TOML config file; also before the command")
    return parser


def _subcommands(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                yield sub
                yield from _subcommands(sub)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except KeyboardInterrupt:
        return _interrupted()
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        # A bare `confbot` is almost always a script whose command went missing, or a person exploring: both
        # are served by the usage on stderr and the argparse convention for a usage error, exit 2.
        parser.print_help(sys.stderr)
        return CONFIGURATION
    if args.json and not getattr(args, "prints_data", False):
        parser.error(f"--json: 'confbot {args.command}' prints no data to read as JSON")
    # Commands print what the person needs to know; the logging module's last-resort handler would print
    # the core's warnings a second time on stderr. `confbot run` configures real log handlers of its own.
    logging.getLogger("confbot").addHandler(logging.NullHandler())
    try:
        return handler(args)
    except StoreError as exc:
        return _fail(exc, BAD_INPUT, limit=1000)  # our own advice, with SQLite's words already cut short
    except CatalogError as exc:
        return _fail(exc, BAD_INPUT)
    except ConfigError as exc:
        return _fail(exc, CONFIGURATION)
    except sqlite3.DatabaseError as exc:
        return _fail(store_error(getattr(args, "store_path", None) or "the database", exc), BAD_INPUT, limit=1000)
    except BrokenPipeError:
        # The reader went away (`confbot catalogs | head`): stop quietly, like any Unix tool.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return BAD_INPUT
    except KeyboardInterrupt:
        return _interrupted()


def _fail(exc: BaseException, code: int, limit: int = 400) -> int:
    print(f"confbot: error: {one_line_message(exc, limit)}", file=sys.stderr)
    return code


def _interrupted() -> int:
    print("confbot: interrupted", file=sys.stderr)
    return INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
