"""From a path or URL to a `Catalog`: fetch with limits, detect the format from the content, read, disambiguate."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from catalog.dedupe import disambiguate
from catalog.errors import CatalogError
from catalog.formats import csv_table, frab_json, frab_xml, ical, sessionize
from catalog.formats.common import ReadOptions
from catalog.model import Catalog
from catalog.times import zone

MAX_BYTES = 64 * 1024 * 1024
URL_TIMEOUT_SECONDS = 20.0
_GENERIC = {
    "schedule",
    "schedule-grid",
    "grid",
    "gridsmart",
    "speakers",
    "sessions",
    "all",
    "view",
    "api",
    "v1",
    "v2",
    "export",
    "ical",
    "ics",
    "index",
    "fahrplan",
    "events",
    "event",
    "calendar",
    "program",
    "programme",
    "agenda",
    "en",
    "de",
    "fr",
    "json",
    "xml",
    "csv",
    "latest",
    "public",
}
_FOLDER_CANDIDATES = ("schedule.json", "schedule.xml", "schedule-grid.json", "all.json", "sessions.json")


@dataclass(frozen=True)
class Fetched:
    name: str
    stem: str
    data: bytes
    sibling: Callable[[str], bytes | None]


def _stem(parts: list[str]) -> str:
    for part in reversed([p for p in parts if p]):
        base = part
        for suffix in (".xml", ".json", ".ics", ".ical", ".csv", ".txt", ".schedule"):
            base = base.removesuffix(suffix)
        base = base.removesuffix(".schedule")
        if base.casefold() not in _GENERIC and not base.isdigit():
            return base
    return "conference"


def _read_file(path: Path, name: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise CatalogError(f"{name}: {size // 1_048_576} MB is larger than the {MAX_BYTES // 1_048_576} MB limit")
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise CatalogError(f"{name}: no such file") from exc
    except IsADirectoryError as exc:
        raise CatalogError(f"{name}: is a folder without a schedule file in it") from exc
    except PermissionError as exc:
        raise CatalogError(f"{name}: not allowed to read it") from exc
    except OSError as exc:
        raise CatalogError(f"{name}: cannot read it ({exc.strerror or exc})") from exc


def _fetch_url(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "confbot (conference schedule importer)"})
    try:
        with urllib.request.urlopen(request, timeout=URL_TIMEOUT_SECONDS) as response:
            data: bytes = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise CatalogError(f"{url}: the server answered {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise CatalogError(f"{url}: unreachable ({reason}); check the address or import a saved copy") from exc
    if len(data) > MAX_BYTES:
        raise CatalogError(f"{url}: larger than the {MAX_BYTES // 1_048_576} MB limit")
    return data


def fetch(location: str) -> Fetched:
    if location.startswith(("http://", "https://")):
        parsed = urllib.parse.urlsplit(location)
        parts = parsed.path.split("/")

        def url_sibling(filename: str) -> bytes | None:
            # Sessionize serves each view under /view/NAME; files elsewhere sit side by side.
            lowered = [p.casefold() for p in parts]
            if "view" in lowered and filename == "speakers.json":
                new_path = "/".join(parts[: lowered.index("view") + 1] + ["Speakers"])
            else:
                new_path = "/".join(parts[:-1] + [filename])
            try:
                return _fetch_url(urllib.parse.urlunsplit(parsed._replace(path=new_path, query="")))
            except CatalogError:
                return None

        return Fetched(location, _stem(parts), _fetch_url(location), url_sibling)
    path = Path(location).expanduser()
    if path.is_dir():
        chosen = next((path / n for n in _FOLDER_CANDIDATES if (path / n).is_file()), None)
        if chosen is None:
            others = sorted(
                p
                for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in {".xml", ".json", ".ics", ".csv"} and p.name != "speakers.json"
            )
            if len(others) != 1:
                raise CatalogError(f"{location}: a folder without one clear schedule file; name the file itself")
            chosen = others[0]
        folder = path
        data = _read_file(chosen, str(chosen))
    else:
        folder = path.parent
        data = _read_file(path, location)

    def file_sibling(filename: str) -> bytes | None:
        candidate = folder / filename
        return candidate.read_bytes() if candidate.is_file() else None

    return Fetched(location, _stem(list(path.resolve().parts)), data, file_sibling)


def parse(fetched: Fetched, options: ReadOptions) -> tuple[Catalog, list[str]]:
    """Detect the format from the bytes themselves; a file name can lie, its content cannot."""
    data = fetched.data
    where = options.name
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if not head:
        raise CatalogError(f"{where}: empty file")
    if head == b"<":
        return frab_xml.read(data, options), []
    if ical.looks_like(data):
        return ical.read(data, options), []
    if head in (b"{", b"["):
        try:
            doc: Any = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CatalogError(f"{where}: malformed or truncated JSON ({exc})") from exc
        return _parse_json(doc, fetched, options)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogError(
            f"{where}: not a schedule (binary data); expected frab XML, schedule.json, Sessionize JSON, "
            "iCalendar or CSV"
        ) from exc
    if "\x00" not in text and csv_table.looks_like(text):
        return csv_table.read(text, options)
    raise CatalogError(
        f"{where}: not a schedule; expected frab XML, schedule.json, Sessionize JSON, iCalendar "
        "or CSV with a header row"
    )


def _parse_json(doc: Any, fetched: Fetched, options: ReadOptions) -> tuple[Catalog, list[str]]:
    if frab_json.looks_like(doc):
        return frab_json.read(doc, options), []
    if sessionize.looks_like_all(doc):
        return sessionize.read_all(doc, options), []
    if sessionize.looks_like_grid(doc):
        raw = fetched.sibling("speakers.json")
        speakers: Any = None
        if raw is not None:
            try:
                speakers = json.loads(raw.decode("utf-8-sig"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                speakers = None
        catalog, warnings = sessionize.read_grid(doc, options, speakers)
        if raw is not None and speakers is None:
            warnings.append("speakers.json beside the grid is not valid JSON; speakers keep their names only")
        return catalog, warnings
    if sessionize.looks_like_sessions(doc):
        return sessionize.read_sessions_view(doc, options), []
    raise CatalogError(
        f"{options.name}: JSON, but no schedule in it (expected frab/pretalx schedule.json or a Sessionize view)"
    )


def load(
    location: str,
    *,
    timezone: str | None = None,
    slug: str | None = None,
    csv_columns: tuple[tuple[str, str], ...] = (),
) -> Catalog:
    """Read a schedule from a path or URL. Raises CatalogError with a one-line message on any bad input."""
    zone_info = zone(timezone) if timezone else None
    fetched = fetch(location)
    options = ReadOptions(
        name=fetched.name,
        stem=fetched.stem,
        timezone=zone_info,
        timezone_name=timezone or "",
        slug=slug or "",
        csv_columns=csv_columns,
    )
    catalog, warnings = parse(fetched, options)
    if not location.startswith(("http://", "https://")):
        # Stored absolute, so `confbot sync` finds the file again from any working directory.
        catalog = replace(catalog, conference=replace(catalog.conference, source=str(Path(location).resolve())))
    if not catalog.sessions:
        raise CatalogError(f"{fetched.name}: the schedule has no sessions")
    sessions, dup_warnings = disambiguate(catalog.sessions)
    untimed = sum(1 for s in sessions if s.start is None)
    if untimed:
        warnings.append(f"{untimed} of {len(sessions)} sessions have no time yet")
    return replace(catalog, sessions=sessions, warnings=tuple(catalog.warnings) + tuple(warnings) + tuple(dup_warnings))
