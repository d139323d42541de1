"""What the index reads through: sessions (from memory or the store), the vocabulary by hash, shown spellings.

Each looks things up in the saved arrays on demand, so opening an index builds none of them.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, overload

import numpy as np
import numpy.typing as npt

from bot.search.keytable import find
from catalog.model import Session

if TYPE_CHECKING:
    from bot.search.index import Ints, SearchIndex


@dataclass(frozen=True)
class Doc:
    conference: str
    session: Session
    track_key: int  # dense id of (conference, track): "the whole track is about this"


class SessionSource(Protocol):
    """Where the sessions behind the index live: memory for a catalog built on the spot, the store otherwise."""

    def session(self, conference: str, session_id: str, doc: int) -> Session | None: ...

    def sessions(self, conference: str, first: int) -> list[Session]: ...

    def many(self, wanted: dict[tuple[str, str], int]) -> dict[tuple[str, str], Session]:
        """Some sessions at once, (conference, id) -> number in the index; missing ones are left out."""
        ...


class MemorySessions:
    def __init__(self, sessions: list[Session]) -> None:
        self.all = sessions

    def session(self, conference: str, session_id: str, doc: int) -> Session | None:
        return self.all[doc]

    def many(self, wanted: dict[tuple[str, str], int]) -> dict[tuple[str, str], Session]:
        return {key: self.all[doc] for key, doc in wanted.items()}

    def sessions(self, conference: str, first: int) -> list[Session]:
        return self.all[first:]


class Vocab:
    """term -> id over the sorted hashes of the merged vocabulary."""

    def __init__(self, hashes: npt.NDArray[np.uint64]) -> None:
        self.hashes = hashes
        self._seen: dict[str, int] = {}  # a question looks up the same words many times (forms, synonyms, reasons)

    def _find(self, term: str) -> int:
        at = self._seen.get(term)
        if at is None:
            if len(self._seen) > 100_000:
                self._seen.clear()
            at = self._seen[term] = find(self.hashes, term)
        return at

    def get(self, term: str, default: int | None = None) -> int | None:
        at = self._find(term)
        return at if at >= 0 else default

    def __getitem__(self, term: str) -> int:
        at = self._find(term)
        if at < 0:
            raise KeyError(term)
        return at

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self._find(term) >= 0

    def __len__(self) -> int:
        return int(self.hashes.size)


class Surface:
    """A term as first written in the catalog ('kubernetes' for 'kubernete'), read from its part on need."""

    def __init__(self, index: SearchIndex) -> None:
        self.index = index

    def get(self, term: str, default: str) -> str:
        i = self.index.vocab.get(term)
        if i is None:
            return default
        part, local = (int(v) for v in self.index.arrays["owner"][:, i])
        return self.index.part(part).surface[local]


SHOWN_KEPT = 4096  # sessions read for answers, kept for the next questions that show them


def _kept(shown: OrderedDict[int, Doc], number: int, doc: Doc) -> Doc:
    """Remember a session read, forgetting the one read longest ago: emptying the whole cache at once freed four
    thousand sessions inside one question (3 ms, every few hundred questions)."""
    shown[number] = doc
    while len(shown) > SHOWN_KEPT:
        shown.popitem(last=False)
    return doc


class Docs(Sequence[Doc]):
    """Sessions by number, read from their source only when asked for; with `subset`, the numbers are
    positions among those sessions of the index."""

    def __init__(self, index: SearchIndex, subset: Ints | None = None) -> None:
        self._ix = index
        self._subset = subset

    def __len__(self) -> int:
        return self._ix.n if self._subset is None else int(self._subset.size)

    @overload
    def __getitem__(self, i: int) -> Doc: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[Doc]: ...

    def __getitem__(self, i: int | slice) -> Doc | Sequence[Doc]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        ix = self._ix
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        if self._subset is not None:
            i = int(self._subset[i])
        found = ix.shown.get(i)
        if found is None:
            p = int(ix.conference_of[i])
            slug = ix.slugs[p]
            sid = ix.part(p).facts["ids"][i - int(ix.part_starts[p])]
            session = ix.source.session(slug, sid, i) or Session(id=sid, title=sid)
            found = _kept(ix.shown, i, Doc(slug, session, int(ix.track_of[i])))
        return found

    def prefetch(self, numbers: Iterable[int]) -> None:
        """Read the sessions about to be shown (or read for their words) in one query: a page of ten read one by
        one was ten round trips into SQLite (the best answers often come from as many conferences), a large share
        of a question's time."""
        ix = self._ix
        wanted: dict[tuple[str, str], int] = {}
        for n in numbers:
            i = int(self._subset[n]) if self._subset is not None else int(n)
            if i in ix.shown:
                continue
            p = int(ix.conference_of[i])
            wanted[ix.slugs[p], ix.part(p).facts["ids"][i - int(ix.part_starts[p])]] = i
        if not wanted:
            return
        for (slug, _), session in ix.source.many(wanted).items():
            i = wanted[slug, session.id]
            _kept(ix.shown, i, Doc(slug, session, int(ix.track_of[i])))

    def __iter__(self) -> Iterator[Doc]:
        if self._subset is not None:
            yield from (self[i] for i in range(len(self)))
            return
        ix = self._ix
        for p, slug in enumerate(ix.slugs):
            first = int(ix.part_starts[p])
            for k, session in enumerate(ix.source.sessions(slug, first)[: int(ix.part_starts[p + 1]) - first]):
                yield Doc(slug, session, int(ix.track_of[first + k]))
