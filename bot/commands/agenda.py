"""A person's agenda: save and drop sessions, see them with reminder times and clashes, export them."""

from __future__ import annotations

from datetime import datetime

from bot.commands.registry import command
from bot.commands.search import not_resolved, run_search
from bot.context import AGENDA, Context
from bot.dialogue import Question
from bot.export_ics import agenda_calendar
from bot.messages import Attachment, Reply
from bot.references import YES, said
from bot.reminders.text import minutes_until
from bot.saved_lookup import saved_meant
from catalog.model import Session
from catalog.text import counted
from catalog.times import tz_from_name


def clock_time(ctx: Context, conference: str, moment: object) -> str:
    assert isinstance(moment, datetime)
    return moment.astimezone(tz_from_name(ctx.zone_for(conference))).strftime("%a %d %b %H:%M")


def _ended(ctx: Context, conference: str, end: datetime) -> str:
    """'Sat 28 Mar 10:45', with the year when it is not this one ('Fri 27 Dec 2019 18:15')."""
    shown = clock_time(ctx, conference, end)
    return shown if end.year == ctx.now().year else f"{shown[:-6]} {end.year} {shown[-5:]}"


def remember_agenda(ctx: Context, items: list[tuple[str, Session]]) -> None:
    """The whole agenda in its order, whatever part of it was shown: a number means the same session after
    'agenda' and after 'clashes'."""
    ctx.remember_list(tuple(f"{conf}:{s.id}" for conf, s in items), "", len(items), AGENDA)


@command(
    "remind",
    usage="remind <session>",
    aliases=(
        ("remind me about", "remind me of", "remind me", "save", "add")
        + ("erinnere mich an", "erinnere mich", "merke dir", "merk dir", "merke", "merk", "merken", "speichere")
    ),
)
def remind(ctx: Context, args: str) -> Reply:
    """Save a session and get a reminder before it starts.

    The lead time is yours to choose (see 'settings').

    <session> is the number beside a result in your last list, a session id, or part of its title.
    Saving warns when it overlaps another session you saved, and offers the same topic at other times.
    """
    found = ctx.resolve(args)
    if found.session is None:
        return not_resolved(ctx, found, "remind")
    conference, session = found.conference, found.session
    if not ctx.agenda.save(ctx.person, conference, session.id, ctx.now()):
        card = ctx.card(conference, session)
        return Reply(f"“{session.title}” is already in your agenda.", (card,))
    card = ctx.card(conference, session)
    lead = ctx.settings().lead_minutes
    if session.start is None:
        text = f"Saved “{session.title}”. It has no time yet, so I'll remind you once the schedule gives one."
    elif session.end is not None and session.end <= ctx.now():
        # Kept (a recording may follow), but said plainly: 'already started' read as if it could still be caught.
        ended = _ended(ctx, conference, session.end)
        text = f"Saved “{session.title}”, but it is over: it ended {ended}, so there will be no reminder."
    elif session.start <= ctx.now():
        text = f"Saved “{session.title}”, though it has already started, so there will be no reminder."
    elif (ctx.reminder_at(session) or session.start) <= ctx.now():
        # Its reminder time has passed: saying a past time, then sending a late reminder, would both mislead.
        soon = minutes_until(session.start, ctx.now())
        text = (
            f"Saved “{session.title}”. It starts in {counted(soon, 'minute')}"
            f" ({clock_time(ctx, conference, session.start)}),"
            f" too soon for a reminder {counted(lead, 'minute')} before,"
            " so none will come."
        )
    else:
        assert card.reminder_at is not None
        text = (
            f"Saved “{session.title}”. I'll remind you at {clock_time(ctx, conference, card.reminder_at)}"
            f" ({counted(lead, 'minute')} before)."
        )
    cards = [card]
    groups: tuple[tuple[str, int], ...] = ()
    if card.clashes:
        text += "\n⚠ It overlaps " + " and ".join(f"“{t}”" for t in card.clashes) + ", also in your agenda."
        others = [
            h
            for h in ctx.engine_for(conference).similar(conference, session, limit=10)
            if not h.session.overlaps(session) and h.session.start and h.session.start > ctx.now()
        ][:3]
        if others:
            cards += [ctx.card(h.conference, h.session, why=h.why) for h in others]
            groups = (("", 1), ("The same topic at other times", len(others)))
    return Reply(text, tuple(cards), groups=groups)


@command(
    "forget",
    usage="forget <session>",
    aliases=("unsave", "drop", "remove", "vergiss", "vergessen", "entferne", "lösche"),
)
def forget(ctx: Context, args: str) -> Reply:
    """Drop a session from your agenda, and its reminder with it.

    <session> is a number from your last list, 'it', a session id, or words of a title in your agenda."""
    found = saved_meant(ctx, args)
    if found.session is None:
        return not_resolved(ctx, found, "forget")
    if ctx.agenda.forget(ctx.person, found.conference, found.session.id):
        # Two saved sessions can share a title ('VoxelBox Hacking' on two days): then which one went, by its time.
        start, title = found.session.start, found.session.title
        twin = any(s.title == title for _, s in ctx.saved_sessions())
        when = f" ({clock_time(ctx, found.conference, start)})" if start and twin else ""
        return Reply(f"Removed “{title}”{when} from your agenda.")
    return Reply(f"“{found.session.title}” was not in your agenda.")


@command(
    "clear",
    usage="clear my agenda",
    aliases=(
        "clear my agenda",
        "clear agenda",
        "clear my schedule",
        "empty my agenda",
        "delete my agenda",
        "forget all",
        "forget everything",
        "forget them all",
        "remove all",
        "vergiss alles",
        "alles vergessen",
        "lösche alles",
        "alles löschen",
        "agenda leeren",
    ),
)
def clear(ctx: Context, args: str) -> Reply:
    """Drop every session from your agenda, once you confirm.

    "forget all" or "clear my agenda" asks first; "yes" then (or "forget all yes" at once) does it, "no"
    keeps them. Nothing is dropped on the first ask: it says how many sessions would go, so a slip costs nothing.
    """
    confirmed = said(args)
    if confirmed and confirmed not in YES:
        return run_search(ctx, ctx.incoming.text or args)  # "clear code talks": a search that starts with 'clear'
    saved = ctx.agenda.saved(ctx.person)
    shown = len(ctx.saved_sessions())  # what 'agenda' lists: not sessions a sync removed from the schedule
    if not saved:
        return Reply("Your agenda is already empty.")
    count = counted(shown, "session")
    every = f"all {count}" if shown > 1 else "the 1 session"
    if not confirmed:
        ctx.memory.ask(ctx.person, Question(yes="forget all yes", no=f"OK, I kept {every} in your agenda."))
        return Reply(
            f"That would drop {every} from your agenda, and their reminders. Say 'yes' (or 'forget all yes') "
            "to do it, 'no' to keep them, or 'forget <number>' after 'agenda' to drop just one."
        )
    for conference, session_id in saved:
        ctx.agenda.forget(ctx.person, conference, session_id)
    return Reply(f"Done: your agenda is empty ({count} dropped, with their reminders).")


@command(
    "agenda",
    usage="agenda",
    aliases=(
        ("my schedule", "my agenda", "schedule", "reminders", "my reminders")
        + ("meine agenda", "mein programm", "mein plan", "mein zeitplan", "meine termine", "meine erinnerungen")
    ),
)
def agenda(ctx: Context, args: str) -> Reply:
    """Your saved sessions in time order, with reminders and clashes."""
    said = ctx.incoming.text.lower().split()
    if args.strip() and said and said[0] in ("schedule", "reminders"):
        # 'schedule for saturday evening' asks for the conference's schedule then, not for your agenda
        # ('my schedule tomorrow' stays yours).
        from bot.commands.search import run_search

        return run_search(ctx, args)
    items = ctx.saved_sessions()
    if not items:
        return Reply("Your agenda is empty. Save a session with 'remind <number>' after a search.")
    # Each line says which conference it belongs to when there are several, or when it is not the one asked about.
    spans = len({conf for conf, _ in items}) > 1 or any(conf != ctx.conference for conf, _ in items)
    cards = tuple(ctx.card(conf, s, number=i + 1, labelled=spans) for i, (conf, s) in enumerate(items))
    remember_agenda(ctx, items)
    if len(cards) > 1:  # 'forget it' is then one of these, asked about
        ctx.memory.set_focus(ctx.person, "", ctx.now(), listed=tuple(range(1, len(cards) + 1)))
    clashing = sum(1 for c in cards if c.clashes)
    lead = ctx.settings().lead_minutes
    text = f"Your agenda: {counted(len(cards), 'session')}, reminders {counted(lead, 'minute')} before"
    text += f"; {clashing} overlap another." if clashing else "."
    return Reply(text, cards)


@command("export", usage="export", aliases=("ical", "ics", "calendar", "exportieren", "kalender"))
def export(ctx: Context, args: str) -> Reply:
    """Your agenda as an iCalendar (.ics) file for any calendar app."""
    items = ctx.saved_sessions()
    timed = [(c, s) for c, s in items if s.start is not None]
    if not timed:
        return Reply("Nothing to export yet: save sessions with 'remind <number>' first.")
    content = agenda_calendar(timed, ctx.now())
    untimed = len(items) - len(timed)
    text = f"Your agenda as a calendar file: {counted(len(timed), 'session')}."
    if untimed:
        text += f" {untimed} without a time yet {'is' if untimed == 1 else 'are'} left out."
    return Reply(text, attachment=Attachment("confbot-agenda.ics", content, "text/calendar"))
