"""How the core sends something unprompted (a reminder, an announcement); each adapter provides one."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.messages import Reply


@dataclass(frozen=True)
class Target:
    """A person (for a DM) or a channel, on one platform and workspace."""

    platform: str
    workspace: str
    address: str  # a user id for a DM, a channel id for a channel
    is_channel: bool = False
    # The delivery's unique key, for a platform that can de-duplicate by it (Discord's message nonce) or be
    # asked afterwards whether it has it (`delivered`, after a timeout); '' for replies that are not deliveries.
    key: str = ""
    # When the delivery fell due: a platform asked `delivered` need not look at anything older than this.
    due_at: datetime | None = None


def delivery_tag(key: str) -> str:
    """A short, stable stand-in for a delivery key that a platform will carry with the message: 24 hex digits,
    within Discord's 25-character nonce and free of anything a platform might mangle."""
    return hashlib.sha256(key.encode()).hexdigest()[:24]


class DeliveryError(Exception):
    """A send failed. `retry_after` (seconds) when the platform said when to try again; `permanent` when
    trying again cannot help (the user left, the channel is gone)."""

    def __init__(
        self, message: str, retry_after: float | None = None, permanent: bool = False, is_global: bool = False
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent
        self.is_global = is_global  # the limit hit applies to every request, not one channel


class Notifier(Protocol):
    async def send(self, target: Target, reply: Reply) -> None: ...


class Confirming(Protocol):
    """A notifier that can tell, after a send timed out, whether the platform accepted it after all
    (True / False), or cannot tell (None). The dispatcher asks before sending such a delivery again."""

    async def delivered(self, target: Target) -> bool | None: ...
