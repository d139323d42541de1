"""Hand-written fakes of our own ports (the notifier), and a helper that builds the real core around them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bot.clock import VirtualClock
from bot.conversation import Conversation
from bot.messages import Incoming, Person, Reply
from bot.notify import DeliveryError, Target
from bot.reminders.dispatcher import Dispatcher
from bot.reminders.service import make_dispatcher
from bot.search.service import SearchService
from bot.store import AgendaStore, CatalogStore, open_database
from catalog.load import load
from tests.conftest import FIXTURES


@dataclass
class FakeNotifier:
    """Records every message; `fail_with` can make the next sends raise, as a platform would."""

    sent: list[tuple[Target, Reply]] = field(default_factory=list)
    fail_with: list[DeliveryError] = field(default_factory=list)
    on_send: Callable[[Target, Reply], None] | None = None

    async def send(self, target: Target, reply: Reply) -> None:
        if self.fail_with:
            raise self.fail_with.pop(0)
        if self.on_send:
            self.on_send(target, reply)
        self.sent.append((target, reply))


@dataclass
class Core:
    """The real conversation, stores and dispatcher over a real SQLite file, with a virtual clock."""

    db_path: Path
    clock: VirtualClock
    catalogs: CatalogStore
    agenda: AgendaStore
    conversation: Conversation
    notifier: FakeNotifier
    dispatcher: Dispatcher

    def ask(self, text: str, person: Person | None = None) -> Reply:
        return self.conversation.handle(Incoming(person or ME, text))

    def press(self, action: str, value: str, person: Person | None = None) -> Reply:
        return self.conversation.handle(Incoming(person or ME, action=action, value=value))

    def import_file(self, name: str) -> None:
        self.catalogs.save(load(str(FIXTURES / name)))


ME = Person("console", "local", "me")


def build_core(tmp_path: Path, now: str, fixture: str = "searchcon.schedule.json", worker: str = "w1") -> Core:
    db_path = tmp_path / "core.db"
    db = open_database(db_path)
    catalogs, agenda = CatalogStore(db), AgendaStore(db)
    if not catalogs.conferences():
        catalogs.save(load(str(FIXTURES / fixture)))
    clock = VirtualClock(datetime.fromisoformat(now))
    conversation = Conversation(catalogs, agenda, SearchService(catalogs), clock)
    notifier = FakeNotifier()
    dispatcher = make_dispatcher(catalogs, agenda, notifier, clock, worker)
    return Core(db_path, clock, catalogs, agenda, conversation, notifier, dispatcher)
