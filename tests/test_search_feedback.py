"""Related words learned from the best answers: the same question brings the same related sessions in every
process. Ties between shared words were broken by set order, which follows Python's per-process string hashing,
so a restart could change an answer."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT

PROBE = """
from datetime import date
import numpy as np
from bot.search.engine import SearchEngine
from bot.search.feedback import feedback_clause
from catalog.model import Conference, Session
tied = "lattice quantum bridges harbour meadows"
own = ["walnut pepper silver comet tulip", "violin marble falcon cedar lemon"]
sessions = [Session(str(i), f"Kernel {tied} {own[i]}") for i in range(2)]
conf = Conference("tiecon", "TieCon", "UTC", date(2030, 1, 1), date(2030, 1, 2))
sessions += [Session(f"x{i}", f"Filler {i} notes") for i in range(300)]
engine = SearchEngine([conf], {"tiecon": sessions})
from bot.search.expand import build_clauses
from bot.search.query import parse
parsed = parse("kernel")
built = build_clauses(engine.index, list(parsed.words), parsed.prefix, parsed)
order = np.arange(2)
learned = feedback_clause(engine.index, order, built, "en")
print(" ".join(learned.words) if learned else "-")
"""


def learned_in_a_process(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_tied_related_words_are_the_same_in_every_process() -> None:
    found = {learned_in_a_process(seed) for seed in ("1", "2", "3", "4", "5")}
    assert len(found) == 1
    assert found.pop().split() == ["bridge", "harbour", "lattice"]  # five words tie: the first three in order
