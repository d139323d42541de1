"""Real stores with real faults: a file or folder this user may not write, and a page of garbage in the middle.

Permissions are honest only for a user they bind. Root passes every chmod, so as root the read-only cases use
`chattr +i` (which binds root too, and is how the issue reproduced it), and the wrong-owner case runs confbot
without root's power to override file permissions. Where neither is possible the test is skipped and says why.
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from adapters.cli import main
from bot.messages import Person
from bot.store import AgendaStore, open_database

TOPICS = ("Spark streaming", "Horovod training", "MLflow tracking", "Delta Lake", "Kubernetes operators")
FILLER = "pipelines notebooks inference tuning privacy ethics clusters gradients features monitoring " * 8
SESSIONS = 1500
PERSON = Person("console", "local", "me")


def write_big_csv(path: Path) -> None:
    """Enough sessions (with abstracts) that the store runs to a few hundred pages, like a real conference."""
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["id", "title", "track", "speakers", "start", "end", "room", "abstract"])
        for i in range(SESSIONS):
            day, hour = 1 + i % 3, 9 + (i // 3) % 8
            out.writerow(
                [
                    f"s{i}",
                    f"{TOPICS[i % len(TOPICS)]} part {i}",
                    ("Data", "ML", "Ops")[i % 3],
                    f"Speaker {i % 300}",
                    f"2025-09-0{day}T{hour:02d}:00:00",
                    f"2025-09-0{day}T{hour:02d}:45:00",
                    f"Room {i % 12}",
                    f"{FILLER} {i}",
                ]
            )


def build_store(folder: Path) -> Path:
    """Imported through `confbot import` like any store, with a saved session so reminders have something."""
    source = folder / "big.csv"
    write_big_csv(source)
    db = folder / "confbot.db"
    assert main(["import", str(source), "--db", str(db), "--timezone", "Europe/Brussels", "--name", "big"]) == 0
    store = open_database(db)
    AgendaStore(store).save(PERSON, "big", "s1")
    store.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the one file the tests copy
    store.close()
    return db


def damage(db: Path, page: int = 200) -> None:
    """What `dd if=/dev/urandom of=DB bs=4096 seek=200 count=1 conv=notrunc` does, with fixed bytes."""
    size = 4096
    assert db.stat().st_size > (page + 1) * size, "the store is too small to damage at that page"
    with db.open("r+b") as f:
        f.seek(page * size)
        f.write(bytes((i * 151 + 7) % 256 for i in range(size)))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def is_root() -> bool:
    return os.geteuid() == 0


def _chattr(flag: str, path: Path) -> bool:
    if shutil.which("chattr") is None:
        return False
    done = subprocess.run(["chattr", flag, str(path)], capture_output=True)
    return done.returncode == 0


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """`path` (a file or a folder) unwritable for the user running the tests, undone afterwards."""
    if is_root():
        if not _chattr("+i", path):
            pytest.skip("running as root, and 'chattr +i' is not available here: root ignores chmod")
        try:
            yield
        finally:
            _chattr("-i", path)
        return
    mode = path.stat().st_mode
    path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        yield
    finally:
        path.chmod(mode)


def owned_by_someone_else(path: Path) -> list[str]:
    """Give `path` to `nobody` and return the prefix that runs a command as root without the powers that ignore
    file ownership (CAP_DAC_OVERRIDE and friends): for that process the store belongs to someone else, exactly
    as for an operator who runs confbot under the wrong account. The interpreter, under /root, stays readable."""
    if not is_root():
        pytest.skip("giving the store to another owner needs root")
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv (util-linux) is needed to run without root's file-permission override")
    os.chown(path, 65534, 65534)
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner,-chown,-linux_immutable"]
