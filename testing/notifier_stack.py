"""A whole notifier stack in local processes, for the fault-injection suite and the bench.

Starts the one-stop and Twilio simulators (`python -m simulators.onestop`,
`python -m simulators.twilio`) and the notifier's watcher and sender processes
(`python -m notifier --role ...`) on free ports, each a real subprocess that can be
SIGKILLed and restarted (a `launcher.process.ManagedProcess`, the class the supervisor
uses). Talks to the simulators over HTTP only.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, func, select

from launcher.process import ManagedProcess
from notifier.models import OPEN_STATES, NotifierCursor, OutboxMessage
from settings import REPO_ROOT
from testing.ports import free_port
from testing.processes import wait_healthy

__all__ = ["ACCOUNT_SID", "AUTH_TOKEN", "NotifierStack", "StackTimeout"]

ACCOUNT_SID = "AC00000000000000000000000000000000"
AUTH_TOKEN = "stack-test-token"


class StackTimeout(RuntimeError):
    """The stack did not settle in time."""


@dataclass
class NotifierStack:
    """Simulators plus notifier processes around one database."""

    database_url: str
    workdir: Path
    onestop_count: int = 500
    notifier_env: dict[str, str] = field(default_factory=dict)
    twilio_options: dict[str, str] = field(default_factory=dict)
    processes: dict[str, ManagedProcess] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.onestop_url = f"http://127.0.0.1:{free_port()}"
        self.twilio_url = f"http://127.0.0.1:{free_port()}"
        # No keep-alive: control calls come seconds apart, and a request sent on a
        # connection uvicorn just closed as idle (its 5 s keep-alive timeout) fails with
        # "connection reset by peer" — a flaky bench or test, not a fault of the code.
        self.http = httpx.Client(timeout=30, limits=httpx.Limits(max_keepalive_connections=0))

    def _env(self, extra: dict[str, str]) -> dict[str, str]:
        env = dict(os.environ)
        env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        env.update(extra)
        return env

    def _spawn(self, name: str, argv: list[str], env: dict[str, str]) -> ManagedProcess:
        log_path = self.workdir / f"{name}.log"
        process = ManagedProcess(name, argv, env=self._env(env), log_path=log_path)
        process.start()
        self.processes[name] = process
        return process

    def start_simulators(self) -> None:
        """Start the one-stop and Twilio simulators and wait until they answer."""
        onestop_port = self.onestop_url.rsplit(":", 1)[1]
        onestop = self._spawn(
            "onestop",
            [sys.executable, "-m", "simulators.onestop", "--port", onestop_port,
             "--count", str(self.onestop_count)],
            {},
        )  # fmt: skip
        twilio_port = self.twilio_url.rsplit(":", 1)[1]
        options = [item for key, value in self.twilio_options.items() for item in (key, value)]
        twilio = self._spawn(
            "twilio",
            [sys.executable, "-m", "simulators.twilio", "--port", twilio_port,
             "--account-sid", ACCOUNT_SID, "--auth-token", AUTH_TOKEN,
             "--log-level", "warning", *options],
            {},
        )  # fmt: skip
        wait_healthy(self.onestop_url, onestop, 60, self.http)
        wait_healthy(self.twilio_url, twilio, 60, self.http)

    def notifier_environment(self) -> dict[str, str]:
        """The environment notifier processes get."""
        return {
            "DATABASE_URL": self.database_url,
            "ONESTOP_BASE_URL": self.onestop_url,
            "TWILIO_BASE_URL": self.twilio_url,
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{free_port()}",
            "QUIET_HOURS": "",
            "LOG_LEVEL": "WARNING",
            **self.notifier_env,
        }

    def start_notifier(self, role: str, name: str | None = None) -> ManagedProcess:
        """Start `python -m notifier --role role` under `name`."""
        argv = [sys.executable, "-m", "notifier", "--role", role]
        return self._spawn(name or role, argv, self.notifier_environment())

    def twilio_config(self, **changes: Any) -> None:
        """Change the Twilio simulator's settings (faults, rate limit)."""
        self.http.post(self.twilio_url + "/_sim/config", json=changes).raise_for_status()

    def accepted_messages(self) -> list[dict[str, Any]]:
        """Every message the Twilio simulator accepted, in acceptance order."""
        response = self.http.get(self.twilio_url + "/_sim/messages")
        response.raise_for_status()
        return list(response.json())

    def dossiers(self, status: str, limit: int, offset: int = 0) -> list[dict[str, Any]]:
        """Simulator dossier records (MaHoSo, SoDienThoai, ...) in `status`."""
        params: dict[str, str | int] = {"status": status, "limit": limit, "offset": offset}
        response = self.http.get(self.onestop_url + "/api/dossiers", params=params)
        response.raise_for_status()
        return list(response.json()["items"])

    def transition(self, code: str, status: str) -> None:
        """Move a dossier in the one-stop simulator."""
        url = f"{self.onestop_url}/api/dossiers/{code}/transition"
        self.http.post(url, json={"status": status}).raise_for_status()

    def latest_change(self) -> int:
        """The one-stop simulator's latest change cursor."""
        response = self.http.get(self.onestop_url + "/_sim/stats")
        response.raise_for_status()
        return int(response.json()["changes"])

    def settled(self, engine: Engine) -> bool:
        """Whether the watcher has read every change and no outbox row is open."""
        latest = str(self.latest_change())
        with engine.connect() as connection:
            cursor = connection.scalar(select(NotifierCursor.position))
            open_rows = connection.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.state.in_(OPEN_STATES))
            )
        return (cursor or "0") == latest and open_rows == 0

    def wait_settled(self, engine: Engine, timeout: float = 60) -> float:
        """Wait until `settled`; return the seconds it took."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.settled(engine):
                return time.monotonic() - started
            time.sleep(0.05)
        raise StackTimeout(f"the notifier did not settle within {timeout} s")

    def close(self) -> None:
        """Stop every process."""
        for process in self.processes.values():
            process.stop()
        self.http.close()
