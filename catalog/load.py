"""From a path or URL to a `Catalog`: fetch with limits, detect the format from the content, read, disambiguate."""

from __future__ import annotations

import re
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

from catalog.dedupe import disambiguate
from catalog.errors import CatalogError, WholeFileError
from catalog.fetch import MAX_BYTES, FetchPolicy, fetch_url, too_large
from catalog.formats import csv_table, frab_json, frab_json_v2, frab_xml, ical, pretalx, sessionize
from catalog.formats.common import SHAPE_ERRORS, ReadOptions, slugify
from catalog.formats.csv_times import DATE_ORDERS
from catalog.json_doc import json_document
from catalog.limits import checked
from catalog.model import Catalog
from catalog.pages import all_pages
from catalog.text import counted, shown
from catalog.times import with_zone_guess, zone

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
    "talks",
    "submissions",
    "widget",
    "widgets",
}
STDIN = "(standard input)"
_HTML = re.compile(rb"^(?:<!--.*?-->\s*)?<(?:!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]{1,30})://")
DATE_ORDER_FIELD = "date_order"
_FOLDER_CANDIDATES = ("schedule.json", "schedule.xml", "schedule-grid.json", "all.json", "sessions.json")


@dataclass(frozen=True)
class Fetched:
    name: str
    stem: str
    data: bytes
    sibling: Callable[[str], bytes | None]
    own_name: bool = True  # the file or address itself names the schedule (not 'de.csv' in a folder that does)


def _own_name(parts: list[str]) -> bool:
    """Whether the last part (the file or address itself) names the schedule, rather than 'de.csv', 'schedule.xml'
    taking their name from the folder they are in."""
    return bool(parts) and _stem(parts[-1:]) != "conference"


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
            raise CatalogError(f"{name}: {too_large(size, MAX_BYTES)}")
        data = path.read_bytes()
        if len(data) > MAX_BYTES:
            raise CatalogError(f"{name}: {too_large(len(data), MAX_BYTES)}")
        return data
    except FileNotFoundError as exc:
        raise CatalogError(f"{name}: no such file") from exc
    except IsADirectoryError as exc:
        raise CatalogError(f"{name}: is a folder without a schedule file in it") from exc
    except PermissionError as exc:
        raise CatalogError(f"{name}: not allowed to read it") from exc
    except OSError as exc:
        raise CatalogError(f"{name}: cannot read it ({exc.strerror or exc})") from exc


def is_url(location: str) -> bool:
    return location.strip().lower().startswith(("http://", "https://"))


def fetch(location: str, policy: FetchPolicy | None = None) -> Fetched:
    policy = policy or FetchPolicy()
    if location == STDIN:
        # A sync of a conference that was piped in: there is nothing to read again.
        raise CatalogError(f"{STDIN}: imported from standard input; pipe it into 'confbot import -' again to update")
    scheme = _SCHEME.match(location.strip())
    if scheme and not is_url(location):
        raise CatalogError(
            f"{shown(location, 80)}: {scheme[1].lower()}:// addresses are not supported; "
            "use an http:// or https:// address, or download the file and import it"
        )
    if is_url(location):
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
                return fetch_url(urllib.parse.urlunsplit(parsed._replace(path=new_path, query="")), policy)
            except CatalogError:
                return None

        started = time.monotonic()
        data = all_pages(location, fetch_url(location, policy), policy, started)
        return Fetched(location, _stem(parts), data, url_sibling, _own_name(parts))
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
        try:
            return _read_file(candidate, str(candidate)) if candidate.is_file() else None
        except CatalogError:
            return None

    resolved = list(path.resolve().parts)
    return Fetched(location, _stem(resolved), data, file_sibling, _own_name(resolved))


def read_stream(stream: BinaryIO) -> Fetched:
    """A schedule piped in: read up to the size limit, with no folder to look for companion files in."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise CatalogError(f"{STDIN}: more than the {MAX_BYTES // 1_048_576} MB limit")
    return Fetched(STDIN, "", data, lambda _name: None)  # no file name: the schedule's own name, else --name


def parse(fetched: Fetched, options: ReadOptions) -> tuple[Catalog, list[str]]:
    """Detect the format from the bytes themselves; a file name can lie, its content cannot."""
    data = fetched.data
    where = options.name
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if not head:
        raise CatalogError(f"{where}: empty file")
    if head == b"<":
        if _HTML.match(data.lstrip(b"\xef\xbb\xbf \t\r\n")[:200]):
            raise CatalogError(
                f"{where}: a web page, not a schedule; import the schedule's export instead (pretalx: "
                "/<event>/schedule/export/schedule.json or /api/events/<event>/talks/)"
            )
        return frab_xml.read(data, options), []
    if ical.looks_like(data):
        return ical.read(data, options), []
    if head in (b"{", b"["):
        return _parse_json(json_document(data, where), fetched, options)
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
    if frab_json_v2.looks_like(doc):
        return frab_json_v2.read(doc, options), []
    if frab_json.looks_like(doc):
        return frab_json.read(doc, options), []
    if pretalx.looks_like(doc):
        return pretalx.read(doc, options), []
    if sessionize.looks_like_all(doc):
        return sessionize.read_all(doc, options), []
    if sessionize.looks_like_grid(doc):
        raw = fetched.sibling("speakers.json")
        speakers: Any = None
        if raw is not None:
            try:
                speakers = json_document(raw, "speakers.json")
            except CatalogError:
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
    allow_private: bool = False,
    deadline: float | None = None,
    date_order: str = "",
    stdin: BinaryIO | None = None,
    title: str = "",
) -> Catalog:
    """Read a schedule from a path or URL ("-" with `stdin`: that stream). Raises CatalogError with a one-line
    message on any bad input.

    A ("date_order", ORDER) pair among `csv_columns` is the date order remembered from an import, so a sync
    reads the file the same way without the store knowing about CSV. `title`: the name an import gives the
    conference; a schedule that names none, in a file called only 'de.csv' or 'schedule.xml', is named by it
    rather than by whatever folder it sits in.
    """
    zone_info = zone(timezone) if timezone else None
    remembered = dict(csv_columns).get(DATE_ORDER_FIELD, "")
    csv_columns = tuple(pair for pair in csv_columns if pair[0] != DATE_ORDER_FIELD)
    date_order = (date_order or remembered).strip().lower()
    if date_order and date_order not in DATE_ORDERS:
        raise CatalogError(f"unknown date order {date_order[:20]!r}: use dmy, mdy or ymd")
    policy = FetchPolicy(allow_private=allow_private)
    if deadline is not None:
        policy = replace(policy, deadline=deadline)
    fetched = read_stream(stdin) if location == "-" and stdin is not None else fetch(location, policy)
    options = ReadOptions(
        name=fetched.name,
        stem=slug if slug and fetched.name == STDIN else fetched.stem,
        timezone=zone_info,
        timezone_name=timezone or "",
        slug=slug or "",
        csv_columns=csv_columns,
        date_order=date_order,
    )
    try:
        catalog, warnings = parse(fetched, options)
    except WholeFileError as exc:
        raise WholeFileError(with_zone_guess(str(exc), f"{location} {fetched.name}")) from exc
    except SHAPE_ERRORS as exc:
        # The readers check what they read; this is the net under them, so a surprise is one line, not a traceback.
        raise CatalogError(f"{fetched.name}: unreadable schedule ({type(exc).__name__}); check the file") from exc
    if fetched.name == STDIN and not slug and catalog.conference.slug == slugify(""):
        # A file import names it after the file; piped in, nothing does, and every such import would be one.
        raise CatalogError(f"{STDIN}: the schedule names no conference; pass --name SLUG, e.g. --name mycon-2026")
    if title and not slug and not fetched.own_name and catalog.conference.slug == slugify(fetched.stem):
        catalog = replace(catalog, conference=replace(catalog.conference, slug=slugify(title)))
    catalog = checked(catalog, fetched.name, warnings)
    warnings = []
    if not is_url(location) and fetched.name != STDIN:
        # Stored absolute, so `confbot sync` finds the file again from any working directory.
        catalog = replace(catalog, conference=replace(catalog.conference, source=str(Path(location).resolve())))
    sessions, dup_warnings = disambiguate(catalog.sessions)
    untimed = sum(1 for s in sessions if s.start is None)
    if untimed:
        warnings.append(
            f"{untimed} of {counted(len(sessions), 'session')} {'has' if untimed == 1 else 'have'} no time yet"
        )
    return replace(catalog, sessions=sessions, warnings=tuple(catalog.warnings) + tuple(warnings) + tuple(dup_warnings))
