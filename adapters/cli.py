"""The `confbot` command: parses arguments, wires store and config, turns every expected failure into one line."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from adapters import cli_catalog, cli_chat, cli_run, cli_search, cli_sync
from bot.config import ConfigError
from bot.store import StoreError
from catalog.errors import CatalogError

Handler = Callable[[argparse.Namespace], int]


def one_line_message(exc: BaseException, limit: int = 400) -> str:
    """Errors may quote a file's content; a terminal gets one line of it, never a wall of text."""
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="confbot",
        description="A conference companion: search the schedule, keep an agenda, get reminded.",
    )
    parser.add_argument("--config", help="TOML config file (default: $CONFBOT_CONFIG or ./confbot.toml)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (cli_catalog, cli_search, cli_chat, cli_sync, cli_run):
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0 if args.command is None else 2
    try:
        return handler(args)
    except (CatalogError, StoreError, ConfigError) as exc:
        print(f"confbot: error: {one_line_message(exc)}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (`confbot catalogs | head`): stop quietly, like any Unix tool.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        print("confbot: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
