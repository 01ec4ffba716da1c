"""Telegram simulator settings: env `TELEGRAM_SIM_<NAME>`, `--name` flags, `/_sim/config`."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from simulators.common import SimulatorConfig, apply_overrides, config_from_env

__all__ = ["TelegramSimConfig", "load_config", "ENV_PREFIX"]

ENV_PREFIX = "TELEGRAM_SIM_"


@dataclass(frozen=True)
class TelegramSimConfig(SimulatorConfig):
    """Which bots exist, Telegram's limits, and the faults the simulator injects."""

    port: int = 8300
    # Bot tokens the simulator knows (a well-formed unknown token gets 401, a malformed 404).
    tokens: list[str] = field(default_factory=lambda: ["123456:change-me"])
    bot_username: str = "onestop_sim_bot"
    bot_first_name: str = "Một cửa (simulator)"
    # Sending limits, as token buckets (messages a second, burst); 0 turns one off.
    per_chat_rate: float = 1.0
    per_chat_burst: float = 5.0
    global_rate: float = 30.0
    global_burst: float = 30.0
    # Share (0..1) of calls answered 500, and latency added to each call.
    error_rate: float = 0.0
    latency: float = 0.0
    seed: int = 0
    # Chats: when strict, sending to a chat no update came from is "chat not found".
    strict_chats: bool = False
    known_chats: list[int] = field(default_factory=list)
    blocked_chats: list[int] = field(default_factory=list)  # 403 bot was blocked by the user
    # Telegram itself wants HTTPS on ports 443/80/88/8443; local development does not.
    require_https_webhook: bool = False
    # Webhook delivery: an answer slower than the timeout or not 2xx is retried (the same
    # update_id) after the delay, up to the attempts (0 = until the webhook changes).
    webhook_timeout: float = 10.0
    webhook_retry_delay: float = 1.0
    webhook_max_attempts: int = 0
    max_poll_timeout: float = 50.0


def load_config() -> TelegramSimConfig:
    """Settings from `TELEGRAM_SIM_*`; `TELEGRAM_BOT_TOKEN` is added to the known tokens."""
    config = config_from_env(TelegramSimConfig, ENV_PREFIX)
    token = os.environ.get("TELEGRAM_BOT_TOKEN")
    if token and token not in config.tokens:
        config = apply_overrides(config, {"tokens": [token, *config.tokens]})
    return config
