"""The notifier's own errors.

Tree::

    NotifierError                   anything the notifier refuses or cannot do
    ├── ConfigurationError          a setting is malformed (quiet hours, rates)
    ├── FeedError                   the one-stop changes feed could not be read
    ├── NotifierUnavailable         the notifier's database could not be used
    ├── SubscriptionError           a subscription request cannot go on
    │   ├── NoPhoneOnFile           the dossier has no phone to prove ownership with
    │   ├── TooManyCodes            no code sent now: a cap is reached, or quiet hours
    │   ├── PhoneOptedOut           the phone on file has opted out of SMS
    │   ├── ChallengeNotFound       no open one-time-code challenge for the conversation
    │   ├── ChallengeExpired        the one-time code is too old
    │   ├── WrongCode               the code does not match (attempts remain)
    │   └── ChallengeLocked         too many wrong codes
    └── SendError                   a provider did not accept a message
        ├── TransientSendError      try again later (5xx, timeouts); may carry Retry-After
        │   ├── UncertainSendError  the provider may have accepted it (timeout after sending)
        │   └── DeferredSendError   the provider refused us, not the message (429, credentials)
        └── PermanentSendError      never retry (opted out, invalid number, blocked chat)
"""

from __future__ import annotations

__all__ = [
    "ChallengeExpired",
    "ChallengeLocked",
    "ChallengeNotFound",
    "ConfigurationError",
    "DeferredSendError",
    "FeedError",
    "NoPhoneOnFile",
    "NotifierError",
    "NotifierUnavailable",
    "PermanentSendError",
    "PhoneOptedOut",
    "SendError",
    "SubscriptionError",
    "TooManyCodes",
    "TransientSendError",
    "UncertainSendError",
    "WrongCode",
]


class NotifierError(Exception):
    """Base class of every error the notifier raises."""


class NotifierUnavailable(NotifierError):
    """The notifier's database could not be used (down, unreachable, refused the work)."""


class ConfigurationError(NotifierError):
    """A notifier setting cannot be understood."""


class FeedError(NotifierError):
    """The one-stop system's changes feed could not be read."""


class SubscriptionError(NotifierError):
    """A chat conversation cannot be subscribed to a dossier (yet)."""


class NoPhoneOnFile(SubscriptionError):
    """The dossier carries no phone number, so ownership cannot be proven by SMS."""


class TooManyCodes(SubscriptionError):
    """No one-time code is sent now: the caps per dossier or phone, or quiet hours.

    What the citizen is told must reveal nothing new (not whose cap, nor how many codes
    were asked for); `at_night` only says that trying in the morning will do.
    """

    def __init__(self, message: str, *, at_night: bool = False) -> None:
        super().__init__(message)
        self.at_night = at_night


class PhoneOptedOut(SubscriptionError):
    """The phone on file opted out of SMS; it must text START first."""


class ChallengeNotFound(SubscriptionError):
    """There is no open one-time-code challenge for this conversation."""


class ChallengeExpired(SubscriptionError):
    """The one-time code has expired; ask for a new one."""


class WrongCode(SubscriptionError):
    """The one-time code does not match; `attempts_left` more tries are allowed."""

    def __init__(self, attempts_left: int) -> None:
        super().__init__(f"wrong code; {attempts_left} attempt(s) left")
        self.attempts_left = attempts_left


class ChallengeLocked(SubscriptionError):
    """Too many wrong codes were tried; the challenge is closed."""


class SendError(NotifierError):
    """A provider did not accept a message."""

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class TransientSendError(SendError):
    """The provider refused for now (rate limit, outage); the message is retried later."""

    def __init__(
        self, message: str, *, code: str | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after


class UncertainSendError(TransientSendError):
    """The request may have reached the provider; reconcile before sending again."""


class DeferredSendError(TransientSendError):
    """The provider refused us, not the message: a rate limit or rotated credentials.

    Our fault, so the attempt does not count against the message; it waits and goes later.
    """


class PermanentSendError(SendError):
    """The provider will never accept this message (opted out, invalid number)."""
