"""The labelled dev queries keep their quality (when ../shared is present): a regression guard, not a timing."""

from __future__ import annotations

from benchmarks.relevance import run
from tests.conftest import needs_shared

pytestmark = needs_shared


def test_relevance_targets_hold_on_the_dev_queries() -> None:
    results = run(which=("v1",))["v1"]["confbot"]
    mrr, recall = results["overall"]
    assert mrr >= 0.95 and recall >= 0.90
    for kind, (kind_mrr, _) in results.items():
        assert kind_mrr >= 0.90, kind
