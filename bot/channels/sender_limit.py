"""How often one sender may write on a chat channel (Telegram, Zalo, SMS): one shared rule.

Each sender (the channel's own conversation id: `telegram:<chat id>`, `zalo:<user id>`,
`sms:<phone>`) has a bucket of `CHANNEL_SENDER_RATE_PER_MINUTE` messages (default 20)
refilled evenly: the same token bucket as `/api/chat` (`bot.chat_limits.ChatRateLimiter`).
A message over the limit is not processed at all (no Rasa, no lookup, nothing stored).
The first one gets one polite reply (`SLOW_DOWN`); every other one within the next
`WARNING_WINDOW_SECONDS` gets nothing, even when the bucket lets a message through in
between, so that a steady flood is answered at the limit's rate plus one warning a
minute and never makes us flood back.

The web chat does not use this: its conversation ids are minted freely under one cookie,
so it is bounded per client address instead (`CHAT_RATE_PER_MINUTE`, 429).

Counts are per process: with several gateway replicas a sender gets up to that many
times the rate (a bound against floods, not a quota). Memory is bounded: at most
`MAX_TRACKED_CLIENTS` senders are remembered.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import StrEnum

from bot.chat_limits import MAX_TRACKED_CLIENTS, ChatRateLimiter

__all__ = ["SLOW_DOWN", "WARNING_WINDOW_SECONDS", "SenderLimit", "Verdict"]

SLOW_DOWN = (
    "Bạn gửi tin nhắn nhanh quá. Vui lòng đợi khoảng một phút rồi gửi tiếp, "
    "mình sẽ trả lời ngay khi có thể."
)
# A sender is warned at most once in this long.
WARNING_WINDOW_SECONDS = 60.0


class Verdict(StrEnum):
    """What to do with one message of a sender."""

    ALLOW = "allow"  # process it
    WARN = "warn"  # drop it, answer SLOW_DOWN once
    DROP = "drop"  # drop it silently (already warned within the window)


class SenderLimit:
    """Per-sender token buckets plus when each sender was last told to slow down."""

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._buckets = ChatRateLimiter(per_minute, clock=clock)
        self._warned: dict[str, float] = {}  # sender → when last warned

    def check(self, sender: str) -> Verdict:
        """Spend one message of `sender` and say what to do with it."""
        if self._buckets.take(sender) == 0.0:
            return Verdict.ALLOW
        now = self.clock()
        warned_at = self._warned.get(sender)
        if warned_at is not None and now - warned_at < WARNING_WINDOW_SECONDS:
            return Verdict.DROP
        if len(self._warned) >= MAX_TRACKED_CLIENTS and sender not in self._warned:
            self._forget_old_warnings(now)
        self._warned[sender] = now
        return Verdict.WARN

    def _forget_old_warnings(self, now: float) -> None:
        self._warned = {
            s: at for s, at in self._warned.items() if now - at < WARNING_WINDOW_SECONDS
        }
        if len(self._warned) >= MAX_TRACKED_CLIENTS:
            self._warned.clear()  # a flood of senders: at worst one is warned twice
