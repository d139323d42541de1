"""Search quality on ../shared/eval/relevance-dev.jsonl (v1) and relevance-dev-v2.jsonl (sentences, German,
paraphrases): MRR@10 and Recall@10, overall and per kind, for confbot beside the FTS5 and rapidfuzz baselines,
all in one run (metrics as ../shared/eval/README.md says).

`python -m benchmarks.relevance [-v] [v1|v2]`: -v lists the queries that miss.
"""

from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.baselines import Fts5Baseline, RapidfuzzBaseline
from benchmarks.common import CATALOGS, EVAL, ZONES, print_table
from bot.search.engine import SearchEngine
from bot.search.service import engine_from_store
from bot.store import CatalogStore, open_database
from catalog.load import load

Searcher = Callable[["Query", int], list[str]]


@dataclass(frozen=True)
class Query:
    catalog: str
    slug: str
    text: str
    kind: str
    relevant: frozenset[str]
    neutral: frozenset[str]
    now: datetime


def load_queries(path: Path, slugs: dict[str, str]) -> list[Query]:
    queries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        queries.append(
            Query(
                catalog=row["catalog"],
                slug=slugs[row["catalog"]],
                text=row["query"],
                kind=row["kind"],
                relevant=frozenset(row["relevant"]),
                neutral=frozenset(row.get("neutral", [])),
                now=datetime.fromisoformat(row["now"]) if row.get("now") else datetime.now(UTC),
            )
        )
    return queries


def metrics(ranked: list[str], query: Query) -> tuple[float, float]:
    """Neutral ids are removed from the ranked list before the first ten are scored."""
    top = [r for r in ranked if r not in query.neutral][:10]
    rr = next((1.0 / (i + 1) for i, r in enumerate(top) if r in query.relevant), 0.0)
    recall = sum(1 for r in top if r in query.relevant) / min(10, len(query.relevant))
    return rr, recall


def evaluate(searchers: dict[str, Searcher], queries: list[Query]) -> dict[str, dict[str, tuple[float, float]]]:
    """name -> kind (and 'overall') -> (MRR@10, Recall@10)."""
    out: dict[str, dict[str, tuple[float, float]]] = {}
    for name, searcher in searchers.items():
        per_kind: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for q in queries:
            score = metrics(searcher(q, 10 + len(q.neutral)), q)
            per_kind[q.kind].append(score)
            per_kind["overall"].append(score)
        out[name] = {
            kind: (sum(s[0] for s in v) / len(v), sum(s[1] for s in v) / len(v)) for kind, v in per_kind.items()
        }
    return out


def build(tmp: Path, catalogs: list[str]) -> tuple[SearchEngine, dict[str, str]]:
    store = CatalogStore(open_database(tmp / "relevance.db"))
    slugs = {}
    for name in catalogs:
        catalog = load(str(CATALOGS / name), timezone=ZONES.get(name))
        store.save(catalog)
        slugs[name] = catalog.conference.slug
    # The saved index, opened as every process opens it (the in-memory build answers identically).
    return engine_from_store(CatalogStore(open_database(tmp / "relevance.db"))), slugs


TARGETS = {
    "v1": ("relevance-dev.jsonl", "targets: MRR@10 >= 0.95 overall, >= 0.90 per kind; Recall@10 >= 0.90"),
    "v2": (
        "relevance-dev-v2.jsonl",
        "targets: MRR@10 >= 0.90 and Recall@10 >= 0.80 overall; MRR >= 0.80 per kind, paraphrase >= 0.65",
    ),
}


def run_file(name: str, verbose: bool = False) -> dict[str, dict[str, tuple[float, float]]]:
    filename, targets = TARGETS[name]
    path = EVAL / filename
    names = sorted({json.loads(line)["catalog"] for line in path.read_text().splitlines() if line.strip()})
    with tempfile.TemporaryDirectory() as tmp:
        engine, slugs = build(Path(tmp), names)
        return _evaluate(engine, slugs, path, filename, targets, verbose)


def _evaluate(
    engine: SearchEngine, slugs: dict[str, str], path: Path, filename: str, targets: str, verbose: bool
) -> dict[str, dict[str, tuple[float, float]]]:
    queries = load_queries(path, slugs)
    fts = Fts5Baseline(engine.index)
    fuzzy = RapidfuzzBaseline(engine.index)
    docs = engine.index.docs

    def ours(q: Query, limit: int) -> list[str]:
        return [h.session.id for h in engine.search(q.text, now=q.now, conference=q.slug, limit=limit).hits]

    def fts5(q: Query, limit: int) -> list[str]:
        return [docs[i].session.id for i in fts.search(q.text, q.slug, limit)]

    def rapid(q: Query, limit: int) -> list[str]:
        return [docs[i].session.id for i in fuzzy.search(q.text, q.slug, limit)]

    results = evaluate({"confbot": ours, "FTS5 BM25": fts5, "rapidfuzz WRatio": rapid}, queries)
    kinds = ["overall"] + sorted(k for k in results["confbot"] if k != "overall")
    counts: dict[str, int] = defaultdict(int)
    for q in queries:
        counts[q.kind] += 1
    counts["overall"] = len(queries)
    rows = []
    for kind in kinds:
        row = [f"{kind} ({counts[kind]})"]
        for engine_name in results:
            mrr, recall = results[engine_name][kind]
            row += [f"{mrr:.3f}", f"{recall:.3f}"]
        rows.append(row)
    print_table(
        f"Relevance on ../shared/eval/{filename} ({targets})",
        ["kind", "confbot MRR", "confbot R@10", "FTS5 MRR", "FTS5 R@10", "rapidfuzz MRR", "rapidfuzz R@10"],
        rows,
    )
    if verbose:
        for q in queries:
            rr, recall = metrics(ours(q, 10 + len(q.neutral)), q)
            if rr < 1 or recall < 1:
                print(f"  {q.kind:15} {q.text!r}: RR {rr:.2f} R@10 {recall:.2f}")
    return results


def run(
    verbose: bool = False, which: tuple[str, ...] = ("v1", "v2")
) -> dict[str, dict[str, dict[str, tuple[float, float]]]]:
    """Every labelled file: name ('v1', 'v2') -> engine -> kind -> (MRR@10, Recall@10)."""
    return {name: run_file(name, verbose) for name in which}


if __name__ == "__main__":
    import sys

    chosen = tuple(a for a in sys.argv[1:] if a in TARGETS) or ("v1", "v2")
    run(verbose="-v" in sys.argv, which=chosen)
