"""What the Zalo simulator remembers: tokens, users, messages sent, webhook deliveries."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from simulators.common import BackgroundTasks, TokenBucket
from simulators.zalo.config import ZaloSimConfig

__all__ = ["SimulatorState", "ZaloUser"]

DAY = 86_400.0


@dataclass
class ZaloUser:
    """A Zalo user as the OA sees them."""

    user_id: str
    following: bool = False
    last_interaction: float | None = None


@dataclass
class SimulatorState:
    """Everything the simulator keeps, reset by `/_sim/reset`."""

    config: ZaloSimConfig
    http: httpx.AsyncClient | None = None
    access_tokens: dict[str, float] = field(default_factory=dict)  # token -> expires at
    refresh_tokens: dict[str, float] = field(default_factory=dict)  # unspent -> expires at
    spent_refresh_tokens: set[str] = field(default_factory=set)
    refreshes: int = 0
    refused_refreshes: int = 0
    users: dict[str, ZaloUser] = field(default_factory=dict)
    sent: list[dict[str, Any]] = field(default_factory=list)
    deliveries: list[dict[str, Any]] = field(default_factory=list)
    tasks: BackgroundTasks = field(default_factory=BackgroundTasks)
    bucket: TokenBucket = field(init=False)
    next_message: int = 1

    def __post_init__(self) -> None:
        self._start()

    def _start(self) -> None:
        now = time.time()
        self.access_tokens = {self.config.initial_access_token: now + self.config.access_ttl}
        self.refresh_tokens = {self.config.initial_refresh_token: now + self.config.refresh_ttl}
        self.spent_refresh_tokens = set()
        self.refreshes = self.refused_refreshes = 0
        self.bucket = TokenBucket(self.config.rate_per_second)

    def configure(self, config: ZaloSimConfig) -> None:
        """New settings; rate limit afresh, tokens kept unless the initial pair changed."""
        changed = (config.initial_access_token, config.initial_refresh_token) != (
            self.config.initial_access_token,
            self.config.initial_refresh_token,
        )
        self.config = config
        self.bucket = TokenBucket(config.rate_per_second)
        if changed:
            self._start()

    def reset(self) -> None:
        """Forget users, messages, deliveries and tokens issued; the initial pair is valid."""
        self.tasks.cancel_all()
        self.users.clear()
        self.sent.clear()
        self.deliveries.clear()
        self._start()

    def user(self, user_id: str) -> ZaloUser:
        """The user with this id, made on first use."""
        if user_id not in self.users:
            self.users[user_id] = ZaloUser(user_id)
        return self.users[user_id]

    def issue_pair(self) -> dict[str, Any]:
        """A new access and refresh token."""
        now = time.time()
        access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        self.access_tokens[access] = now + self.config.access_ttl
        self.refresh_tokens[refresh] = now + self.config.refresh_ttl
        return {
            "access_token": access,
            "refresh_token": refresh,
            "expires_in": str(self.config.access_ttl),
        }

    def spend_refresh(self, refresh_token: str) -> bool:
        """Use a refresh token up (True), or say it is unknown, spent or expired (False)."""
        expires = self.refresh_tokens.pop(refresh_token, None)
        if expires is None or expires < time.time():
            self.refused_refreshes += 1
            return False
        self.spent_refresh_tokens.add(refresh_token)
        self.refreshes += 1
        return True

    def access_state(self, token: str) -> str:
        """`valid`, `expired` or `invalid`."""
        expires = self.access_tokens.get(token)
        if expires is None:
            return "invalid"
        return "valid" if expires > time.time() else "expired"

    def record_sent(self, user_id: str, message: dict[str, Any], *, charged: bool) -> str:
        """Keep a message the OA sent; return its id."""
        message_id = f"{self.next_message:032x}"
        self.next_message += 1
        self.sent.append(
            {
                "message_id": message_id,
                "user_id": user_id,
                "message": message,
                "charged": charged,
                "at": time.time(),
            }
        )
        return message_id
