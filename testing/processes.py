"""Run a `python -m ...` service as a child process for a test, on a free port."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import httpx

from launcher.process import ManagedProcess
from testing.ports import free_port

__all__ = ["ServiceTimeout", "running_module", "wait_healthy"]


class ServiceTimeout(RuntimeError):
    """A process did not answer `/health` in time (or exited first)."""


def wait_healthy(
    url: str, process: ManagedProcess, timeout: float = 20, http: httpx.Client | None = None
) -> None:
    """Wait until `url/health` answers 200; fail early when the process exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process.alive:
            raise ServiceTimeout(f"{process.name} exited; see {process.log_path or 'its output'}")
        try:
            if (http or httpx).get(url + "/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise ServiceTimeout(f"{process.name} did not answer {url}/health within {timeout:g} s")


@contextmanager
def running_module(
    module: str, *arguments: str, env: Mapping[str, str] | None = None
) -> Iterator[str]:
    """`python -m module --port <free> *arguments`; yields its base URL once it is healthy.

    `env` is added to this process's environment. The process is stopped on exit.
    """
    port = free_port()
    command = [sys.executable, "-m", module, "--port", str(port), *arguments]
    process = ManagedProcess(module, command, env={**os.environ, **(env or {})})
    process.start()
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        yield url
    finally:
        process.stop()
