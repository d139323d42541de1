"""How the core sends something unprompted (a reminder, an announcement); each adapter provides one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.messages import Reply


@dataclass(frozen=True)
class Target:
    """A person (for a DM) or a channel, on one platform and workspace."""

    platform: str
    workspace: str
    address: str  # a user id for a DM, a channel id for a channel
    is_channel: bool = False


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
