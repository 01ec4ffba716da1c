"""Zalo webhook events for tests and the bench: real ones signed as Zalo signs them, and
forgeries of every kind (wrong secret or MAC, altered body, missing header, stale
timestamp, another app, malformed, oversized), generated and varied by a seed."""

from __future__ import annotations

import json
import random
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from settings import Settings
from zalo_oa.signature import HEADER, signature_header

__all__ = ["UNREADABLE", "Forgery", "ZaloApp", "forgeries", "text_event"]

OA_ID = "579745863508352884"


def text_event(text: str, *, user: str, app_id: str, at_ms: int | None = None) -> dict[str, Any]:
    """A `user_send_text` event as Zalo builds it."""
    return {
        "app_id": app_id,
        "user_id_by_app": "9" + user,
        "event_name": "user_send_text",
        "timestamp": str(at_ms if at_ms is not None else int(time.time() * 1000)),
        "sender": {"id": user},
        "recipient": {"id": OA_ID},
        "message": {"msg_id": secrets.token_hex(16), "text": text},
    }


@dataclass(frozen=True)
class ZaloApp:
    """The app id and OA secret key a gateway checks events with."""

    app_id: str
    oa_secret: str

    def event(self, text: str, user: str = "8402017312345678", **kwargs: Any) -> dict[str, Any]:
        """A text event of this app."""
        return text_event(text, user=user, app_id=kwargs.pop("app_id", self.app_id), **kwargs)

    def signed(
        self, event: dict[str, Any], secret: str | None = None
    ) -> tuple[bytes, dict[str, str]]:
        """The raw body and headers Zalo would send for `event`."""
        raw = json.dumps(event, ensure_ascii=False).encode()
        return raw, self.headers(raw, str(event["timestamp"]), secret)

    def headers(self, raw: bytes, timestamp: str, secret: str | None = None) -> dict[str, str]:
        """Headers with the MAC of `raw` (with our app id and `secret`, ours by default)."""
        mac = signature_header(self.app_id, raw, timestamp, secret or self.oa_secret)
        return {"Content-Type": "application/json", HEADER: mac}


Forgery = tuple[str, bytes, dict[str, str]]


def _wrong_secret(app: ZaloApp, rng: random.Random) -> Forgery:
    secret = (
        app.oa_secret[:-1] + rng.choice("xyz") if rng.random() < 0.5 else rng.randbytes(16).hex()
    )
    return ("wrong secret", *app.signed(app.event("lệ phí"), secret))


def _altered_body(app: ZaloApp, rng: random.Random) -> Forgery:
    raw, headers = app.signed(app.event("xin chào"))
    changes: list[Callable[[bytes], bytes]] = [
        lambda r: r.replace(b"xin ch", b"xin CH"),
        lambda r: r.replace(b'"sender": {"id": "', b'"sender": {"id": "1'),
        lambda r: r + b" ",
        lambda r: b" " + r,
    ]
    return "altered body", rng.choice(changes)(raw), headers


def _missing_header(app: ZaloApp, rng: random.Random) -> Forgery:
    raw, headers = app.signed(app.event("hồ sơ"))
    del headers[HEADER]
    if rng.random() < 0.5:
        headers[HEADER] = rng.choice(["", "mac=", "sha256=abc"])
    return "missing header", raw, headers


def _wrong_mac(app: ZaloApp, rng: random.Random) -> Forgery:
    raw, headers = app.signed(app.event("thủ tục"))
    good = headers[HEADER].removeprefix("mac=")
    flipped = good[:-1] + ("0" if good[-1] != "0" else "1")
    headers[HEADER] = "mac=" + rng.choice(
        [flipped, rng.randbytes(32).hex(), good[:32], good + "00"]
    )
    return "wrong mac", raw, headers


def _stale(app: ZaloApp, rng: random.Random) -> Forgery:
    # Further from now than the gateway's default limit (ZALO_WEBHOOK_MAX_AGE_SECONDS).
    limit = int(Settings.model_fields["zalo_webhook_max_age_seconds"].default)
    skew = rng.choice([-1, 1]) * rng.randint(limit + 1, 30 * 86400) * 1000
    return (
        "stale timestamp",
        *app.signed(app.event("giấy tờ", at_ms=int(time.time() * 1000) + skew)),
    )


def _other_app(app: ZaloApp, rng: random.Random) -> Forgery:
    # Signed with our secret and app id, but claiming another app in the body.
    return (
        "another app",
        *app.signed(app.event("khai sinh", app_id=str(rng.randint(10**12, 10**13)))),
    )


def _malformed(app: ZaloApp, rng: random.Random) -> Forgery:
    raw = rng.choice([b"{", b"[]", b"null", b'{"app_id": 1}', b"\xff\xfe", b'{"event_name": "x"}'])
    return "malformed", raw, app.headers(raw, str(int(time.time() * 1000)))


def _oversized(app: ZaloApp, rng: random.Random) -> Forgery:
    return ("oversized", *app.signed(app.event("a" * rng.randint(16_400, 40_000))))


KINDS: list[Callable[[ZaloApp, random.Random], Forgery]] = [
    _wrong_secret,
    _altered_body,
    _missing_header,
    _wrong_mac,
    _stale,
    _other_app,
    _malformed,
    _oversized,
]
# What the gateway answers each kind: 400 for bodies it cannot read, 403 otherwise.
UNREADABLE = frozenset({"malformed", "oversized"})


def forgeries(app: ZaloApp, count: int, seed: int = 11) -> Iterator[Forgery]:
    """`count` forgeries, the kinds in turn, each varied by a seeded generator."""
    rng = random.Random(seed)
    for index in range(count):
        yield KINDS[index % len(KINDS)](app, rng)
