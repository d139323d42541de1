"""The scaling table of `make bench` on a tiny store: every column gets a figure, and the re-import figures see
what a user would (the new title answered, the store as before after a kill -9). No timing is asserted."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from benchmarks import scaling, scaling_store
from tests.conftest import needs_shared

pytestmark = needs_shared
NUMBER = re.compile(r"\d+(\.\d+)?")


def _table_row(out: str, label: str) -> list[str]:
    lines = out.splitlines()
    header_at = next(i for i, line in enumerate(lines) if line.startswith("sessions  "))
    widths = [len(dashes) for dashes in lines[header_at + 1].split("  ")]
    row = next(line for line in lines[header_at + 2 :] if line.startswith(label + " "))
    cells, at = [], 0
    for width in widths:
        cells.append(row[at : at + width].strip())
        at += width + 2
    return cells


def test_a_tiny_store_gets_every_column_and_the_update_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(scaling_store, "CACHE", tmp_path / "cache")
    figures = scaling.run(sizes=[200], runs=1, count=120, json_path=tmp_path / "scaling.json")
    out = capsys.readouterr().out

    cells = _table_row(out, "200")
    assert len(cells) == len(scaling.HEADER)
    tantivy_installed = importlib.util.find_spec("tantivy") is not None
    for name, cell in zip(scaling.HEADER, cells, strict=True):
        if name.startswith("tantivy") and not tantivy_installed:
            assert cell == scaling.NOT_INSTALLED
            continue
        assert NUMBER.search(cell), f"{name}: {cell!r}"
    assert "new title found" in out
    # the kill lands mid-import unless that import was quicker than the clean ones; either way nothing is half-done
    assert "as before; quick_check ok" in out or "new title (import ended before the kill); quick_check ok" in out

    saved = json.loads((tmp_path / "scaling.json").read_text())
    assert saved == json.loads(json.dumps(figures))
    size = saved["sizes"][0]
    assert size["sessions"] == 200 and size["questions"] >= 120
    assert min(size["startup_s"], size["peak_rss_mb"], size["scoped_rss_mb"]) > 0
    assert 0 < size["p50_ms"] <= size["p99_ms"]
    assert 0 < size["fts5"]["p50_ms"] <= size["fts5"]["p99_ms"]
    # the store is cached under its size: asking for it again reuses the file instead of building another
    store = scaling_store.store_path(200)
    built = store.stat().st_mtime_ns
    assert store.name.startswith("store-200-") and scaling_store.store_path(200) == store
    assert store.stat().st_mtime_ns == built


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--sizes", "10k"], "--sizes takes whole numbers"),
        (["--sizes", "1000", "--json", "/no/such/folder/figures.json"], "folder /no/such/folder does not exist"),
    ],
)
def test_bad_options_get_a_one_line_error_before_anything_runs(
    argv: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        scaling.main(argv)
    assert stopped.value.code == 2
    captured = capsys.readouterr()
    assert says in captured.err.strip().splitlines()[-1] and "Traceback" not in captured.err
    assert "scaling:" not in captured.out  # stopped before measuring anything
