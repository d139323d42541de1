"""Which saved session 'forget <words>' means: only the person's own agenda is looked in.

Forgetting can only drop what was saved, so a title matched across the whole schedule answers nothing useful:
'DROP TABLE sessions;--' once fuzzily found "Open Table Formats" and said it was not in the agenda. Numbers,
ids and 'it' still go through the usual lookup (a list shown, a button pressed), since those name one session
exactly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.references import is_pronoun, list_position
from bot.search.engine import Hit

if TYPE_CHECKING:
    from bot.context import Context, Resolved

ECHOED = 60  # characters of what was asked said back: enough to recognise it


def saved_meant(ctx: Context, text: str) -> Resolved:
    from bot.context import Resolved

    words = " ".join(text.strip().strip("\"'“”").split())
    exact = _names_one_exactly(ctx, words)
    if exact:
        return ctx.resolve(text)
    saved = ctx.saved_sessions()
    refs = {(conference, session.id) for conference, session in saved}
    folded = words.casefold()
    in_title = [(c, s) for c, s in saved if folded in s.title.casefold()]
    if len(in_title) == 1:
        return Resolved(*in_title[0])
    engine = ctx.whole()
    result = engine.search(words, now=ctx.now(), limit=max(1, engine.index.n)) if saved else None
    hits = [h for h in (result.hits if result else ()) if (h.conference, h.session.id) in refs]
    if not hits:
        shown = words if len(words) <= ECHOED else words[: ECHOED - 1] + "…"
        return Resolved(message=f"Nothing in your agenda matches '{shown}'; say 'agenda' to see what is in it.")
    if len(hits) == 1 or hits[0].score >= 2 * hits[1].score:
        return Resolved(hits[0].conference, hits[0].session)
    return Resolved(candidates=tuple(Hit(h.conference, h.session, h.score, h.why) for h in hits))


def _names_one_exactly(ctx: Context, words: str) -> bool:
    """'it', '2', 'the second one', 'fosdem-2026:8376', an id: these point at one session, saved or not."""
    if not words or is_pronoun(words) or list_position(words) is not None or words.strip("#").isdecimal():
        return True
    if ":" in words and " " not in words:
        return True
    return bool(ctx.whole().index.by_source_id(words))
