"""The console: a REPL (or a script from standard input) with a virtual clock that delivers what falls due.

`:time ISO8601` sets the clock, `:wait 90m` moves it forward and delivers each reminder as its time passes,
`:quit` leaves. The clock stays within the years 1970 to 2999 and moves at most 366 days at a time; anything
else is answered in words, since a traceback would end the session. Every other line goes to the same
conversation core as Slack and Discord.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

from rich.console import Console
from rich.text import Text

from adapters.console.render import plain, render_reply
from bot.clock import SystemClock, VirtualClock, parse_moment
from bot.conversation import Conversation
from bot.messages import Incoming, Person, Reply
from bot.notify import Target
from bot.reminders.dispatcher import Dispatcher

CONSOLE_PERSON = Person("console", "local", "me")
CONSOLE_CHANNEL = "console"
_DURATION = re.compile(r"^(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m(?:in)?)?\s*(?:(\d+)s)?$")
# The virtual clock stays where dates, reminders and lookbacks can be computed; a conference is never outside.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(3000, 1, 1, tzinfo=UTC)
MAX_WAIT = timedelta(days=366)
WAIT_HINT = ":wait takes a duration such as 90m, 10h, 1h30m or 2d"


class ClockError(ValueError):
    """A clock move that cannot be made, said in words for the person at the console."""


def parse_duration(text: str) -> timedelta | None:
    """'90m', '1h30m', '2d': None when it is not a duration; ClockError when it is one too long to wait."""
    match = _DURATION.match(text.strip().lower())
    if not match or not any(match.groups()):
        return None
    if any(len(g) > 9 for g in match.groups() if g):
        raise ClockError(f":wait {text.strip()[:40]} is too long: the clock moves at most 366 days at a time")
    days, hours, minutes, seconds = (int(g or 0) for g in match.groups())
    delta = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    if delta > MAX_WAIT:
        raise ClockError(f":wait {text.strip()[:40]} is too long: the clock moves at most 366 days at a time")
    return delta


def check_moment(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if not EARLIEST <= moment < LATEST:
        raise ClockError(f"{moment.isoformat()} is outside the years 1970 to 2999 the clock can be set to")
    return moment


class ConsoleClock:
    """Follows the real time until told otherwise; then it is virtual and moves only when told.

    `wall`: a start given without an offset ('--now 2026-01-31T16:40:00'). The person meant that time at the
    conference they ask about, which they may only choose in the chat ('switch to fosdem'), so it is read again
    in each new conference's zone until they move the clock themselves (`set`: ':time', ':wait').
    """

    def __init__(self, start: datetime | None = None, wall: datetime | None = None) -> None:
        self.virtual: VirtualClock | None = VirtualClock(check_moment(start)) if start else None
        self.wall = wall.replace(tzinfo=None) if wall else None

    @classmethod
    def starting(cls, text: str | None) -> ConsoleClock:
        """The clock `--now TEXT` asks for (the real time without it); ValueError says what is wrong."""
        if not text:
            return cls()
        moment = parse_moment(text)
        naive = datetime.fromisoformat(text.strip().replace("Z", "+00:00")).tzinfo is None
        return cls(moment, moment if naive else None)

    def now(self) -> datetime:
        return self.virtual.now() if self.virtual else SystemClock().now()

    def set(self, moment: datetime) -> None:
        self.wall = None
        self._move(moment)

    def read_in(self, zone: tzinfo) -> bool:
        """Read a start given without an offset in `zone`; True when that moved the clock."""
        if self.wall is None:
            return False
        moment = self.wall.replace(tzinfo=zone)
        if self.virtual is not None and self.virtual.now() == moment:
            return False
        self._move(moment)
        return True

    def _move(self, moment: datetime) -> None:
        moment = check_moment(moment)
        if self.virtual is None:
            self.virtual = VirtualClock(moment)
        else:
            self.virtual.set(moment)


class ConsoleNotifier:
    """Prints what would arrive as a DM or a channel post, stamped with the clock's time."""

    def __init__(self, console: Console, clock: ConsoleClock, zone: str) -> None:
        self.console = console
        self.clock = clock
        self.zone = zone

    async def send(self, target: Target, reply: Reply) -> None:
        from catalog.times import tz_from_name

        stamp = self.clock.now().astimezone(tz_from_name(self.zone)).strftime("%a %d %b %H:%M %Z")
        where = f"#{target.address}" if target.is_channel else "direct message"
        self.console.print(Text(f"\n🔔 [{stamp}] {where}", style="bold yellow"))
        self.console.print(render_reply(reply))


class ConsoleApp:
    def __init__(
        self,
        conversation: Conversation,
        dispatcher: Dispatcher,
        clock: ConsoleClock,
        console: Console,
        person: Person = CONSOLE_PERSON,
        export_dir: Path | None = None,
    ) -> None:
        self.conversation = conversation
        self.dispatcher = dispatcher
        self.clock = clock
        self.console = console
        self.person = person
        self.export_dir = export_dir or Path.cwd()

    def say(self, line: str) -> bool:
        """Handle one line; False when the person asked to leave."""
        line = line.strip()
        if not line or (line.startswith("#") and not line[1:].strip().isdecimal()):  # '#2' picks from a list
            return True
        if line.startswith(":"):
            return self._console_command(line)
        reply = self.conversation.handle(self.incoming(line))
        self.console.print(render_reply(reply))
        if reply.attachment is not None:
            path = self.export_dir / reply.attachment.filename
            path.write_bytes(reply.attachment.content)
            self.console.print(Text(f"Written to {path}", style="green"))
        if self.follow_scope():
            zone = self.clock.now().tzinfo
            said = self.clock.now().strftime("%a %d %b %H:%M")
            self.console.print(Text(f"Clock: {said} in {zone}", style="cyan"))
        self.console.print()
        return True

    def follow_scope(self) -> bool:
        """Read a `--now` given without an offset in the zone of the conference now in scope; True if it moved.

        Twice at most: which conference is 'of the moment' may itself depend on the time just re-read."""
        moved = False
        for _ in range(2):
            if not self.clock.read_in(self.conversation.zone(self.incoming(""))):
                break
            moved = True
        return moved

    def incoming(self, line: str) -> Incoming:
        # The terminal is both the person's DM and a channel they administer, so every feature can be tried.
        return Incoming(self.person, line, channel=CONSOLE_CHANNEL, is_direct=False, is_admin=True, stand_in=True)

    def _console_command(self, line: str) -> bool:
        name, _, arg = line[1:].partition(" ")
        if name in ("quit", "q", "exit"):
            return False
        if name == "time":
            if not arg.strip():
                self.console.print(Text(f"It is {self.clock.now().isoformat()}", style="cyan"))
                return True
            try:
                self.clock.set(parse_moment(arg, self.conversation.zone(self.incoming(""))))
            except ValueError as exc:
                self.console.print(Text(f":time {exc}", style="red"))
                return True
            self.console.print(Text(f"Clock set to {self.clock.now().isoformat()}", style="cyan"))
            self.deliver_due()
            return True
        if name == "wait":
            try:
                delta = parse_duration(arg)
                if delta is None:
                    raise ClockError(WAIT_HINT)
                check_moment(self.clock.now() + delta)
            except (ClockError, OverflowError) as exc:
                self.console.print(Text(str(exc) if isinstance(exc, ClockError) else WAIT_HINT, style="red"))
                return True
            self.wait(delta)
            return True
        self.console.print(
            Text(":time [ISO8601] · :wait DURATION · :quit — anything else goes to confbot", style="cyan")
        )
        return True

    def wait(self, delta: timedelta) -> None:
        """Move the clock forward, stopping at each due time on the way to deliver what falls due."""
        target = self.clock.now() + delta
        self.clock.set(self.clock.now())
        while True:
            wake = self.dispatcher.next_wake()
            if wake is None or wake > target:
                break
            if wake > self.clock.now():
                self.clock.set(wake)
            if not self.deliver_due() and (self.dispatcher.next_wake() or target) <= self.clock.now():
                # Something due cannot go yet (a retry, another process's claim): step on a minute.
                self.clock.set(min(target, self.clock.now() + timedelta(minutes=1)))
                if self.clock.now() >= target:
                    break
        self.clock.set(target)
        self.deliver_due()
        self.console.print(Text(f"(now {self.clock.now().isoformat()})", style="dim"))

    def deliver_due(self) -> int:
        outcomes = asyncio.run(self.dispatcher.run_due())
        return sum(1 for o in outcomes if o.state in ("sent", "skipped"))

    def run(self, lines: Iterable[str], echo: bool = False) -> None:
        for line in lines:
            if echo and line.strip():
                self.console.print(Text(f"» {plain(line.rstrip())}", style="bold blue"))
            if not self.say(line):
                break

    def repl(self) -> None:
        """Interactive, with line editing and history where the terminal has readline."""
        try:
            import readline

            history = Path.home() / ".confbot_history"
            if history.exists():
                readline.read_history_file(history)
        except (ImportError, OSError):
            readline = None  # type: ignore[assignment]
        self.console.print(Text("confbot — ask about the schedule; 'help' lists commands, :quit leaves.", style="bold"))
        try:
            while True:
                try:
                    line = input("confbot> ")
                except EOFError:
                    break
                if not self.say(line):
                    break
        except KeyboardInterrupt:
            self.console.print()
            raise  # Ctrl-C ends the command as anywhere else: one line and exit 130
        finally:
            if readline is not None:
                with contextlib.suppress(OSError):
                    readline.write_history_file(Path.home() / ".confbot_history")


def script_lines() -> Iterable[str]:
    return (line for line in sys.stdin)
