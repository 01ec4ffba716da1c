"""Free TCP ports for processes that tests and the bench start."""

from __future__ import annotations

import socket
from typing import Any

__all__ = ["free_port", "free_ports", "local_placement"]


def free_ports(count: int) -> list[int]:
    """`count` distinct ports nobody listens on at 127.0.0.1 right now."""
    probes: list[socket.socket] = []
    try:
        for _ in range(count):
            probe = socket.socket()
            probe.bind(("127.0.0.1", 0))
            probes.append(probe)
        return [int(probe.getsockname()[1]) for probe in probes]
    finally:
        for probe in probes:
            probe.close()


def free_port() -> int:
    """A port nobody listens on at 127.0.0.1 right now."""
    return free_ports(1)[0]


def local_placement(rasa_processes: int = 1) -> dict[str, Any]:
    """`Settings` fields that put each part of a stack on its own free port of 127.0.0.1."""
    gateway, actions, onestop, twilio, telegram, zalo, *rasa = free_ports(6 + rasa_processes)
    local = "http://127.0.0.1:{}".format
    return {
        "gateway_host": "127.0.0.1",
        "gateway_port": gateway,
        "public_base_url": local(gateway),
        "rasa_url": local(rasa[0]),
        "rasa_urls": ",".join(local(port) for port in rasa),
        "rasa_processes": rasa_processes,
        "action_server_url": local(actions),
        "onestop_base_url": local(onestop),
        "twilio_base_url": local(twilio),
        "telegram_base_url": local(telegram),
        # The Zalo simulator serves the OA and token APIs and posts signed events to
        # PUBLIC_BASE_URL/webhooks/zalo.
        "zalo_base_url": local(zalo),
        "zalo_oauth_url": local(zalo),
    }
