"""A small supervisor: start processes, wait until they answer, restart crashes, stop all.

Each child runs in its own process group (so stopping it stops whatever it spawned) and,
on Linux, is told by the kernel to exit if the supervisor dies without cleaning up.
`make run` (launcher/__main__.py) and the end-to-end test fixture both use `Stack`.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Self

import httpx

from settings import REPO_ROOT

__all__ = ["ServiceSpec", "Stack", "StackError", "StackInterrupted", "answers_ok", "answers_at_all"]

log = logging.getLogger("launcher")

# A crash soon after a start doubles the wait before the next start, up to this cap.
MAX_BACKOFF_SECONDS = 30.0
# A process that ran at least this long before crashing starts again at once.
STABLE_AFTER_SECONDS = 60.0
STOP_GRACE_SECONDS = 10.0


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
    """A running (or crashed) child process of one `ServiceSpec`."""

    def __init__(self, spec: ServiceSpec, log_dir: Path | None) -> None:
        self.spec = spec
        self.log_path = log_dir / f"{spec.name}.log" if log_dir else None
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0
        self.restarts = 0
        self.fast_failures = 0
        self.restart_at: float | None = None

    def start(self) -> None:
        output: IO[bytes] | None = None
        if self.log_path:
            output = self.log_path.open("ab")
        try:
            self.process = subprocess.Popen(
                list(self.spec.command),
                cwd=self.spec.cwd,
                env=dict(self.spec.env) or None,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT if output else None,
                start_new_session=True,
                preexec_fn=_exit_with_parent if sys.platform == "linux" else None,
            )
        finally:
            if output:
                output.close()
        self.started_at = time.monotonic()
        self.restart_at = None

    def exit_code(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def signal_group(self, signum: int) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signum)

    def answers(self) -> bool:
        if self.spec.health_url is None:
            # No port to ask: alive past start-up (imports, settings, database) is all
            # there is to know; a later crash is restarted like any other.
            up_for = time.monotonic() - self.started_at
            return self.exit_code() is None and up_for >= self.spec.settle_seconds
        try:
            response = httpx.get(self.spec.health_url, timeout=2.0)
        except httpx.HTTPError:
            return False
        return self.spec.ready(response.status_code)

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path or not self.log_path.exists():
            return "(output went to the terminal)"
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])


def _exit_with_parent() -> None:
    """In the child, before exec: SIGTERM me when the supervisor dies (Linux prctl)."""
    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


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
            code = service.exit_code()
            if code is not None:
                raise StackError(
                    f"{spec.name} exited with code {code} while starting. "
                    f"Its last output:\n{service.log_tail()}"
                )
            if time.monotonic() > deadline:
                raise StackError(
                    f"{spec.name} did not answer at {spec.health_url} within "
                    f"{spec.ready_timeout:g} s. Its last output:\n{service.log_tail()}"
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
                code = service.exit_code()
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
                        service.process.pid if service.process else "?",
                        service.restarts,
                    )

    def _schedule_restart(self, service: _Service, code: int, now: float) -> None:
        ran_for = now - service.started_at
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
            service.log_tail(15),
        )

    def run_until_stopped(self, poll_seconds: float = 0.5) -> None:
        """Supervise until `stop()` is called or `stopping` is set (e.g. by a signal)."""
        while not self.stopping.wait(poll_seconds):
            self.supervise_once()

    def stop(self) -> None:
        """SIGTERM every process group, wait, then SIGKILL what is left (idempotent)."""
        with self._lock:
            self.stopping.set()
            running = [s for s in self.services if s.exit_code() is None and s.process]
            for service in reversed(running):
                service.signal_group(signal.SIGTERM)
            deadline = time.monotonic() + STOP_GRACE_SECONDS
            for service in reversed(running):
                assert service.process is not None
                try:
                    service.process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    log.warning("%s did not stop in time; killing it", service.spec.name)
                # Whatever the child spawned and left behind in its group goes too.
                _kill_group(service.process.pid)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    service.process.wait(timeout=5)

    def pids(self) -> dict[str, int | None]:
        """The current process id of each service (None when not running)."""
        return {
            s.spec.name: s.process.pid if s.process and s.exit_code() is None else None
            for s in self.services
        }

    def table(self) -> str:
        """Where each part listens, as a plain-text table."""
        rows = [("part", "listens on", "pid", "log")]
        for service in self.services:
            pid = service.process.pid if service.process else "-"
            log_path = _display_path(service.log_path) if service.log_path else "terminal"
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


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)
