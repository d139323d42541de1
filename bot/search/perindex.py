"""Tables derived from an index, built on first need and kept as long as the index lives.

The room and track tables are a pass over every name of the catalog: paid once per index, on the first question
that needs them, never at start-up (a one-shot question that names no place must not pay for them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from bot.search.index import SearchIndex

T = TypeVar("T")


def per_index(build: Callable[[SearchIndex], T]) -> Callable[[SearchIndex], T]:
    """`build(index)` once per index; the result goes when the index does."""
    tables: WeakKeyDictionary[SearchIndex, T] = WeakKeyDictionary()

    def get(index: SearchIndex) -> T:
        found = tables.get(index)
        if found is None:
            found = tables[index] = build(index)
        return found

    get.__doc__ = build.__doc__
    return get
