"""Finding people: 'speaker dan', 'who is daniel' list every speaker whose name fits, then their sessions.

People remember a first name or half a surname; guessing one person when three fit hides the other two.
"""

from __future__ import annotations

from bot.commands.registry import command
from bot.commands.search import PAGERS, run_search, sessions
from bot.context import Context
from bot.messages import Reply
from bot.search.engine import Hit
from bot.search.filters import name_fits
from bot.search.query import SPEAKER_VERBS
from bot.search.text import compact, words
from bot.speaker_names import a_name, nobody

NAMES_SHOWN = 12


def fitting_speakers(ctx: Context, name: str) -> list[str]:
    """Speakers of the conference in scope whose name has a word starting with each word typed."""
    wanted = words(name)
    if not wanted:
        return []
    sessions = ctx.engine().index.sessions_of(ctx.conference or "")
    names = sorted({n for s in sessions for n in s.speaker_names})
    exact = [n for n in names if compact(n) == compact(name)]
    if exact:
        return exact
    fits = []
    for full in names:
        have = words(full)
        if all(any(part.startswith(w) for part in have) for w in wanted):
            fits.append(full)
    return fits


def _speaker_list(ctx: Context, name: str, offset: int = 0) -> Reply | None:
    people = fitting_speakers(ctx, name)
    if not people:
        return None
    chosen = set(people)
    slug = ctx.conference or ""
    hits = [
        Hit(slug, s, 0.0, ("speaker: " + ", ".join(n for n in s.speaker_names if n in chosen),))
        for s in ctx.engine().index.sessions_of(slug)
        if chosen.intersection(s.speaker_names)
    ]
    hits.sort(key=lambda h: (h.session.start is None, h.session.start.timestamp() if h.session.start else 0.0))
    hits = ctx.by_clock(hits)
    if len(people) == 1:
        text = f"{people[0]}: {sessions(len(hits))}:"
    else:
        counts = {p: sum(1 for h in hits if p in h.session.speaker_names) for p in people}
        named = ", ".join(f"{p} ({counts[p]})" for p in people[:NAMES_SHOWN])
        more = f" and {len(people) - NAMES_SHOWN} more" if len(people) > NAMES_SHOWN else ""
        text = f"{len(people)} speakers fit '{name}': {named}{more}. Their {sessions(len(hits))}:"
    if offset:
        text = f"More sessions by speakers fitting '{name}':"
    page = hits[offset : offset + ctx.page_size]
    return ctx.list_reply(ctx.about_scope(text), page, total=len(hits), query=name, kind="speaker", offset=offset)


@command(
    "speaker",
    usage="speaker <name>",
    aliases=("by", "who is", "who's", "whois", "speakers named", "wer ist", "sprecher", "referent", "referentin"),
)
def speaker(ctx: Context, args: str) -> Reply:
    """Sessions by a speaker; part of a name lists all who fit.

    "speaker dan" lists every speaker whose name has a word starting "dan", then their sessions;
    "who is daniel" works the same way. A misspelt full name ("lenart poetering") still finds the person.
    """
    name = " ".join(args.split()).strip("?!.")
    if not name:
        return Reply("Whose sessions? Try 'speaker <name>', e.g. 'speaker dan'.")
    listed = _speaker_list(ctx, name)
    if listed is not None:
        return listed
    first, _, rest = name.partition(" ")
    if first.lower() in SPEAKER_VERBS:  # "who is presenting on rust": a question about a topic, not a name
        return run_search(ctx, rest or name)
    if ctx.incoming.text.lower().startswith("who"):  # "who is the keynote speaker": the search reads it best
        found = run_search(ctx, ctx.incoming.text)
    else:
        found = run_search(ctx, f"by {name}")
    if not a_name(name) or any(name_fits(name, p) for card in found.cards for p in card.session.speaker_names):
        return found
    if found.cards:
        ctx.remember_list((), name, 0, "speaker")  # 'remind 1' must not pick a talk by someone else
    return nobody(ctx, name)


PAGERS["speaker"] = lambda ctx, query, offset: _speaker_list(ctx, query, offset) or Reply("Nothing more to show.")
