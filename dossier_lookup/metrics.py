"""What became of the dossier lookups, for Prometheus (no codes, no senders as labels).

- `dossier_lookups_total{outcome}`: `found`, `not_found`, `invalid` (looks like a code
  but is not one), `no_code` (the reply asks for one), `limited` (the sender is over
  the failed-lookup limit), `over_quota` (the client address, the conversation or
  everyone together looked up too many dossiers: `dossier_lookup.quota`) and
  `unavailable` (the one-stop system failed or was slow).
- `dossier_second_factor_checks_total{result}`: for found dossiers offered digits of the
  ID number: `verified`, `mismatch`, `limited` (the dossier is over its guess limit).
"""

from __future__ import annotations

from typing import Literal

from prometheus_client import Counter

__all__ = ["LookupOutcome", "SecondFactorResult", "count_lookup", "count_second_factor"]

LookupOutcome = Literal[
    "found", "not_found", "invalid", "no_code", "limited", "over_quota", "unavailable"
]
SecondFactorResult = Literal["verified", "mismatch", "limited"]

LOOKUPS = Counter("dossier_lookups", "Dossier lookups, by outcome.", ["outcome"])
SECOND_FACTOR = Counter(
    "dossier_second_factor_checks",
    "Second-factor checks on found dossiers, by result.",
    ["result"],
)


def count_lookup(outcome: LookupOutcome) -> None:
    """Count one lookup that ended in `outcome`."""
    LOOKUPS.labels(outcome).inc()


def count_second_factor(result: SecondFactorResult) -> None:
    """Count one second-factor check that ended in `result`."""
    SECOND_FACTOR.labels(result).inc()
