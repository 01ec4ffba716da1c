"""Another gateway process beside a running stack (e.g. a Telegram channel in another mode)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from launcher.model import rasa_env
from launcher.process import ManagedProcess
from launcher.services import plan_services, settings_env
from settings import Settings
from testing.processes import wait_healthy

__all__ = ["running_gateway", "start_gateway"]


def start_gateway(settings: Settings, log_path: Path, timeout: float = 120) -> ManagedProcess:
    """`uvicorn bot.app:app` with `settings` on `settings.gateway_port`, once healthy.

    Its /health needs the Rasa, action server and database `settings` name to answer.
    The caller stops it (`stop`, or `kill` for a crash).
    """
    # The command `make run` uses (uvicorn's flags: no access log, graceful shutdown…).
    parts = plan_services(
        settings, model=Path("unused"), endpoints=Path("unused"), simulators=False, notifier=False
    )
    command = next(part.command for part in parts if part.name == "gateway")
    env = {**rasa_env(), **settings_env(settings)}
    gateway = ManagedProcess("gateway", command, env=env, log_path=log_path)
    gateway.start()
    try:
        wait_healthy(f"http://127.0.0.1:{settings.gateway_port}", gateway, timeout=timeout)
    except BaseException:
        gateway.stop()
        raise
    return gateway


@contextmanager
def running_gateway(settings: Settings, log_path: Path, timeout: float = 60) -> Iterator[str]:
    """A gateway process (`start_gateway`); its URL while the block runs."""
    gateway = start_gateway(settings, log_path, timeout)
    try:
        yield f"http://127.0.0.1:{settings.gateway_port}"
    finally:
        gateway.stop()
