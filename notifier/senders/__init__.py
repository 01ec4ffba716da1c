"""Provider senders: each turns one claimed outbox row into one provider call.

A sender's `send()` returns the provider's message id or raises a `SendError`
(`TransientSendError`, `UncertainSendError`, `PermanentSendError`). `find_accepted()`
answers, for a row whose previous attempt has an unknown outcome, whether the provider
already holds that message (only Twilio can say; chat providers return None).
"""

from notifier.senders.base import Sender, WebchatSender

__all__ = ["Sender", "WebchatSender"]
