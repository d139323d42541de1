"""Building the core's collaborators from command-line arguments, in one place for every command."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from bot.config import Config, load_config, resolve_db
from bot.store import open_database


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """Also accepted before the command (`confbot --db FILE search`); SUPPRESS keeps that value when the
    command's own copy of the option is not given."""
    parser.add_argument(
        "--db",
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="SQLite database (default: $CONFBOT_DB or ./confbot.db); also before the command",
    )


# How a --now without an offset is read, said alike by every command that takes one.
NOW_WITHOUT_OFFSET = "without an offset, in the conference's own zone"


def add_json_option(parser: argparse.ArgumentParser, what: str = "print JSON instead of text") -> None:
    """Marks the command as one that prints data: `--json` anywhere else is refused, not silently ignored."""
    parser.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help=f"{what}; also before the command"
    )
    parser.set_defaults(prints_data=True)


def wants_json(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "json", False))


def print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False), flush=True)


def config_for(args: argparse.Namespace) -> Config:
    return load_config(getattr(args, "config", None))


def db_path_for(args: argparse.Namespace, config: Config | None = None) -> Path:
    """The file this command works on, remembered on `args` so an error met later can name it."""
    path = Path(resolve_db(getattr(args, "db", None), config or config_for(args)))
    args.store_path = path
    return path


def database_for(args: argparse.Namespace, config: Config | None = None, *, reads_only: bool = False) -> Database:
    """`reads_only` commands never create a file and still answer from a store they may not write."""
    path = db_path_for(args, config)
    return open_database(path, create=not reads_only, writable_only=not reads_only)


def say(message: str) -> None:
    """A line for the person at the terminal that is not the command's data (stdout stays parseable)."""
    print(message, file=sys.stderr)
