"""The shape every provider sender has."""

from __future__ import annotations

from typing import Protocol

from notifier.models import ChannelName
from notifier.outbox import ClaimedMessage

__all__ = ["Sender", "WebchatSender"]


class Sender(Protocol):
    """Sends claimed outbox rows of one channel."""

    channel: ChannelName
    rate: float
    # Seconds between two messages to the same recipient (0 = no spacing).
    recipient_interval: float

    async def send(self, message: ClaimedMessage) -> str:
        """Send `message`; return the provider's id; raise SendError subclasses."""
        ...

    async def find_candidates(self, message: ClaimedMessage) -> list[str]:
        """Provider ids of accepted messages that may be an earlier attempt of `message`."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...


class WebchatSender:
    """The web chat has no push: its messages are final once in the outbox (the page reads them)."""

    channel = ChannelName.WEBCHAT
    rate = 0.0
    recipient_interval = 0.0

    async def send(self, message: ClaimedMessage) -> str:
        """Nothing to call: the row itself is the delivery."""
        return f"webchat-{message.id}"

    async def find_candidates(self, message: ClaimedMessage) -> list[str]:
        """Sending is local and idempotent, so there is never anything to find."""
        return []

    async def aclose(self) -> None:
        """Nothing to release."""
