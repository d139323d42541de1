"""'clashes': which sessions in a person's agenda overlap, so they can choose before the day, not in the hallway."""

from __future__ import annotations

from bot.commands.agenda import clock_time, remember_agenda
from bot.commands.registry import command
from bot.commands.search import run_search
from bot.context import Context
from bot.messages import Reply
from catalog.model import Session
from catalog.text import counted


@command(
    "clashes",
    usage="clashes",
    aliases=("clash", "my clashes", "conflicts", "overlaps", "überschneidungen", "überschneidung", "konflikte"),
)
def clashes(ctx: Context, args: str) -> Reply:
    """Which sessions in your agenda overlap each other.

    Each pair is listed with the time they share; the sessions keep their numbers in 'agenda', so 'forget
    <number>' drops the same one after either.
    """
    if args.strip():  # 'conflicts in communities': a search that starts with the word
        return run_search(ctx, ctx.incoming.text or args)
    items = ctx.saved_sessions()
    if not items:
        return Reply("Your agenda is empty, so nothing clashes. Save a session with 'remind <number>' after a search.")
    pairs = [(a, b) for i, a in enumerate(items) for b in items[i + 1 :] if a[1].overlaps(b[1])]
    if not pairs:
        if len(items) == 1:
            return Reply("No clashes: your agenda has only one session.")
        return Reply(f"No clashes: none of the {len(items)} sessions in your agenda overlap.")
    number = {cs: i + 1 for i, cs in enumerate(items)}  # as 'agenda' numbers them
    involved = sorted(dict.fromkeys(cs for pair in pairs for cs in pair), key=number.__getitem__)
    spans = len({conf for conf, _ in involved}) > 1
    cards = tuple(ctx.card(conf, s, number=number[(conf, s)], labelled=spans) for conf, s in involved)
    remember_agenda(ctx, items)
    ctx.memory.set_focus(ctx.person, "", ctx.now(), listed=tuple(number[cs] for cs in involved))
    lines = [f"  {number[a]} and {number[b]} overlap {_shared(ctx, a[0], a[1], b[1])}" for a, b in pairs]
    head = f"{counted(len(pairs), 'clash', 'clashes')} in your agenda:"
    return Reply("\n".join([head, *lines, "Say 'forget <number>' to drop one."]), cards)


def _shared(ctx: Context, conference: str, a: Session, b: Session) -> str:
    """The time two overlapping sessions share, in the reader's zone: 'Sat 31 Jan 10:30–10:45'."""
    assert a.start and a.end and b.start and b.end  # overlapping sessions have both times
    start, end = max(a.start, b.start), min(a.end, b.end)
    return f"{clock_time(ctx, conference, start)}–{clock_time(ctx, conference, end)[-5:]}"
