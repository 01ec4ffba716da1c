"""Bounds on `/api/chat`: the body's size and how often one client address may ask.

A body over `MAX_CHAT_BODY_BYTES` is refused with 413 before it is read whole (from
`Content-Length`, or counted while streaming a chunked body). Each client address has a
token bucket of `CHAT_RATE_PER_MINUTE` messages, refilled evenly: a person typing never
meets it; a script flooding from one address gets 429 with `Retry-After`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from fastapi import HTTPException, Request

__all__ = [
    "BODY_TOO_LARGE",
    "MAX_CHAT_BODY_BYTES",
    "ChatRateLimiter",
    "read_limited_body",
    "too_fast",
]

MAX_CHAT_BODY_BYTES = 16 * 1024
BODY_TOO_LARGE = (
    "Yêu cầu quá lớn (tối đa 16 KiB). Bạn hãy gửi câu hỏi ngắn gọn hơn, mỗi lần một câu."
)
# Buckets kept before idle (full) ones are dropped; bounds memory against many addresses.
MAX_TRACKED_CLIENTS = 50_000


async def read_limited_body(request: Request, limit: int = MAX_CHAT_BODY_BYTES) -> bytes:
    """The request's body, or 413 as soon as it is known to be over `limit` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise HTTPException(status_code=413, detail=BODY_TOO_LARGE)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HTTPException(status_code=413, detail=BODY_TOO_LARGE)
    return bytes(body)


def too_fast(wait_seconds: float) -> HTTPException:
    """429 in Vietnamese, saying how long to wait (also as `Retry-After`)."""
    seconds = max(1, math.ceil(wait_seconds))
    return HTTPException(
        status_code=429,
        detail=f"Bạn gửi tin nhắn quá nhanh. Vui lòng đợi {seconds} giây rồi gửi lại.",
        headers={"Retry-After": str(seconds)},
    )


class ChatRateLimiter:
    """An in-process token bucket per client address (0 a minute: no limit)."""

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.per_second = per_minute / 60.0
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # client → (tokens, at)

    def take(self, client: str) -> float:
        """Spend one message for `client`: 0.0 when allowed, else seconds until it would be."""
        if not self.capacity:
            return 0.0
        now = self.clock()
        tokens, at = self._buckets.get(client, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - at) * self.per_second)
        if tokens < 1.0:
            self._buckets[client] = (tokens, now)
            return (1.0 - tokens) / self.per_second
        if len(self._buckets) >= MAX_TRACKED_CLIENTS and client not in self._buckets:
            self._forget_idle(now)
        self._buckets[client] = (tokens - 1.0, now)
        return 0.0

    def _forget_idle(self, now: float) -> None:
        """Drop buckets that have refilled (their clients are as good as new)."""
        full = self.capacity / self.per_second
        self._buckets = {c: b for c, b in self._buckets.items() if now - b[1] < full}
        if len(self._buckets) >= MAX_TRACKED_CLIENTS:
            self._buckets.clear()  # a flood of addresses: start over rather than grow
