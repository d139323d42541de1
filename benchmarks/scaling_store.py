"""Synthetic stores of any size for the scaling table, made from the real shared catalogs and cached on disk.

A store of N sessions is the shared catalogs imported over and over under new names (fosdem-2025 first, so every
size holds the conference the scoped figures ask about), the last copy cut to make exactly N. Building 100k
sessions takes minutes, so each store, and the FTS5 and tantivy indexes over the same sessions, are kept in
.bench-cache/ under a key made of the size and the catalogs' bytes: a re-run with the same catalogs reuses them,
a changed catalog makes new ones. Files are built under a temporary name and renamed when complete, so an
interrupted build never leaves a cache entry that looks finished.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from benchmarks.common import ROOT, ZONES, shared_catalogs
from benchmarks.fts5 import FTS5_TABLE, fts5_row
from catalog.model import Catalog, Session

CACHE = ROOT / ".bench-cache"
SCOPED = "fosdem-2025"  # the conference a scoped process answers about; imported first, so every size has it
SCHEME = "scaling-store-v1"  # bump when the way stores are made changes, so old cache entries are not reused
TANTIVY_FIELDS = ("title", "speakers", "track", "tags", "abstract")


def catalogs_key() -> str:
    digest = hashlib.sha256(SCHEME.encode())
    for path in shared_catalogs():
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            digest.update(file.name.encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def _originals() -> list[Catalog]:
    from catalog.load import load

    catalogs = [load(str(p), timezone=ZONES.get(p.name)) for p in shared_catalogs()]
    return sorted(catalogs, key=lambda c: (c.conference.slug != SCOPED, c.conference.slug))


def _rounds(size: int) -> Iterator[tuple[int, Catalog]]:
    originals = _originals()
    left, round_ = size, 0
    while left > 0:
        for original in originals:
            if left <= 0:
                break
            sessions = original.sessions[:left]
            conf = original.conference
            if round_:
                conf = replace(conf, slug=f"{conf.slug}-r{round_}", title=f"{conf.title} (replica {round_})")
            left -= len(sessions)
            yield round_, replace(original, conference=conf, sessions=sessions)
        round_ += 1


def copies(size: int) -> Iterator[Catalog]:
    """Catalogs summing to exactly `size` sessions; copy 0 keeps the real names, later ones are renamed."""
    return (catalog for _, catalog in _rounds(size))


def distinct_sessions(size: int) -> list[Session]:
    """The sessions a store of `size` holds once each (later copies repeat them), to ask realistic questions of."""
    return [s for round_, catalog in _rounds(size) if round_ == 0 for s in catalog.sessions]


def _finish(tmp: Path, final: Path) -> Path:
    os.replace(tmp, final)
    return final


def store_path(size: int, key: str | None = None) -> Path:
    """The cached store of `size` sessions, built first if it is not there yet."""
    from bot.store import CatalogStore, open_database

    final = CACHE / f"store-{size}-{key or catalogs_key()}.db"
    if final.exists():
        return final
    CACHE.mkdir(exist_ok=True)
    tmp = final.with_suffix(".building")
    for leftover in CACHE.glob(tmp.name + "*"):
        if leftover.is_dir():
            shutil.rmtree(leftover)
        else:
            leftover.unlink()
    started = time.perf_counter()
    db = open_database(tmp)
    store = CatalogStore(db)
    for catalog in copies(size):
        store.save(catalog)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("PRAGMA journal_mode = DELETE")  # one self-contained file that copies and renames safely
    db.conn.close()
    # The index saved at each import was merged again for every copy; the final store builds its own, once, at its
    # first (unmeasured) open: the one left here would only fill the disk (13 GB at 100k).
    shutil.rmtree(f"{tmp}.index", ignore_errors=True)
    print(f"  built {final.name} in {time.perf_counter() - started:.0f} s", flush=True)
    return _finish(tmp, final)


def stored_sessions(store: Path) -> Iterator[tuple[str, Session]]:
    """Every (conference, session) of a cached store, read the way the bot reads them."""
    from bot.store import CatalogStore, open_database

    catalogs = CatalogStore(open_database(store))
    try:
        for conf in catalogs.conferences():
            for session in catalogs.sessions(conf.slug):
                yield conf.slug, session
    finally:
        catalogs.db.conn.close()


def fts5_path(store: Path) -> Path:
    """An FTS5 file over the same sessions as `store`, as ../shared/eval/README.md defines the baseline."""
    final = store.with_name(store.stem.replace("store-", "fts5-") + ".db")
    if final.exists():
        return final
    tmp = final.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(tmp)
    conn.execute(FTS5_TABLE)
    rows = (fts5_row(session, slug, f"{slug}/{session.id}") for slug, session in stored_sessions(store))
    conn.executemany("INSERT INTO s VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    conn.commit()
    conn.execute("INSERT INTO s(s) VALUES ('optimize')")  # one segment, as a published index would be
    conn.commit()
    conn.close()
    return _finish(tmp, final)


def tantivy_schema() -> object:
    import tantivy

    builder = tantivy.SchemaBuilder()
    for field in TANTIVY_FIELDS:
        builder.add_text_field(field, stored=field == "title", tokenizer_name="en_stem")
    builder.add_text_field("conference", stored=True, tokenizer_name="raw")
    builder.add_text_field("doc", stored=True, index_option="basic", tokenizer_name="raw")
    return builder.build()


def tantivy_path(store: Path) -> Path | None:
    """A tantivy index over the same sessions, or None when tantivy-py is not installed (`pip install .[bench]`)."""
    try:
        import tantivy
    except ImportError:
        return None
    final = store.with_name(store.stem.replace("store-", "tantivy-"))
    if final.exists():
        return final
    tmp = final.with_suffix(".building")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    index = tantivy.Index(tantivy_schema(), path=str(tmp))
    writer = index.writer(100_000_000, 1)
    for slug, session in stored_sessions(store):
        title, speakers, track, tags, abstract, conference, doc = fts5_row(session, slug, f"{slug}/{session.id}")
        writer.add_document(
            tantivy.Document(
                title=title, speakers=speakers, track=track, tags=tags, abstract=abstract, conference=conference,
                doc=doc,
            )  # fmt: skip
        )
    writer.commit()
    writer.wait_merging_threads()
    return _finish(tmp, final)
