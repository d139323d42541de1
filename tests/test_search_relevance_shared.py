"""The labelled dev queries keep their quality (when ../shared is present): a regression guard, not a timing."""

from __future__ import annotations

from benchmarks.relevance import run
from tests.conftest import needs_shared

pytestmark = needs_shared


def test_relevance_targets_hold_on_the_dev_queries() -> None:
    both = run(which=("v1", "v2"))
    results = both["v1"]["confbot"]
    mrr, recall = results["overall"]
    assert mrr >= 0.95 and recall >= 0.90
    for kind, (kind_mrr, _) in results.items():
        assert kind_mrr >= 0.90, kind
    # v2: sentences, German questions, paraphrases, combined filters, partial names, half-remembered titles.
    results = both["v2"]["confbot"]
    mrr, recall = results["overall"]
    assert mrr >= 0.90 and recall >= 0.80
    for kind, (kind_mrr, _) in results.items():
        assert kind_mrr >= (0.65 if kind == "paraphrase" else 0.80), kind
        better_baseline = max(both["v2"][name][kind][0] for name in ("FTS5 BM25", "rapidfuzz WRatio"))
        assert kind_mrr >= better_baseline, kind  # title-recall: FTS5 is perfect there too
