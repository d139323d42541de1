"""Some sources repeat an id (a workshop held daily, two merged feeds); no session may vanish because of it."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from catalog.model import Session
from catalog.text import counted


def disambiguate(sessions: tuple[Session, ...]) -> tuple[tuple[Session, ...], list[str]]:
    """Identical repeats are merged; distinct sessions sharing an id are all kept, later ones as ID#2, ID#3."""
    counts = Counter(s.id for s in sessions)
    if all(n == 1 for n in counts.values()):
        return sessions, []
    seen: dict[str, list[Session]] = {}
    taken = set(counts)
    result: list[Session] = []
    merged = renamed = 0
    for session in sessions:
        earlier = seen.setdefault(session.id, [])
        if session in earlier:
            merged += 1
            continue
        if earlier:
            number = len(earlier) + 1
            new_id = f"{session.id}#{number}"
            while new_id in taken:
                number += 1
                new_id = f"{session.id}#{number}"
            taken.add(new_id)
            earlier.append(session)
            result.append(replace(session, id=new_id))
            renamed += 1
            continue
        earlier.append(session)
        result.append(session)
    repeated = sorted(i for i, n in counts.items() if n > 1)
    shown = ", ".join(repeated[:5]) + (f" and {len(repeated) - 5} more" if len(repeated) > 5 else "")
    warnings = []
    if renamed:
        ids = "1 id" if len(repeated) == 1 else f"{len(repeated)} ids"
        kept = "the repeat" if renamed == 1 else f"all {renamed} repeats"
        warnings.append(f"{ids} used more than once ({shown}): kept {kept} as ID#2, ID#3…")
    if merged:
        warnings.append(f"merged {counted(merged, 'exact duplicate entry', 'exact duplicate entries')}")
    return tuple(result), warnings
