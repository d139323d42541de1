"""The schedules other apps test their readers with (../shared/peers): sessions imported per file against the
independent count in SOURCES.tsv, time per format beside a parse-only floor, and pretalx API paging over
loopback beside the same talks served as one document.

`python -m benchmarks.peers`
"""

from __future__ import annotations

import csv
import json
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from benchmarks.common import ROOT, print_table
from benchmarks.import_speed import _parse_only
from catalog.errors import CatalogError
from catalog.load import load

PEERS = ROOT.parent / "shared" / "peers"


def _sources() -> list[dict[str, str]]:
    if not (PEERS / "SOURCES.tsv").is_file():
        raise SystemExit(f"this benchmark needs {PEERS} (the shared folder beside the project)")
    with (PEERS / "SOURCES.tsv").open(encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle, delimiter="\t") if r["expected_sessions"].strip()]


def files() -> dict[str, list[float]]:
    rows = []
    per_format: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for source in _sources():
        path = PEERS / source["file"]
        zone = source["real_world_zone"] or None if source["carries_timezone"] == "no" else None
        started = time.perf_counter()
        try:
            sessions, outcome = len(load(str(path), timezone=zone).sessions), "imported"
        except CatalogError as exc:
            sessions, outcome = 0, f"refused: {str(exc)[:60]}"
        elapsed = time.perf_counter() - started
        started = time.perf_counter()
        _parse_only(path)
        floor = time.perf_counter() - started
        expected = int(source["expected_sessions"])
        rows.append(
            [
                source["file"],
                source["format"],
                outcome,
                str(sessions),
                str(expected),
                "yes" if sessions == expected else "NO",
            ]
        )
        totals = per_format[source["format"]]
        totals[0] += 1
        totals[1] += elapsed
        totals[2] += floor
    print_table(
        "Peer schedules: sessions imported against SOURCES.tsv",
        ["file", "format", "outcome", "sessions", "expected", "match"],
        rows,
    )
    print_table(
        "Peer schedules: seconds per format (baseline: stdlib parse only of the same files)",
        ["format", "files", "confbot import s", "baseline parse s"],
        [[fmt, f"{n:.0f}", f"{t:.3f}", f"{f:.3f}"] for fmt, (n, t, f) in sorted(per_format.items())],
    )
    return dict(per_format)


def _serve(talks: list[dict[str, Any]], size: int) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            offset = int(self.path.rsplit("offset=", 1)[1]) if "offset=" in self.path else 0
            base = f"http://{self.headers['Host']}/api/events/bench/talks/"
            more = offset + size < len(talks)
            body = json.dumps(
                {
                    "count": len(talks),
                    "next": f"{base}?limit={size}&offset={offset + size}" if more else None,
                    "previous": None,
                    "results": talks[offset : offset + size],
                }
            ).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/api/events/bench/talks/"


def paging(count: int = 1000) -> dict[str, float]:
    talks = [
        {
            "code": f"C{n:05d}",
            "title": f"Talk {n}",
            "speakers": [{"code": f"S{n % 97}", "name": f"Speaker {n % 97}"}],
            "track": {"en": "Track"},
            "submission_type": {"en": "Talk"},
            "abstract": "Words " * 40,
            "slot": {"room": {"en": f"Room {n % 7}"}, "start": f"2025-09-0{1 + n % 3}T{9 + n % 8:02d}:00:00+02:00"},
        }
        for n in range(count)
    ]
    rows, figures = [], {}
    for size, label in (
        (count, "baseline: one page with every talk"),
        (100, "pages of 100"),
        (25, "pages of 25 (pretalx default)"),
    ):
        server, url = _serve(talks, size)
        try:
            started = time.perf_counter()
            imported = len(load(url, allow_private=True).sessions)
            elapsed = time.perf_counter() - started
        finally:
            server.shutdown()
            server.server_close()
        pages = -(-count // size)
        figures[label] = elapsed
        rows.append([label, str(pages), str(imported), f"{elapsed:.3f}", f"{elapsed / pages * 1000:.1f}"])
    print_table(
        f"pretalx API import over loopback, {count} talks",
        ["served as", "pages", "sessions", "seconds", "ms/page"],
        rows,
    )
    return figures


def run() -> None:
    files()
    paging()


if __name__ == "__main__":
    run()
