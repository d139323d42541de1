"""`confbot demo`: the first thing a newcomer runs, on the bundled Spark + AI Summit 2019 catalog."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from bot.store import CatalogStore, open_database
from catalog.demo import DEMO_CATALOG
from catalog.load import load


def register(commands: Any) -> None:
    demo = commands.add_parser(
        "demo",
        help="try confbot on the bundled Spark + AI Summit 2019 catalog",
        description="Import the bundled demo catalog into a scratch store and show it.",
    )
    demo.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    catalog = load(str(DEMO_CATALOG))
    with tempfile.TemporaryDirectory() as tmp:
        store = CatalogStore(open_database(Path(tmp) / "demo.db"))
        store.save(catalog)
        conf = catalog.conference
        print(f"{conf.title}, {conf.venue}, {conf.start} to {conf.end} ({conf.timezone})")
        print(conf.note)
        for s in store.sessions(conf.slug):
            when = s.start.strftime("%a %d %b %H:%M") if s.start else "time to be announced"
            print(f"  [{s.id}] {when}  {s.room:<16} {s.title} ({', '.join(s.speaker_names) or 'staff'}; {s.track})")
    return 0
