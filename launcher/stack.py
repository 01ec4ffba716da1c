"""A small supervisor: start processes, wait until they answer, restart crashes, stop all.

Each child is a `launcher.process.ManagedProcess`: its own process group (so stopping it
stops whatever it spawned) and, on Linux, told by the kernel to exit if the supervisor
dies without cleaning up.
`make run` (launcher/__main__.py) and the end-to-end test fixture both use `Stack`.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

import httpx

from launcher.process import STOP_GRACE_SECONDS, ManagedProcess
from settings import REPO_ROOT

__all__ = ["ServiceSpec", "Stack", "StackError", "StackInterrupted", "answers_ok", "answers_at_all"]

log = logging.getLogger("launcher")

# A crash soon after a start doubles the wait before the next start, up to this cap.
MAX_BACKOFF_SECONDS = 30.0
# A process that ran at least this long before crashing starts again at once.
STABLE_AFTER_SECONDS = 60.0


class StackError(RuntimeError):
    """A part of the stack did not start; the message names it and ends with its log."""


class StackInterrupted(StackError):
    """Start-up was cut short by a stop request (Ctrl-C, SIGTERM)."""


def answers_ok(status: int) -> bool:
    """Ready when the health URL answers 200."""
    return status == 200


def answers_at_all(status: int) -> bool:
    """Ready when the URL answers anything but a server error (simulators without /health)."""
    return status < 500


@dataclass(frozen=True)
class ServiceSpec:
    """How to run one part of the stack and how to tell that it is ready."""

    name: str
    command: Sequence[str]
    url: str  # where it listens, as printed in the table
    # None for a process without an HTTP port: ready once it has stayed up `settle_seconds`.
    health_url: str | None
    env: Mapping[str, str] = field(default_factory=dict)
    cwd: Path = REPO_ROOT
    ready_timeout: float = 60.0
    ready: Callable[[int], bool] = answers_ok
    description: str = ""
    settle_seconds: float = 2.0


class _Service:
    """The child process of one `ServiceSpec`, with its restart bookkeeping."""

    def __init__(self, spec: ServiceSpec, log_dir: Path | None) -> None:
        self.spec = spec
        self.process = ManagedProcess(
            spec.name,
            spec.command,
            env=spec.env,
            cwd=spec.cwd,
            log_path=log_dir / f"{spec.name}.log" if log_dir else None,
        )
        self.restarts = 0
        self.fast_failures = 0
        self.restart_at: float | None = None

    def start(self) -> None:
        self.process.start()
        self.restart_at = None

    def answers(self) -> bool:
        if self.spec.health_url is None:
            # No port to ask: alive past start-up (imports, settings, database) is all
            # there is to know; a later crash is restarted like any other.
            up_for = time.monotonic() - self.process.started_at
            return self.process.alive and up_for >= self.spec.settle_seconds
        try:
            response = httpx.get(self.spec.health_url, timeout=2.0)
        except httpx.HTTPError:
            return False
        return self.spec.ready(response.status_code)


class Stack:
    """Starts the services in order, keeps them running, and stops every one of them."""

    def __init__(self, specs: Sequence[ServiceSpec], *, log_dir: Path | None = None) -> None:
        names = [spec.name for spec in specs]
        if len(set(names)) != len(names):
            raise ValueError(f"service names must be unique: {names}")
        if log_dir:
            log_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir = log_dir
        self.services = [_Service(spec, log_dir) for spec in specs]
        self.stopping = threading.Event()
        self._lock = threading.Lock()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> None:
        """Start every service at once, then wait for each to answer, in order."""
        for service in self.services:
            log.info("starting %s: %s", service.spec.name, " ".join(service.spec.command))
            service.start()
        try:
            for service in self.services:
                self._wait_ready(service)
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self, service: _Service) -> None:
        spec = service.spec
        deadline = time.monotonic() + spec.ready_timeout
        while not service.answers():
            if self.stopping.is_set():
                raise StackInterrupted("stopped while starting")
            code = service.process.exit_code()
            if code is not None:
                raise StackError(
                    f"{spec.name} exited with code {code} while starting. "
                    f"Its last output:\n{service.process.log_tail()}"
                )
            if time.monotonic() > deadline:
                raise StackError(
                    f"{spec.name} did not answer at {spec.health_url} within "
                    f"{spec.ready_timeout:g} s. Its last output:\n{service.process.log_tail()}"
                )
            self.stopping.wait(0.25)
        log.info("%s is ready at %s", spec.name, spec.url)

    def supervise_once(self) -> None:
        """Restart crashed services (with backoff); call this periodically."""
        now = time.monotonic()
        with self._lock:
            if self.stopping.is_set():
                return
            for service in self.services:
                code = service.process.exit_code()
                if code is None:
                    continue
                if service.restart_at is None:
                    self._schedule_restart(service, code, now)
                elif now >= service.restart_at:
                    service.restarts += 1
                    service.start()
                    log.warning(
                        "restarted %s (pid %s, restart #%d)",
                        service.spec.name,
                        service.process.pid or "?",
                        service.restarts,
                    )

    def _schedule_restart(self, service: _Service, code: int, now: float) -> None:
        ran_for = now - service.process.started_at
        if ran_for >= STABLE_AFTER_SECONDS:
            service.fast_failures = 0
        delay = min(MAX_BACKOFF_SECONDS, 2.0**service.fast_failures - 1.0)
        service.fast_failures += 1
        service.restart_at = now + delay
        log.error(
            "%s exited with code %s after %.1f s; restarting in %.0f s. Last output:\n%s",
            service.spec.name,
            code,
            ran_for,
            delay,
            service.process.log_tail(15),
        )

    def run_until_stopped(self, poll_seconds: float = 0.5) -> None:
        """Supervise until `stop()` is called or `stopping` is set (e.g. by a signal)."""
        while not self.stopping.wait(poll_seconds):
            self.supervise_once()

    def stop(self) -> None:
        """SIGTERM every process group, wait, then SIGKILL what is left (idempotent)."""
        with self._lock:
            self.stopping.set()
            running = [s.process for s in self.services if s.process.alive]
            for process in reversed(running):
                process.signal_group(signal.SIGTERM)
            deadline = time.monotonic() + STOP_GRACE_SECONDS
            for process in reversed(running):
                if not process.finish(deadline):
                    log.warning("%s did not stop in time; killed it", process.name)

    def pids(self) -> dict[str, int | None]:
        """The current process id of each service (None when not running)."""
        return {s.spec.name: s.process.pid for s in self.services}

    def table(self) -> str:
        """Where each part listens, as a plain-text table."""
        rows = [("part", "listens on", "pid", "log")]
        for service in self.services:
            pid = service.process.popen.pid if service.process.popen else "-"
            log_file = service.process.log_path
            log_path = _display_path(log_file) if log_file else "terminal"
            rows.append(
                (
                    service.spec.description or service.spec.name,
                    service.spec.url,
                    str(pid),
                    log_path,
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        lines = [
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            for row in rows
        ]
        lines.insert(1, "  ".join("-" * width for width in widths))
        return "\n".join(lines)


def _display_path(path: Path) -> str:
    """`path` relative to the working directory when it is below it, else absolute."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
