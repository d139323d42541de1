"""Where and when the sessions of a list are, said when a filter keeps none of them.

'None of the 66 sessions for 'rust' is in K.4.201' leaves the person asking where they are, then; saying it at
once ('they are in UB2.252A (Lameere) on Sunday') answers what they wanted to know: whether to go there.
"""

from __future__ import annotations

from collections import Counter

from bot.context import Context
from bot.search import filters
from bot.search.engine import Hit
from bot.search.language import SPOKEN
from bot.search.query import parse
from catalog.model import Session
from catalog.text import counted
from catalog.times import tz_from_name

NAMED = 3  # rooms, days or languages named one by one; beyond, the first ones and how many others


def part_of(ctx: Context, kept: int, hits: list[Hit], called: str, said: str, phrase: str) -> str:
    """How much of a list a filter keeps, as its heading ('3 of the 66 sessions for 'rust' are in K.4.201:', 'All
    …', 'The session … is …:'); with none kept, where and when its sessions are instead."""
    whole = f"{counted(len(hits), 'session') if len(hits) > 1 else 'session'} {called}".strip()
    if not kept:
        return none_left(ctx, whole, said, phrase, hits)
    if kept == len(hits):
        return f"The {whole} is {said}:" if kept == 1 else f"All {whole} are {said}:"
    return f"{kept} of the {whole} {'is' if kept == 1 else 'are'} {said}:"


def none_left(ctx: Context, whole: str, said: str, phrase: str, hits: list[Hit]) -> str:
    """'None of the 66 sessions for 'rust' is in K.4.201; they are in UB2.252A (Lameere) on Sunday.'"""
    parsed = parse(phrase)
    found = [h.session for h in hits]
    where = []
    if parsed.room or parsed.places:
        where.append(_rooms(found))
    if parsed.track:
        where.append(_listed("in", Counter(s.track for s in found if s.track), "tracks"))
    if parsed.language:
        where.append(_languages(ctx, hits))
    if parsed.time is not None or parsed.room or parsed.places:
        where.append(_days(ctx, hits, closely=parsed.time is not None))
    instead = " ".join(w for w in where if w)
    if len(hits) == 1:
        return f"The {whole} is not {said}" + (f"; it is {instead}." if instead else ".")
    return f"None of the {whole} is {said}" + (f"; they are {instead}." if instead else ".")


def _rooms(found: list[Session]) -> str:
    return _listed("in", Counter(s.room for s in found if s.room), "rooms")


def _listed(preposition: str, counts: Counter[str], plural: str) -> str:
    """'in A', 'in A, B and C', 'mostly in A and B (and 9 other rooms)': the commonest first."""
    names = [name for name, _ in counts.most_common()]
    if not names:
        return ""
    if len(names) <= NAMED:
        return f"{preposition} {_joined(names)}"
    return f"mostly {preposition} {_joined(names[:2])} (and {len(names) - 2} other {plural})"


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _days(ctx: Context, hits: list[Hit], closely: bool) -> str:
    """'on Saturday and Sunday'; for a time asked about, on one day, the hours too ('on Sunday, 10:00 to 17:00')."""
    timed = [h.session for h in hits if h.session.start is not None]
    if not timed:
        return ""
    info = ctx.conference_info(hits[0].conference)
    zone = tz_from_name(info.timezone) if info and info.timezone else None
    starts = sorted(s.start.astimezone(zone) for s in timed if s.start is not None)
    days = list(dict.fromkeys(f"{at:%A}" for at in starts))
    if len(days) > NAMED + 1:
        return f"over {len(days)} days"
    text = f"on {_joined(days)}"
    if closely and len(days) == 1:
        ends = [(s.end or s.start).astimezone(zone) for s in timed if s.start is not None]
        text += f", {starts[0]:%H:%M} to {max(ends):%H:%M}"
    return text


def _languages(ctx: Context, hits: list[Hit]) -> str:
    index = ctx.whole().index
    docs = [index.doc_of(h.conference, h.session.id) for h in hits]
    counts: Counter[str] = Counter()
    for code, name in SPOKEN.items():
        mask = filters.language_mask(index, code)
        counts[name] = sum(1 for d in docs if d is not None and bool(mask[d]))
    return _listed("in", +counts, "languages")
