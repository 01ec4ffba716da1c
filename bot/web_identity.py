"""Whose web chat conversation a request belongs to: the gateway's cookie, not the page's word.

The gateway gives each browser (or script) a random id in a cookie signed with
`WEBCHAT_COOKIE_SECRET` (HMAC-SHA256), HttpOnly, SameSite=Strict, and Secure when
`PUBLIC_BASE_URL` is https. The Rasa sender id is `web-<32 hex>`, a keyed hash of that
id and of the request's optional `sender`, which names a sub-conversation under the same
cookie (scripts and the bench run many conversations from one cookie). Nobody can name
another conversation: without the cookie, every `sender` maps to ids of one's own.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from fastapi import Request, Response

__all__ = ["COOKIE_NAME", "WebIdentity"]

COOKIE_NAME = "assistant_chat"
# The conversation outlives a browser session, as the page's history did before.
COOKIE_MAX_AGE_SECONDS = 30 * 24 * 3600
_ID_BYTES = 16


@dataclass(frozen=True)
class WebIdentity:
    """Issues and checks conversation cookies and derives Rasa sender ids from them."""

    sign_key: bytes
    sender_key: bytes
    secure: bool = False

    @classmethod
    def from_secret(cls, secret: str, *, public_base_url: str) -> WebIdentity:
        """Two keys from one secret: a signature is never a sender id, and back."""
        root = secret.encode("utf-8")
        return cls(
            sign_key=hmac.new(root, b"webchat-cookie", hashlib.sha256).digest(),
            sender_key=hmac.new(root, b"webchat-sender", hashlib.sha256).digest(),
            secure=public_base_url.lower().startswith("https://"),
        )

    def _signature(self, conversation: str) -> str:
        return hmac.new(self.sign_key, conversation.encode("ascii"), hashlib.sha256).hexdigest()

    def new_conversation(self) -> str:
        """A fresh random conversation id (hex)."""
        return secrets.token_hex(_ID_BYTES)

    def verified(self, cookie: str | None) -> str | None:
        """The conversation id in a cookie we signed; None when absent, malformed or forged."""
        if not cookie or len(cookie) != _ID_BYTES * 2 + 1 + 64:
            return None
        conversation, _, signature = cookie.partition(".")
        if not conversation.isascii() or not signature:
            return None
        if not hmac.compare_digest(signature, self._signature(conversation)):
            return None
        return conversation

    def of(self, request: Request) -> tuple[str, bool]:
        """The request's conversation id, and whether it is new (its cookie must be set)."""
        conversation = self.verified(request.cookies.get(COOKIE_NAME))
        if conversation is None:
            return self.new_conversation(), True
        return conversation, False

    def cookie_value(self, conversation: str) -> str:
        """The cookie naming `conversation`: its id and our signature of it."""
        return f"{conversation}.{self._signature(conversation)}"

    def set_cookie(self, response: Response, conversation: str) -> None:
        """Give the client its conversation cookie (only ever readable by this gateway)."""
        response.set_cookie(
            COOKIE_NAME,
            self.cookie_value(conversation),
            max_age=COOKIE_MAX_AGE_SECONDS,
            path="/api/chat",
            httponly=True,
            samesite="strict",
            secure=self.secure,
        )

    def sender(self, conversation: str, sub: str | None = None) -> str:
        """The Rasa sender id of `conversation` (and of its sub-conversation `sub`)."""
        data = f"{conversation}\x00{sub or ''}".encode()
        return "web-" + hmac.new(self.sender_key, data, hashlib.sha256).hexdigest()[:32]
