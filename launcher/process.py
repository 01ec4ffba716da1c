"""One child process that can be started, signalled, stopped and started again.

The one process class of the project: the supervisor (`launcher.stack.Stack`, used by
`make run`, the end-to-end tests and the bench) and the test harnesses (`testing/`) both
run their children through it. Each child runs in its own process group, so that a stop
ends whatever it spawned, and, on Linux, the kernel sends it SIGTERM if its parent dies
without cleaning up.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

from settings import REPO_ROOT

__all__ = ["ManagedProcess"]

STOP_GRACE_SECONDS = 10.0


class ManagedProcess:
    """A command run as a child process; its output is appended to `log_path` (or the terminal)."""

    def __init__(
        self,
        name: str,
        command: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        cwd: Path = REPO_ROOT,
        log_path: Path | None = None,
    ) -> None:
        self.name = name
        self.command = list(command)
        self.env = dict(env) if env else None  # None: the parent's environment
        self.cwd = cwd
        self.log_path = log_path
        self.popen: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0
        self.starts = 0

    def start(self) -> None:
        """Start (or start again) the command; the previous run must have ended."""
        output: IO[bytes] | None = self.log_path.open("ab") if self.log_path else None
        try:
            self.popen = subprocess.Popen(
                self.command,
                cwd=self.cwd,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT if output else None,
                start_new_session=True,
                preexec_fn=_exit_with_parent if sys.platform == "linux" else None,
            )
        finally:
            if output:
                output.close()  # the child has its own copy
        self.started_at = time.monotonic()
        self.starts += 1

    @property
    def pid(self) -> int | None:
        """The process id while it runs, else None."""
        return self.popen.pid if self.alive and self.popen else None

    def exit_code(self) -> int | None:
        """The exit status once it ended; None while it runs or before its first start."""
        return None if self.popen is None else self.popen.poll()

    @property
    def alive(self) -> bool:
        """Whether the process is running."""
        return self.popen is not None and self.popen.poll() is None

    def signal_group(self, signum: int) -> None:
        """Send `signum` to the process and everything it spawned, if it still runs."""
        if self.alive and self.popen is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.popen.pid, signum)

    def wait(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for the process to end; whether it has."""
        if self.popen is None:
            return True
        try:
            self.popen.wait(timeout=max(0.1, timeout))
        except subprocess.TimeoutExpired:
            return False
        return True

    def kill(self, signum: int = signal.SIGKILL) -> None:
        """Send `signum` to the process group and wait for the process to end."""
        self.signal_group(signum)
        self.wait(30)

    def finish(self, deadline: float) -> bool:
        """After a SIGTERM: wait until `deadline` (monotonic), then SIGKILL the group.

        Whatever the child spawned and left behind in its group goes too. Returns
        whether the process ended by itself in time.
        """
        if self.popen is None:
            return True
        ended = self.wait(deadline - time.monotonic())
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.wait(5)
        return ended

    def stop(self, grace: float = STOP_GRACE_SECONDS) -> bool:
        """SIGTERM, up to `grace` seconds, then SIGKILL; whether it ended by itself."""
        self.signal_group(signal.SIGTERM)
        return self.finish(time.monotonic() + grace)

    def log_tail(self, lines: int = 40) -> str:
        """The last `lines` lines of the log."""
        if not self.log_path or not self.log_path.exists():
            return "(output went to the terminal)"
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])


def _exit_with_parent() -> None:
    """In the child, before exec: SIGTERM me when my parent dies (Linux prctl)."""
    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
