"""Refusing a new schedule that looks broken, on what it says and not only on how many sessions it has.

A source that fails half-way tends to keep its ids and lose the rest: titles or times come back empty, or a
few sessions go missing at each fetch. So a version is refused (unless forced) when, against the copy we
have, it removes too many sessions or blanks the title or time of too many kept ones; and, against the most
the conference has had since its first or last forced import, when it has lost too many sessions in all or
too many sessions that have both a title and a time. Small steps cannot add up to a large loss.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from catalog.model import Session
from catalog.text import counted

MAX_LOSS = 0.30
_ADVICE = "refused. Check the source, then 'confbot sync --force'."


@dataclass(frozen=True)
class Marks:
    """The most sessions, and the most with both a title and a time, accepted since the guard was last reset."""

    sessions: int
    complete: int

    def raised_to(self, other: Marks) -> Marks:
        return Marks(max(self.sessions, other.sessions), max(self.complete, other.complete))


def _complete(session: Session) -> bool:
    return bool(session.title.strip()) and session.start is not None


def marks_of(sessions: Sequence[Session]) -> Marks:
    return Marks(len(sessions), sum(1 for s in sessions if _complete(s)))


def _blanked(before: Session, after: Session) -> bool:
    lost_title = bool(before.title.strip()) and not after.title.strip()
    lost_time = before.start is not None and after.start is None
    return lost_title or lost_time


def _share(part: int, whole: int) -> str:
    return f"{part} of {counted(whole, 'session')} ({part * 100 // whole}%)"


def finding(old: Sequence[Session], fresh: Sequence[Session], high: Marks) -> str | None:
    """What makes `fresh` look broken against `old` and the marks ("would remove 31 of 100 sessions (31%)"),
    worded to follow "the new schedule"; None when it may replace `old`. Sync and import word their advice
    differently, so the finding comes without it."""
    if not old:
        return None
    now_by_id = {s.id: s for s in fresh}
    removed = sum(1 for s in old if s.id not in now_by_id)
    if removed / len(old) > MAX_LOSS:
        return f"would remove {_share(removed, len(old))}"
    blanked = sum(1 for s in old if s.id in now_by_id and _blanked(s, now_by_id[s.id]))
    if blanked / len(old) > MAX_LOSS:
        return f"would blank the title or time of {_share(blanked, len(old))}"
    now = marks_of(fresh)
    for what, most, has in (
        ("", high.sessions, now.sessions),
        (" with a title and a time", high.complete, now.complete),
    ):
        if most and (most - has) / most > MAX_LOSS:
            return (
                f"has {counted(has, 'session')}{what}, {(most - has) * 100 // most}% fewer than the {most} "
                "accepted since the first or last forced import"
            )
    return None


def refusal(title: str, why: str, affecting: str) -> str:
    """Why a new schedule must not replace the stored one without --force, and whom it would touch, in one line."""
    return f"{title}: the new schedule {why}, affecting {affecting}; {_ADVICE}"


def lost_ids(old: Sequence[Session], fresh: Sequence[Session]) -> set[str]:
    """The sessions of `old` that `fresh` removes or blanks: whoever saved one of them loses something."""
    now_by_id = {s.id: s for s in fresh}
    return {s.id for s in old if s.id not in now_by_id or _blanked(s, now_by_id[s.id])}
