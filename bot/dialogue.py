"""What each person's conversation is about right now: the session last talked about, and a question just asked.

'forget it' needs the session the last reply was about, and only the last: a session from two answers ago is
not what anyone reading along would take 'it' for, so the session counts only when the latest reply showed or
acted on it (after a list of several, 'it' is one of them, and asked about); 'yes' and '2' need the question
the bot just asked; 'and at 36c3?' needs the question the person last searched with.
Both matter only for the next few messages, so they live in memory, shared by every thread of one process
(a restart forgets them, and 'it' is then asked about instead of guessed). Each person's question is taken by
their very next message: one that does not answer it drops it, so a 'yes' much later never confirms anything.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from bot.messages import Person

# People remembered at once; the least recently heard from are forgotten first.
REMEMBERED = 10_000


@dataclass(frozen=True)
class Question:
    """Something the bot asked that a short answer completes.

    `yes`: the line a 'yes' stands for ('forget all yes'); '' when a yes alone cannot answer it.
    `also`: other answers that mean the same yes here ('show them' after '7 sessions match at other times').
    `verb` and `choices`: a numbered choice ('Which one?') that a number completes as '<verb> <number><rest>'
    (`rest`: what the first message said besides, as ' 10' of 'snooze 10'); `numbers`, when only some of 1 to
    `choices` were offered ('forget 2' or 'forget 3' of an agenda of five): a number not offered answers nothing.
    """

    yes: str = ""
    also: frozenset[str] = frozenset()
    no: str = "OK, I left everything as it was."
    verb: str = ""
    choices: int = 0
    rest: str = ""
    numbers: tuple[int, ...] = ()


@dataclass(frozen=True)
class Asked:
    """A question as searched, without the conference named in it, and that conference's slug ('' if none):
    what 'and at 36c3?' or 'and tomorrow?' asks again."""

    text: str
    conference: str = ""


@dataclass(frozen=True)
class Focus:
    """What 'it' is: `ref` ("conference:session_id") when the latest reply was about one session; `listed`, the
    numbers the latest reply showed when it listed several; `at`, when it was set (what a reminder received
    since is compared with)."""

    ref: str = ""
    at: datetime | None = None
    listed: tuple[int, ...] = ()


@dataclass
class _Recent:
    focus: str = ""  # "conference:session_id"
    focus_at: datetime | None = None
    focus_turn: int = -1  # the turn that set it: only the latest reply's counts
    listed: tuple[int, ...] = ()
    turns: int = 0  # messages answered so far
    question: Question | None = None
    turn_at: datetime | None = None  # when this person last said something
    asked: Asked | None = None


class Memory:
    def __init__(self, size: int = REMEMBERED) -> None:
        self._size = size
        self._people: OrderedDict[tuple[str, str, str], _Recent] = OrderedDict()
        self._lock = threading.Lock()

    def _of(self, person: Person) -> _Recent:
        """Called with the lock held."""
        found = self._people.get(person.key)
        if found is None:
            found = self._people[person.key] = _Recent()
            while len(self._people) > self._size:
                self._people.popitem(last=False)
        self._people.move_to_end(person.key)
        return found

    def focus(self, person: Person) -> Focus:
        """Set while answering this message or the one before; else nothing is 'it' (but `at` is kept)."""
        with self._lock:
            recent = self._of(person)
            if recent.focus_turn < recent.turns - 1:
                return Focus(at=recent.focus_at)
            return Focus(recent.focus, recent.focus_at, recent.listed)

    def set_focus(self, person: Person, ref: str, at: datetime, listed: tuple[int, ...] = ()) -> None:
        with self._lock:
            recent = self._of(person)
            recent.focus, recent.focus_at, recent.listed, recent.focus_turn = ref, at, listed, recent.turns

    def ask(self, person: Person, question: Question) -> None:
        with self._lock:
            self._of(person).question = question

    def take_question(self, person: Person) -> Question | None:
        with self._lock:
            recent = self._of(person)
            question, recent.question = recent.question, None
            return question

    def last_turn(self, person: Person) -> datetime | None:
        with self._lock:
            return self._of(person).turn_at

    def turned(self, person: Person, at: datetime) -> None:
        with self._lock:
            recent = self._of(person)
            recent.turn_at = at
            recent.turns += 1

    def last_asked(self, person: Person) -> Asked | None:
        with self._lock:
            return self._of(person).asked

    def set_asked(self, person: Person, asked: Asked) -> None:
        with self._lock:
            self._of(person).asked = asked
