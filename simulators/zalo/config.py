"""Zalo simulator settings: env `ZALO_SIM_<NAME>`, `--name` flags, `/_sim/config`."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from simulators.common import SimulatorConfig, apply_overrides, config_from_env

__all__ = ["ENV_PREFIX", "ZaloSimConfig", "load_config"]

ENV_PREFIX = "ZALO_SIM_"


@dataclass(frozen=True)
class ZaloSimConfig(SimulatorConfig):
    """The OA's credentials, Zalo's limits and webhook schedule, injected faults."""

    port: int = 8400
    app_id: str = "1234567890"
    oa_id: str = "579745863508352884"
    oa_secret_key: str = "change-me"
    app_secret_key: str = "change-me"
    # The pair valid at start-up (what the gateway's settings seed the database with).
    initial_access_token: str = "change-me"
    initial_refresh_token: str = "change-me"
    access_ttl: int = 90_000
    refresh_ttl: int = 7_776_000
    # Send requests a second per OA (a burst of as many); 0 = unlimited.
    rate_per_second: float = 20.0
    # Where events are posted; empty: nowhere (the test routes still build them).
    webhook_url: str = ""
    webhook_timeout: float = 2.0
    # Zalo retries after about 30 s, 5, 15, 30 min, 1 h; shortened here.
    webhook_retry_delays: list[float] = field(default_factory=lambda: [0.3, 1.0, 3.0, 6.0, 12.0])
    # Seconds the token endpoint waits after spending a refresh token, before answering.
    refresh_latency: float = 0.0
    latency: float = 0.0


def load_config() -> ZaloSimConfig:
    """`ZALO_SIM_*`, else the gateway's own settings (`ZALO_*`, `PUBLIC_BASE_URL`)."""
    shared = {
        "app_id": "ZALO_APP_ID",
        "oa_secret_key": "ZALO_OA_SECRET_KEY",
        "app_secret_key": "ZALO_APP_SECRET_KEY",
        "initial_access_token": "ZALO_OA_ACCESS_TOKEN",
        "initial_refresh_token": "ZALO_OA_REFRESH_TOKEN",
    }
    config = config_from_env(ZaloSimConfig, ENV_PREFIX, fallbacks=shared)
    base = os.environ.get("PUBLIC_BASE_URL")
    if base and not config.webhook_url:
        return apply_overrides(config, {"webhook_url": base.rstrip("/") + "/webhooks/zalo"})
    return config
