"""Tracks by the names people type, looked up in tables built once per index rather than by a pass over every track.

'security track', 'databases devroom': the track filter compared the question with the name of every track of every
conference, on every question (most of such a question's time at 100k sessions). The tables give each kind of match
directly: a track's whole name compacted, the tracks holding each word of their name, and every compacted name in
one string that a name is searched inside at C speed. A misspelt name ('databses') is compared with the names and
their words only when none of those matched.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.search.perindex import per_index

if TYPE_CHECKING:
    from bot.search.index import SearchIndex

Track = tuple[str, int]  # (conference, the track's number in the index)


@dataclass(frozen=True)
class TrackNames:
    whole: dict[str, list[Track]]  # compacted name -> tracks
    by_word: dict[str, set[Track]]  # a word of a name -> tracks
    joined: str  # every compacted name, each followed by a separator no name holds
    starts: list[int]  # where each name begins in `joined`
    tracks: list[Track]  # the track of each name of `joined`
    named: dict[int, str]  # a track's number -> its name, to say back as the schedule writes it

    def with_words(self, wanted: set[str]) -> set[Track]:
        """Tracks whose name holds every one of some words."""
        found: set[Track] | None = None
        for word in wanted:
            found = self.by_word.get(word, set()) if found is None else found & self.by_word.get(word, set())
            if not found:
                return set()
        return found or set()

    def containing(self, squeezed: str) -> set[Track]:
        """Tracks whose compacted name contains some letters (inside a longer word too)."""
        found: set[Track] = set()
        at = self.joined.find(squeezed)
        while at >= 0:
            number = bisect_right(self.starts, at) - 1
            found.add(self.tracks[number])
            following = self.starts[number + 1] if number + 1 < len(self.starts) else len(self.joined)
            at = self.joined.find(squeezed, following)
        return found

    def nearest(self, squeezed: str, edits: int, conference: str | None) -> set[Track]:
        """The tracks of the one name, or word of a name, nearest to a misspelt one within some edits (a swap of
        two letters is one). Empty when none is that near, or when two are equally near: a guess between
        'Databases' and 'Datacenters' would filter on the wrong one half the time, so the words are searched."""
        if not edits:
            return set()
        from rapidfuzz.distance import OSA  # loaded by the first misspelt track, not by every process start
        from rapidfuzz.process import extract

        choices: dict[str, set[Track]] = defaultdict(set)
        for table in (self.whole, self.by_word):
            for name, tracks in table.items():
                choices[name] |= {t for t in tracks if conference in (None, t[0])}
        near = extract(squeezed, [c for c, t in choices.items() if t], scorer=OSA.distance, score_cutoff=edits)
        if not near:
            return set()
        best = min(distance for _, distance, _ in near)
        closest = [choice for choice, distance, _ in near if distance == best]
        return choices[closest[0]] if len(closest) == 1 else set()


@per_index
def track_names(index: SearchIndex) -> TrackNames:
    """The track tables of an index, built on the first question that names a track."""
    whole: dict[str, list[Track]] = defaultdict(list)
    by_word: dict[str, set[Track]] = defaultdict(set)
    pieces: list[str] = []
    starts: list[int] = []
    tracks: list[Track] = []
    length = 0
    for slug, named in index.tracks.items():
        for name, key in named.items():
            have, squeezed = index.track_terms[name]
            whole[squeezed].append((slug, key))
            for word in have:
                by_word[word].add((slug, key))
            starts.append(length)
            tracks.append((slug, key))
            pieces.append(squeezed + "\x00")
            length += len(squeezed) + 1
    name_of = {key: name for by_name in index.tracks.values() for name, key in by_name.items()}
    return TrackNames(dict(whole), dict(by_word), "".join(pieces), starts, tracks, name_of)
