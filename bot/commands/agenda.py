"""A person's agenda: save and drop sessions, see them with reminder times and clashes, export them."""

from __future__ import annotations

from datetime import timedelta

from bot.commands.registry import command
from bot.commands.search import not_resolved, run_search
from bot.context import Context
from bot.dialogue import Question
from bot.export_ics import agenda_calendar
from bot.messages import Attachment, Reply
from bot.references import YES, said
from bot.reminders.recent import sent_reminders
from catalog.model import Session
from catalog.times import tz_from_name


def _when(ctx: Context, conference: str, moment: object) -> str:
    from datetime import datetime

    assert isinstance(moment, datetime)
    return moment.astimezone(tz_from_name(ctx.zone_for(conference))).strftime("%a %d %b %H:%M")


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
    elif session.start <= ctx.now():
        text = f"Saved “{session.title}”, though it has already started, so there will be no reminder."
    else:
        assert card.reminder_at is not None
        text = (
            f"Saved “{session.title}”. I'll remind you at {_when(ctx, conference, card.reminder_at)}"
            f" ({lead} minutes before)."
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
    """Drop a session from your agenda, and its reminder with it."""
    found = ctx.resolve(args)
    if found.session is None:
        return not_resolved(ctx, found, "forget")
    if ctx.agenda.forget(ctx.person, found.conference, found.session.id):
        return Reply(f"Removed “{found.session.title}” from your agenda.")
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
    if not saved:
        return Reply("Your agenda is already empty.")
    count = f"{len(saved)} session{'s' if len(saved) != 1 else ''}"
    every = f"all {count}" if len(saved) > 1 else "the 1 session"
    if not confirmed:
        ctx.memory.ask(ctx.person, Question(yes="forget all yes", no=f"OK, I kept {every} in your agenda."))
        return Reply(
            f"That would drop {every} from your agenda, and their reminders. Say 'yes' (or 'forget all yes') "
            "to do it, 'no' to keep them, or 'forget <number>' after 'agenda' to drop just one."
        )
    for conference, session_id in saved:
        ctx.agenda.forget(ctx.person, conference, session_id)
    return Reply(f"Done: your agenda is empty ({count} dropped, with their reminders).")


@command("snooze", usage="snooze [<session>] [minutes]", aliases=("schlummern", "später erinnern"))
def snooze(ctx: Context, args: str) -> Reply:
    """Remind me again a little later (5 minutes by default).

    Right after a reminder, "snooze" or "snooze 10" (minutes) is about that reminder. Otherwise name the
    session: "snooze 2 15" reminds you again in 15 minutes about session 2 of your last list."""
    words = args.split()
    minutes = DEFAULT_SNOOZE
    just = _just_reminded(ctx)
    if just and len(words) <= 2 and all(w.isdecimal() and len(w) <= 6 for w in words):
        chosen = _reminder_and_minutes(just, [int(w) for w in words])
        if chosen is not None:
            conference, _, session_id = chosen[0].partition(":")
            session = ctx.session(conference, session_id)
            if session is not None:
                return _snoozed(ctx, conference, session, chosen[1])
    if len(words) > 1 and words[-1].isdecimal():
        minutes = int(words.pop()) if len(words[-1]) <= 6 else MAX_SNOOZE
    found = ctx.resolve(" ".join(words) or "it")
    if found.session is None:
        if not words:
            return Reply(
                "Which session? Right after a reminder, 'snooze' is about it; otherwise say 'agenda', "
                "then 'snooze <number>'."
            )
        return not_resolved(ctx, found, "snooze")
    return _snoozed(ctx, found.conference, found.session, minutes)


DEFAULT_SNOOZE = 5
MAX_SNOOZE = 120


def _just_reminded(ctx: Context) -> list[str]:
    """The sessions of reminders that arrived after this person last said anything, still to start."""
    since = ctx.memory.last_turn(ctx.person)
    if since is None:  # nothing said since this process started: only a reminder that is still of use
        since = ctx.now() - timedelta(minutes=MAX_SNOOZE)
    found = []
    for sent in sent_reminders(ctx.agenda.db, ctx.person, since):
        session = ctx.session(sent.conference, sent.session_id)
        if session is not None and session.start is not None and session.start > ctx.now():
            found.append(sent.ref)
    return found


def _reminder_and_minutes(just: list[str], numbers: list[int]) -> tuple[str, int] | None:
    """'snooze': the latest reminder, 5 minutes; 'snooze 1': the first reminder just shown; 'snooze 10': the
    latest, 10 minutes; 'snooze 1 10': the first, 10 minutes. None: 'snooze 7 10' names a list position."""
    if not numbers:
        return just[-1], DEFAULT_SNOOZE
    picked = numbers[0] if 1 <= numbers[0] <= len(just) else None
    if len(numbers) == 1:
        return (just[picked - 1], DEFAULT_SNOOZE) if picked else (just[-1], numbers[0])
    return (just[picked - 1], numbers[1]) if picked else None


def _snoozed(ctx: Context, conference: str, session: Session, minutes: int) -> Reply:
    until = ctx.now() + timedelta(minutes=max(1, min(MAX_SNOOZE, minutes)))
    if session.start is not None and session.start <= ctx.now():
        return Reply(f"“{session.title}” has already started; no later reminder.")
    if session.start is not None and until >= session.start:
        return Reply(f"“{session.title}” starts before then; no later reminder.")
    if not ctx.agenda.snooze(ctx.person, conference, session.id, until):
        return Reply(f"“{session.title}” is not in your agenda; say 'remind' to save it.")
    return Reply(f"OK, I'll remind you again about “{session.title}” at {_when(ctx, conference, until)}.")


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
    items = ctx.saved_sessions()
    if not items:
        return Reply("Your agenda is empty. Save a session with 'remind <number>' after a search.")
    spans = len({conf for conf, _ in items}) > 1  # each line then says which conference it belongs to
    cards = tuple(ctx.card(conf, s, number=i + 1, labelled=spans) for i, (conf, s) in enumerate(items))
    from bot.store.agenda import LastList

    ctx.agenda.remember_list(ctx.person, LastList(tuple(c.ref for c in cards), "", len(cards), len(cards), "agenda"))
    clashing = sum(1 for c in cards if c.clashes)
    lead = ctx.settings().lead_minutes
    text = f"Your agenda: {len(cards)} session{'s' if len(cards) != 1 else ''}, reminders {lead} minutes before"
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
    text = f"Your agenda as a calendar file: {len(timed)} session{'s' if len(timed) != 1 else ''}."
    if untimed:
        text += f" {untimed} without a time yet are left out."
    return Reply(text, attachment=Attachment("confbot-agenda.ics", content, "text/calendar"))
