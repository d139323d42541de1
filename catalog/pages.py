"""REST APIs hand out a long list a page at a time (`count`, `next`, `previous`, `results`); a schedule needs
all of it. Every page is fetched under the same rules as a single file (address checks on each connection and
redirect), the pages together stay under one deadline and one size limit, and the `next` links may neither
leave the site that served the first page nor run in a circle nor go on for ever.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from dataclasses import replace
from typing import Any

from catalog.errors import CatalogError
from catalog.fetch import FetchPolicy, fetch_url, too_large
from catalog.json_doc import json_document
from catalog.text import shown

MAX_PAGES = 200
_SLACK = 0.05


def _too_slow(url: str, policy: FetchPolicy) -> str:
    return f"{shown(url, 120)}: the server did not send all pages within {policy.deadline:g} seconds"


def is_page(doc: Any) -> bool:
    return isinstance(doc, dict) and isinstance(doc.get("results"), list) and "next" in doc


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port


def same_site(first: str, target: str) -> str:
    """An API behind a TLS proxy often writes its `next` links as http:// on the default port; on the same host
    that is the same site, fetched over https as the first page was, never downgraded to plain text."""
    first_parts, parts = urllib.parse.urlsplit(first), urllib.parse.urlsplit(target)
    if (
        first_parts.scheme.lower() == "https"
        and parts.scheme.lower() == "http"
        and parts.port in (None, 80)
        and (parts.hostname or "").lower() == (first_parts.hostname or "").lower()
    ):
        return urllib.parse.urlunsplit(parts._replace(scheme="https", netloc=first_parts.netloc))
    return target


def all_pages(url: str, first: bytes, policy: FetchPolicy, started: float) -> bytes:
    """The first page's bytes, or, when it is one page of several, every page's results joined into one page."""
    if b'"results"' not in first or b'"next"' not in first:
        return first
    doc = json_document(first, url)
    if not is_page(doc) or not doc.get("next"):
        return first
    results: list[Any] = list(doc["results"])
    seen = {url}
    size = len(first)
    page_url = url
    next_url: object = doc["next"]
    while next_url:
        if not isinstance(next_url, str):
            raise CatalogError(f"{shown(page_url, 120)}: its 'next' link is not an address")
        target = same_site(url, urllib.parse.urljoin(page_url, next_url))
        if _origin(target) != _origin(url):
            raise CatalogError(
                f"{shown(page_url, 120)}: its next page is on another site ({shown(target, 80)}); refused"
            )
        if target in seen:
            raise CatalogError(f"{shown(target, 120)}: the pages link back to one already read")
        if len(seen) >= MAX_PAGES:
            raise CatalogError(f"{shown(url, 120)}: more than {MAX_PAGES} pages; import a saved export instead")
        left = policy.deadline - (time.monotonic() - started)
        if left <= 0:
            raise CatalogError(_too_slow(url, policy))
        try:
            data = fetch_url(target, replace(policy, deadline=left, max_bytes=policy.max_bytes - size))
        except CatalogError as exc:
            # The page's own time was what was left of the whole: say so in terms of the whole.
            if time.monotonic() - started >= policy.deadline - _SLACK:
                raise CatalogError(_too_slow(url, policy)) from exc
            raise
        size += len(data)
        if size > policy.max_bytes:
            raise CatalogError(f"{shown(url, 120)}: the pages together: {too_large(size, policy.max_bytes)}")
        page = json_document(data, target)
        if not is_page(page):
            raise CatalogError(f"{shown(target, 120)}: not a page of results like the first one")
        results.extend(page["results"])
        seen.add(target)
        page_url, next_url = target, page.get("next")
    joined = {"count": doc.get("count"), "next": None, "previous": None, "results": results}
    return json.dumps(joined).encode()
