"""The two baselines every search figure is printed beside, as ../shared/eval/README.md defines them.

- SQLite FTS5: porter unicode61 remove_diacritics 2; BM25 weights title 10, speakers 8, track 5, tags 3,
  abstract 1; query words OR-ed after dropping filler.
- rapidfuzz `process.extract` with WRatio over "title | speakers | track".
"""

from __future__ import annotations

import sqlite3

from rapidfuzz import fuzz, process

from benchmarks.fts5 import FTS5_TABLE, fts5_row, fts5_search
from bot.search.index import SearchIndex


class Fts5Baseline:
    def __init__(self, index: SearchIndex) -> None:
        self.docs = index.docs
        self.conn = sqlite3.connect(":memory:")
        self.conn.execute(FTS5_TABLE)
        self.conn.executemany(
            "INSERT INTO s VALUES (?, ?, ?, ?, ?, ?, ?)",
            (fts5_row(d.session, d.conference, i) for i, d in enumerate(index.docs)),
        )

    def search(self, query: str, conference: str | None, limit: int) -> list[int]:
        return [int(doc) for doc in fts5_search(self.conn, query, conference, limit)]


class RapidfuzzBaseline:
    def __init__(self, index: SearchIndex) -> None:
        self.choices: dict[str | None, list[tuple[int, str]]] = {None: []}
        for i, d in enumerate(index.docs):
            text = f"{d.session.title} | {', '.join(d.session.speaker_names)} | {d.session.track}"
            self.choices[None].append((i, text))
            self.choices.setdefault(d.conference, []).append((i, text))

    def search(self, query: str, conference: str | None, limit: int) -> list[int]:
        pool = self.choices.get(conference, [])
        texts = [t for _, t in pool]
        found = process.extract(query, texts, scorer=fuzz.WRatio, limit=limit)
        return [pool[k][0] for _, _, k in found]
