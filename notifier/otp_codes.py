"""One-time codes derived from a secret: the database holds neither a code nor its hash.

A code is HMAC-SHA256(`NOTIFY_OTP_SECRET`, nonce) reduced to six digits. The challenge
row keeps only the random nonce (`n1$<nonce>`), and the outbox row keeps the SMS text
with a placeholder where the code goes (`otp1:<nonce>:<text with {code}>`). The
dispatcher renders the text just before each send, identically every time, so a resend
after a crash is the same SMS and reconciliation still matches the provider's copy.

Whoever reads the database (a backup, a support query) cannot recover a code without
the secret; a salted hash of a six-digit code, as stored before, fell to a million
guesses. Rotating the secret voids the codes in flight (they last minutes).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

__all__ = ["CODE_SLOT", "check_value", "code_for", "code_matches", "new_nonce", "render", "seal"]

CODE_SLOT = "{code}"
_BODY_PREFIX = "otp1:"
_CHECK_PREFIX = "n1$"


def new_nonce() -> str:
    """A fresh random nonce for one challenge."""
    return secrets.token_hex(16)


def code_for(secret: str, nonce: str) -> str:
    """The six-digit code of `nonce` under `secret`."""
    digest = hmac.new(secret.encode(), f"otp:{nonce}".encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 1_000_000:06d}"


def check_value(nonce: str) -> str:
    """What the challenge row stores to check a code later (no code, no hash of one)."""
    return f"{_CHECK_PREFIX}{nonce}"


def code_matches(secret: str, stored: str, code: str) -> bool:
    """Whether `code` is the challenge's (`stored` from `check_value`, or an older hash)."""
    if stored.startswith(_CHECK_PREFIX):
        return hmac.compare_digest(code_for(secret, stored.removeprefix(_CHECK_PREFIX)), code)
    # Challenges opened before this scheme: salt$HMAC(salt, code), valid minutes at most.
    salt = stored.split("$", 1)[0]
    digest = hmac.new(salt.encode(), code.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(f"{salt}${digest}"[:64], stored)


def seal(text_with_slot: str, nonce: str) -> str:
    """The outbox body for `text_with_slot` (holding `CODE_SLOT`) of challenge `nonce`."""
    return f"{_BODY_PREFIX}{nonce}:{text_with_slot}"


def render(stored_body: str, secret: str) -> str:
    """The text to send for an outbox body: sealed ones get their code, others as they are."""
    if not stored_body.startswith(_BODY_PREFIX):
        return stored_body
    nonce, _, text = stored_body.removeprefix(_BODY_PREFIX).partition(":")
    return text.replace(CODE_SLOT, code_for(secret, nonce))
