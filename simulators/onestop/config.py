"""The simulator's configuration, from the environment and the command line.

Environment (each overridden by the matching command-line option):

| variable | option | default |
|---|---|---|
| ONESTOP_SIM_HOST | --host | 127.0.0.1 |
| ONESTOP_SIM_PORT | --port | 8100 |
| ONESTOP_SIM_SEED | --seed | 20231027 |
| ONESTOP_SIM_COUNT | --count | 10000 |
| ONESTOP_SIM_ANCHOR | --anchor | now (ISO date or date-time, Vietnam time) |
| ONESTOP_SIM_LATENCY_MS | --latency-ms | 0 |
| ONESTOP_SIM_ERROR_RATE | --error-rate | 0 |
| ONESTOP_SIM_HANG_RATE | --hang-rate | 0 |
| ONESTOP_SIM_MALFORMED_RATE | --malformed-rate | 0 |
| ONESTOP_SIM_HANG_MS | --hang-ms | 30000 |
| ONESTOP_SIM_FAULT_SEED | --fault-seed | 0 |
| ONESTOP_SIM_AUTH_HEADER | --auth-header | unset: no check; else `Authorization` must equal it |
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time

from simulators.onestop.faults import FaultSettings
from simulators.onestop.records import VIETNAM_TZ

__all__ = ["SimConfig", "parse_config", "parse_anchor"]


@dataclass(frozen=True)
class SimConfig:
    """Everything the simulator needs to start."""

    host: str = "127.0.0.1"
    port: int = 8100
    seed: int = 20231027
    count: int = 10_000
    anchor: datetime | None = None  # seeded dossiers are received before this moment
    faults: FaultSettings = field(default_factory=FaultSettings)
    auth_header: str | None = None


def parse_anchor(text: str) -> datetime:
    """`2026-03-16` (taken as 17:00) or `2026-03-16T10:00`, in Vietnam time."""
    moment = datetime.fromisoformat(text)
    if len(text) <= 10:
        moment = datetime.combine(moment.date(), time(17, 0))
    return moment.replace(tzinfo=VIETNAM_TZ) if moment.tzinfo is None else moment


def parse_config(
    argv: Sequence[str] | None = None, environ: Mapping[str, str] = os.environ
) -> SimConfig:
    """Read the environment, then let command-line options override it."""
    env = {key: value for key, value in environ.items() if key.startswith("ONESTOP_SIM_")}

    def default(name: str, fallback: str | None) -> str | None:
        return env.get(f"ONESTOP_SIM_{name}", fallback)

    parser = argparse.ArgumentParser(prog="python -m simulators.onestop")
    parser.add_argument("--host", default=default("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=default("PORT", "8100"))
    parser.add_argument("--seed", type=int, default=default("SEED", "20231027"))
    parser.add_argument("--count", type=int, default=default("COUNT", "10000"))
    parser.add_argument("--anchor", default=default("ANCHOR", None))
    parser.add_argument("--latency-ms", type=int, default=default("LATENCY_MS", "0"))
    parser.add_argument("--error-rate", type=float, default=default("ERROR_RATE", "0"))
    parser.add_argument("--hang-rate", type=float, default=default("HANG_RATE", "0"))
    parser.add_argument("--malformed-rate", type=float, default=default("MALFORMED_RATE", "0"))
    parser.add_argument("--hang-ms", type=int, default=default("HANG_MS", "30000"))
    parser.add_argument("--fault-seed", type=int, default=default("FAULT_SEED", "0"))
    parser.add_argument("--auth-header", default=default("AUTH_HEADER", None))
    args = parser.parse_args(argv)
    return SimConfig(
        host=args.host,
        port=int(args.port),
        seed=int(args.seed),
        count=int(args.count),
        anchor=parse_anchor(args.anchor) if args.anchor else None,
        faults=FaultSettings(
            latency_ms=int(args.latency_ms),
            error_rate=float(args.error_rate),
            hang_rate=float(args.hang_rate),
            malformed_rate=float(args.malformed_rate),
            hang_ms=int(args.hang_ms),
            seed=int(args.fault_seed),
        ),
        auth_header=args.auth_header or None,
    )
