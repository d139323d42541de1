"""A query as clauses: one per thing the person named, each with the alternatives that may stand for it."""

from __future__ import annotations

from dataclasses import dataclass, field

# A track where this share of sessions match a clause (and at least three, far above the catalog's norm) is
# about it: its other sessions count too.
TRACK_TOPIC_SHARE = 0.4


@dataclass(frozen=True)
class Alternative:
    terms: tuple[str, ...]
    weight: float
    require_all: bool = False
    note: str = ""  # e.g. 'kotln → kotlin', shown in the reasons
    kind: str = ""  # "typo", "synonym", "form" or "related": how the reasons explain it
    fields: int = 0  # the fields it may match in, one bit per index field; 0: all of them


@dataclass
class Clause:
    words: tuple[str, ...]
    alternatives: list[Alternative] = field(default_factory=list)
    importance: float = 1.0  # how much of the question's topic this clause carries (filler words carry little)
    optional: bool = False  # an expansion learned from the results: adds to a score, never counts as missing
    # "compound" ('e-voting') or "letter" (a lone letter): no name fragment comes from these; "learned": words
    # the best answers share (feedback), which explain only the sessions found through them
    kind: str = ""
    context: tuple[str, ...] = ()  # words that lift a match found beside them (a lone 'R' beside 'programming')
