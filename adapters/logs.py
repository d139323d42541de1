"""Logging for the long-running bots: human lines on a terminal, JSON lines for a log collector.

Logs go to standard error. `auto` picks JSON when standard output is not a terminal (a container, systemd, a
pipe), because whoever reads the log then is a machine. Third-party noise that says nothing an operator can
act on is kept out at the default level: discord.py's voice warnings (confbot never joins voice), Bolt's note
that a given client makes the token unused (that is how we wire it), APScheduler's per-job INFO lines, and
discord.py's traceback on every gateway reconnect (the reconnect itself is still logged, as one line).
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

FORMATS = ("auto", "human", "json")
HANDLER_NAME = "confbot"
HUMAN = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
QUIET_BELOW_WARNING = ("apscheduler", "aiohttp.access")
NOISE = (
    ("discord.client", "voice will NOT be supported"),
    ("slack_bolt", "`token` will be unused"),
)


class JsonLines(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class DropNoise(logging.Filter):
    """Drops the known third-party lines (NOISE) and shortens discord.py's reconnect traceback to one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(record.name.startswith(name) and text in message for name, text in NOISE):
            return False
        if record.name == "discord.client" and message.startswith("Attempting a reconnect") and record.exc_info:
            reason = record.exc_info[1]
            record.msg, record.args = f"{message} ({type(reason).__name__}: {reason})", None
            record.exc_info, record.exc_text, record.levelno, record.levelname = None, None, logging.WARNING, "WARNING"
        return True


def wants_json(choice: str, terminal: TextIO | None = None) -> bool:
    return choice == "json" or (choice == "auto" and not (terminal or sys.stdout).isatty())


class Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is when a record comes, not the one there at start (as logging's own
    last-resort handler does): a caller that swaps standard error (a test, a daemoniser) gets the lines."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _: TextIO) -> None:
        pass


def configure(choice: str = "auto", level: int = logging.INFO, stream: TextIO | None = None) -> None:
    """One handler of ours on the root logger, writing to `stream` (standard error by default); configuring
    again replaces it, and handlers others installed are left alone."""
    handler: logging.StreamHandler = logging.StreamHandler(stream) if stream else Stderr()  # type: ignore[type-arg]
    handler.setFormatter(JsonLines() if wants_json(choice) else logging.Formatter(HUMAN))
    handler.addFilter(DropNoise())
    handler.set_name(HANDLER_NAME)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET_BELOW_WARNING:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
