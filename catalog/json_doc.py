"""JSON from strangers: parsed with limits on depth and on the digits of a number, failing in one line."""

from __future__ import annotations

import json
from typing import Any

from catalog.errors import CatalogError

MAX_JSON_DEPTH = 64
# More digits than any id needs, and fewer than Python refuses to turn into a number (4,300).
_MAX_INT_DIGITS = 200


def _number(text: str) -> int | str:
    """An integer with more digits than any id needs stays text, so the limits can report it as a long id."""
    return int(text) if len(text) <= _MAX_INT_DIGITS else text


def json_document(data: bytes, where: str) -> Any:
    try:
        doc = json.loads(data.decode("utf-8-sig"), parse_int=_number)
    except UnicodeDecodeError as exc:
        raise CatalogError(f"{where}: JSON that is not UTF-8 text (byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise CatalogError(f"{where}: malformed or truncated JSON ({exc.msg} at line {exc.lineno})") from exc
    except RecursionError as exc:
        raise CatalogError(f"{where}: JSON nested deeper than the {MAX_JSON_DEPTH} levels a schedule needs") from exc
    except ValueError as exc:
        raise CatalogError(f"{where}: malformed JSON ({type(exc).__name__})") from exc
    if _depth(doc) > MAX_JSON_DEPTH:
        raise CatalogError(f"{where}: JSON nested deeper than the {MAX_JSON_DEPTH} levels a schedule needs")
    return doc


def _depth(doc: Any) -> int:
    """Without recursion, so a document deep enough to be refused cannot crash the check itself."""
    deepest = 0
    stack = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            deepest = max(deepest, depth)
            if depth > MAX_JSON_DEPTH:
                return depth
            stack.extend((item, depth + 1) for item in value if isinstance(item, dict | list))
    return deepest
