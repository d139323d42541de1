"""The two baselines every search figure is printed beside, as ../shared/eval/README.md defines them.

- SQLite FTS5: porter unicode61 remove_diacritics 2; BM25 weights title 10, speakers 8, track 5, tags 3,
  abstract 1; query words OR-ed after dropping filler.
- rapidfuzz `process.extract` with WRatio over "title | speakers | track".
"""

from __future__ import annotations

import re
import sqlite3

from rapidfuzz import fuzz, process

from bot.search.index import SearchIndex

BASELINE_FILLER = frozenset(
    "talks talk sessions session on about by today tomorrow this anything show me what is who the a an in of for any "
    "presenting".split()
)


class Fts5Baseline:
    def __init__(self, index: SearchIndex) -> None:
        self.docs = index.docs
        self.conn = sqlite3.connect(":memory:")
        self.conn.execute(
            "CREATE VIRTUAL TABLE s USING fts5(title, speakers, track, tags, abstract, conference UNINDEXED, "
            "doc UNINDEXED, tokenize='porter unicode61 remove_diacritics 2')"
        )
        self.conn.executemany(
            "INSERT INTO s VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    d.session.title,
                    ", ".join(d.session.speaker_names),
                    d.session.track,
                    ", ".join(d.session.tags),
                    d.session.abstract,
                    d.conference,
                    i,
                )
                for i, d in enumerate(index.docs)
            ),
        )

    @staticmethod
    def match_expression(query: str) -> str:
        words = [w for w in re.findall(r"\w+", query.lower()) if w not in BASELINE_FILLER]
        return " OR ".join(f'"{w}"' for w in words)

    def search(self, query: str, conference: str | None, limit: int) -> list[int]:
        expression = self.match_expression(query)
        if not expression:
            return []
        sql = "SELECT doc FROM s WHERE s MATCH ? {} ORDER BY bm25(s, 10.0, 8.0, 5.0, 3.0, 1.0) LIMIT ?"
        if conference:
            rows = self.conn.execute(sql.format("AND conference = ?"), (expression, conference, limit))
        else:
            rows = self.conn.execute(sql.format(""), (expression, limit))
        return [int(r[0]) for r in rows]


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
