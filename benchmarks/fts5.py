"""The FTS5 baseline's table and query, importing nothing of the bot, so a process that only queries FTS5
(the scaling table's) pays for SQLite alone."""

from __future__ import annotations

import re
import sqlite3
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from catalog.model import Session

BASELINE_FILLER = frozenset(
    "talks talk sessions session on about by today tomorrow this anything show me what is who the a an in of for any "
    "presenting".split()
)

FTS5_TABLE = (
    "CREATE VIRTUAL TABLE s USING fts5(title, speakers, track, tags, abstract, conference UNINDEXED, "
    "doc UNINDEXED, tokenize='porter unicode61 remove_diacritics 2')"
)
_FTS5_QUERY = "SELECT doc FROM s WHERE s MATCH ? {} ORDER BY bm25(s, 10.0, 8.0, 5.0, 3.0, 1.0) LIMIT ?"


def fts5_row(session: Session, conference: str, doc: object) -> tuple[str, str, str, str, str, str, Any]:
    """One row of FTS5_TABLE; tantivy's documents in benchmarks/scaling_store.py use the same fields."""
    return (
        session.title,
        ", ".join(session.speaker_names),
        session.track,
        ", ".join(session.tags),
        session.abstract,
        conference,
        doc,
    )


def baseline_words(query: str) -> list[str]:
    return [w for w in re.findall(r"\w+", query.lower()) if w not in BASELINE_FILLER]


def fts5_search(conn: sqlite3.Connection, query: str, conference: str | None, limit: int) -> list[Any]:
    """The `doc` of the best `limit` rows of FTS5_TABLE for `query`, BM25 with the baseline's field weights."""
    expression = " OR ".join(f'"{w}"' for w in baseline_words(query))
    if not expression:
        return []
    if conference:
        rows = conn.execute(_FTS5_QUERY.format("AND conference = ?"), (expression, conference, limit))
    else:
        rows = conn.execute(_FTS5_QUERY.format(""), (expression, limit))
    return [r[0] for r in rows]
