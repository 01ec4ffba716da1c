"""Twilio simulator settings: environment `TWILIO_SIM_<NAME>`, `--name` flags, `/_sim/config`.

Number lists hold exact E.164 numbers or prefixes ending in `*` (`+8490000*`). The
defaults include Twilio's documented magic test numbers: +15005550001 is invalid
(21211) and +15005550004 is blocked/opted out (21610).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulators.common import SimulatorConfig, config_from_env

__all__ = ["TwilioSimConfig", "load_config", "ENV_PREFIX"]

ENV_PREFIX = "TWILIO_SIM_"


@dataclass(frozen=True)
class TwilioSimConfig(SimulatorConfig):
    """What the Twilio simulator accepts, and the faults it injects."""

    port: int = 8200
    # Credentials the `twilio` client must send as HTTP basic auth (sid:token); the token
    # also signs status callbacks and inbound webhooks.
    account_sid: str = "AC00000000000000000000000000000000"
    auth_token: str = "change-me"
    # Message creations a second for the account (token bucket; 0 = unlimited) and the
    # burst it allows (0 = one second's worth).
    rate_limit: float = 0.0
    rate_burst: float = 0.0
    # Share (0..1) of API calls answered 500 (code 20500), and latency added to each.
    error_rate: float = 0.0
    latency: float = 0.0
    # Share (0..1) of creations that are accepted but answered only after `hang_seconds`
    # (the "did the provider take it?" case a client timeout leaves behind).
    hang_rate: float = 0.0
    hang_seconds: float = 30.0
    seed: int = 0
    # Recipient numbers by fate.
    invalid_numbers: list[str] = field(default_factory=lambda: ["+15005550001"])
    opted_out_numbers: list[str] = field(default_factory=lambda: ["+15005550004"])
    unreachable_numbers: list[str] = field(default_factory=list)  # undelivered, 30003
    failed_numbers: list[str] = field(default_factory=list)  # failed, 30008
    # Seconds between status steps (queued → sent → delivered) and before the first.
    callback_delay: float = 0.0
    callback_timeout: float = 5.0
    # Status callbacks posted at once. Callbacks never hold up an API answer (Twilio's
    # come later too); capping them keeps a flood of sends from starving the API routes.
    callback_concurrency: int = 4
    # The number a Messaging Service sends from, and the default To of inbound SMS.
    service_number: str = "+15005550006"
    # Twilio's Advanced Opt-Out: inbound STOP/START keywords change the opted-out list.
    honor_opt_out_keywords: bool = True


def load_config() -> TwilioSimConfig:
    """Settings from `TWILIO_SIM_*`, falling back to `TWILIO_ACCOUNT_SID`/`TWILIO_AUTH_TOKEN`."""
    shared = {"account_sid": "TWILIO_ACCOUNT_SID", "auth_token": "TWILIO_AUTH_TOKEN"}
    return config_from_env(TwilioSimConfig, ENV_PREFIX, fallbacks=shared)
