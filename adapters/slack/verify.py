"""The front door for Slack's signed requests: checked here before Bolt sees them.

Bolt checks the signature and the 5-minute window, but accepts the same signed request again and again within
it, so a captured admin command (`/talks announce off`) could be replayed; and a timestamp header that is not a
number makes it raise (HTTP 500) instead of refusing. Here a malformed header is a 401, and each
(timestamp, signature) pair is accepted once: Slack signs every delivery, retries included, afresh.
"""

from __future__ import annotations

import re
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping

from slack_sdk.signature import Clock, SignatureVerifier

WINDOW_SECONDS = 300  # Slack's own: a request older or newer than this is refused
MAX_REMEMBERED = 200_000  # far above any workspace's request rate over the window; bounds the memory
_TIMESTAMP = re.compile(r"^\d{1,12}$")
_SIGNATURE = re.compile(r"^v0=[0-9a-f]{64}$")


class _Clock(Clock):
    def __init__(self, now: Callable[[], float]) -> None:
        self._now = now

    def now(self) -> float:
        return self._now()


class ReplayGuard:
    """Says why a request must be refused ('' when it may pass), remembering what it let through."""

    def __init__(self, signing_secret: str, now: Callable[[], float] = time.time) -> None:
        self.now = now
        self.verifier = SignatureVerifier(signing_secret, clock=_Clock(now))
        self.seen: OrderedDict[tuple[str, str], float] = OrderedDict()

    def refuse(self, body: bytes, headers: Mapping[str, str]) -> str:
        timestamp = headers.get("X-Slack-Request-Timestamp", "")
        signature = headers.get("X-Slack-Signature", "")
        if not _TIMESTAMP.match(timestamp) or not _SIGNATURE.match(signature):
            return "missing or malformed Slack signature headers"
        if not self.verifier.is_valid(body, timestamp, signature):
            return "invalid signature or a timestamp outside the 5-minute window"
        self._forget_expired()
        key = (timestamp, signature)
        if key in self.seen:
            return "this signed request was already received"
        if len(self.seen) >= MAX_REMEMBERED:
            self.seen.popitem(last=False)
        self.seen[key] = float(timestamp)
        return ""

    def _forget_expired(self) -> None:
        """Past the window the signature check refuses a request anyway, so it need not be remembered."""
        horizon = self.now() - WINDOW_SECONDS - 1
        while self.seen:
            key, stamp = next(iter(self.seen.items()))
            if stamp >= horizon:
                break
            del self.seen[key]
