"""`confbot doctor` and `confbot backup`: is the store sound, and a copy of it taken while the bot runs."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from adapters.exit_codes import BAD_INPUT, OK
from adapters.wiring import add_db_option, add_json_option, db_path_for, print_json, wants_json
from bot.store import open_database
from bot.store.faults import DamagedStore
from bot.store.maintenance import backup, check, unopenable


def register(commands: Any) -> None:
    doctor = commands.add_parser(
        "doctor",
        help="check the database with SQLite's integrity check: one line, exit 0 when sound, 1 when not",
        description="Run PRAGMA integrity_check over every page of the store and print one verdict. Safe while "
        "the bot runs; works on a read-only store; never changes the file.",
    )
    add_db_option(doctor)
    add_json_option(doctor, "print the verdict, the problems SQLite found and the store's size as JSON")
    doctor.set_defaults(handler=run_doctor)
    copy = commands.add_parser(
        "backup",
        help="copy the database to FILE with SQLite's backup API, safe while the bot runs",
        description="Make a consistent, self-contained copy of the store (one file, no -wal beside it) while the "
        "bot keeps answering and writing. FILE is replaced only once the new copy is whole and checked. "
        "Restore by stopping the bot and putting the copy where --db points.",
    )
    copy.add_argument("target", metavar="FILE", help="where to write the copy (replaced if it exists)")
    add_db_option(copy)
    add_json_option(copy, "print what was copied as JSON")
    copy.set_defaults(handler=run_backup)


def run_doctor(args: argparse.Namespace) -> int:
    path = db_path_for(args)
    try:
        db = open_database(path, create=False, writable_only=False, verify=False)
    except DamagedStore as exc:
        # Too damaged to open at all (a truncated copy): that is the verdict, not an error sending the operator
        # back to this very command.
        health = unopenable(path, str(exc.__cause__ or exc))
    else:
        try:
            health = check(db, path)
        finally:
            db.close()
    if wants_json(args):
        print_json({**asdict(health), "problems": list(health.problems), "ok": health.ok})
    else:
        print(health.verdict())
    return OK if health.ok else BAD_INPUT


def run_backup(args: argparse.Namespace) -> int:
    path = db_path_for(args)
    db = open_database(path, create=False, writable_only=False)
    try:
        copy = backup(db, path, args.target)
    finally:
        db.close()
    if wants_json(args):
        print_json(asdict(copy))
    else:
        print(f"Copied {copy.source} to {copy.target} ({copy.pages} pages, {copy.bytes} bytes).")
    return OK
