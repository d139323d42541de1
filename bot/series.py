"""Series of conferences: 'fosdem' for every FOSDEM, 'ccc' or 'congress' for every Chaos Communication Congress.

People name the series, not the edition ("switch to ccc" during 38C3). An edition's slug usually carries the
series: a name and a year (fosdem-2025) or a number and a name (35c3, 38c3). The congress sources name their
series nowhere (38C3's title is just '38C3'), so a short table gives the names people use for the few
well-known series whose slugs do not say them.
"""

from __future__ import annotations

import re

from bot.scope import family
from bot.search.text import compact
from catalog.model import Conference

# Series key (as series_key finds it) -> further names people give the series, compacted.
WELL_KNOWN: dict[str, frozenset[str]] = {
    "c3": frozenset({"ccc", "congress", "chaoscongress", "chaoscommunicationcongress", "c3"}),
}
_NUMBERED = re.compile(r"\d+([a-z][a-z0-9]*)")  # 35c3, 38c3: the edition's number, then the series


def series_key(conf: Conference) -> str:
    """'fosdem' for fosdem-2025, 'c3' for 38c3; '' when the slug names no series."""
    numbered = _NUMBERED.fullmatch(compact(conf.slug))
    return family(conf) or (numbered.group(1) if numbered else "")


def series_names(conf: Conference) -> frozenset[str]:
    """Every name, compacted, that stands for the series this conference is an edition of."""
    key = series_key(conf)
    return frozenset({key} | WELL_KNOWN.get(key, frozenset())) if key else frozenset()
