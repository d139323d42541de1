"""What a re-import changed: the basis of telling people that a talk they saved has moved."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from catalog.model import Session
from catalog.text import counted

# Fields people act on; anything else that differs is reported as "details".
_WATCHED = (
    ("time", lambda s: (s.start, s.end)),
    ("room", lambda s: s.room),
    ("title", lambda s: s.title),
    ("speakers", lambda s: s.speaker_names),
)


@dataclass(frozen=True)
class Change:
    before: Session
    after: Session
    fields: tuple[str, ...]

    @property
    def moved(self) -> bool:
        return "time" in self.fields or "room" in self.fields


@dataclass(frozen=True)
class ScheduleDiff:
    added: tuple[Session, ...] = ()
    changed: tuple[Change, ...] = ()
    removed: tuple[Session, ...] = ()
    unchanged: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.removed)

    def summary(self) -> str:
        if self.is_empty:
            return f"no changes ({counted(self.unchanged, 'session')} unchanged)"
        moved = sum(1 for c in self.changed if c.moved)
        parts = [
            f"{len(self.added)} added",
            f"{len(self.changed)} changed" + (f" ({moved} moved)" if moved else ""),
            f"{len(self.removed)} removed",
            f"{self.unchanged} unchanged",
        ]
        return ", ".join(parts)


def diff(old: Iterable[Session], new: Iterable[Session]) -> ScheduleDiff:
    before = {s.id: s for s in old}
    after = {s.id: s for s in new}
    changed = []
    unchanged = 0
    for sid, session in after.items():
        previous = before.get(sid)
        if previous is None:
            continue
        fields = tuple(name for name, key in _WATCHED if key(previous) != key(session))
        if not fields and previous != session:
            fields = ("details",)
        if fields:
            changed.append(Change(previous, session, fields))
        else:
            unchanged += 1
    return ScheduleDiff(
        added=tuple(s for sid, s in after.items() if sid not in before),
        changed=tuple(changed),
        removed=tuple(s for sid, s in before.items() if sid not in after),
        unchanged=unchanged,
    )
