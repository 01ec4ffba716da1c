"""Several Rasa processes behind one client: each conversation always goes to the same one.

Our tracker store keeps each conversation's window in the memory of the Rasa process
that served it, so the pool picks the process from a stable hash of the sender id (the
same in every gateway process and after a restart) instead of balancing per message.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from bot.rasa_client import RasaClient

__all__ = ["RasaPool", "rasa_index", "rasa_part_name"]


def rasa_part_name(index: int) -> str:
    """`rasa` for the first Rasa process (the only one by default), `rasa-2` … after it."""
    return "rasa" if index == 0 else f"rasa-{index + 1}"


def rasa_index(sender: str, count: int) -> int:
    """Which of `count` Rasa processes serves `sender` (stable across processes and runs)."""
    if count < 1:
        raise ValueError(f"need at least one Rasa process, not {count}")
    digest = hashlib.blake2b(sender.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % count


class RasaPool:
    """One `RasaClient` per Rasa process, chosen by sender id."""

    def __init__(self, clients: Sequence[RasaClient]) -> None:
        if not clients:
            raise ValueError("a Rasa pool needs at least one Rasa client")
        self.clients = list(clients)

    def for_sender(self, sender: str) -> RasaClient:
        """The client of the Rasa process that keeps `sender`'s conversation."""
        return self.clients[rasa_index(sender, len(self.clients))]

    def part_names(self) -> list[str]:
        """Names for /health, as the launcher names the processes: `rasa`, `rasa-2` …"""
        return [rasa_part_name(index) for index in range(len(self.clients))]
