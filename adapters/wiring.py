"""Building the core's collaborators from command-line arguments, in one place for every command."""

from __future__ import annotations

import argparse

from sqlite_utils import Database

from bot.config import Config, load_config, resolve_db
from bot.store import open_database


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="FILE", help="SQLite database (default: $CONFBOT_DB or ./confbot.db)")


def config_for(args: argparse.Namespace) -> Config:
    return load_config(getattr(args, "config", None))


def database_for(args: argparse.Namespace, config: Config | None = None) -> Database:
    config = config or config_for(args)
    return open_database(resolve_db(getattr(args, "db", None), config))
