"""Run the simulator with uvicorn: in the foreground (`main`) or in a thread (tests, bench)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace

import uvicorn

from simulators.onestop.app import create_app
from simulators.onestop.config import SimConfig, parse_config

__all__ = ["free_port", "main", "running_simulator"]


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def _server(config: SimConfig) -> uvicorn.Server:
    return uvicorn.Server(
        uvicorn.Config(
            create_app(config),
            host=config.host,
            port=config.port,
            log_level="warning",
            timeout_graceful_shutdown=1,
        )
    )


@contextmanager
def running_simulator(config: SimConfig | None = None) -> Iterator[str]:
    """Serve the simulator on a free port in a background thread; yield its base URL."""
    config = replace(config or SimConfig(), port=free_port())
    server = _server(config)
    thread = threading.Thread(target=server.run, name="onestop-simulator", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the one-stop simulator did not start")
        time.sleep(0.02)
    try:
        yield f"http://{config.host}:{config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def main(argv: Sequence[str] | None = None) -> None:
    """Serve in the foreground (`python -m simulators.onestop`)."""
    _server(parse_config(argv)).run()
