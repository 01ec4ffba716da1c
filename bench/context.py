"""What every bench area shares: where results go, the machine, and our running stack.

The stack (Rasa, action server, gateway, simulators) is started at most once per bench
run, on free 127.0.0.1 ports with a temporary SQLite database, by the same
`launcher.stack.Stack` that `make run` and the end-to-end tests use.
"""

from __future__ import annotations

import asyncio
import os
import platform
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from bot.rasa_pool import rasa_part_name
from launcher.model import ensure_model
from launcher.services import endpoints_for, plan_services, prepare_database
from launcher.stack import Stack
from settings import REPO_ROOT, Settings
from testing.ports import free_ports, local_placement

__all__ = [
    "BENCH_RASA_PROCESSES",
    "PLACEMENT",
    "BenchContext",
    "RunningStack",
    "describe_machine",
    "free_ports",
    "placement",
]

# Rasa answers one message at a time per process; the gateway spreads conversations over
# this many (by sender), so that both cores work. RASA_PROCESSES in the environment wins.
BENCH_RASA_PROCESSES = 2
# The settings that say where a bench stack's parts are; every other setting the shared
# stack sets is a knob lifting a limit for the load runs.
PLACEMENT = (
    "database_url",
    "gateway_host",
    "gateway_port",
    "public_base_url",
    "rasa_url",
    "rasa_urls",
    "rasa_processes",
    "action_server_url",
    "onestop_base_url",
    "twilio_base_url",
    "telegram_base_url",
    "zalo_base_url",
    "zalo_oauth_url",
)


def placement(settings: Settings) -> dict[str, Any]:
    """Only where `settings` puts each part (`PLACEMENT`), none of its knobs."""
    return {name: getattr(settings, name) for name in PLACEMENT}


def describe_machine() -> str:
    """CPUs, RAM, CPU model and OS, for the line under the results table."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    ram_gib = psutil.virtual_memory().total / 1024**3
    model = platform.processor() or ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{cpus} CPUs (nproc), {ram_gib:.1f} GiB RAM, {model or 'unknown CPU'}, "
        f"{platform.system()} {platform.release()}, load average at start {load:.2f}"
    )


@dataclass(frozen=True)
class RunningStack:
    """Where the parts of the bench's stack listen, and their process ids."""

    settings: Settings
    stack: Stack

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.gateway_port}"

    @property
    def rasa_url(self) -> str:
        return self.settings.rasa_url

    def rasa_api_url(self, path: str) -> str:
        """`path` on Rasa's HTTP API, with the auth token it asks for (RASA_AUTH_TOKEN)."""
        token = self.settings.rasa_auth_token.get_secret_value()
        return f"{self.rasa_url}{path}?token={token}"

    @property
    def rasa_processes(self) -> int:
        return len(self.settings.rasa_url_list())

    def rasa_pids(self) -> dict[str, int | None]:
        """Process id of each Rasa process, by service name (`rasa`, `rasa-2`, …)."""
        pids = self.stack.pids()
        return {rasa_part_name(i): pids.get(rasa_part_name(i)) for i in range(self.rasa_processes)}

    @property
    def action_server_url(self) -> str:
        return self.settings.action_server_url

    def pids(self) -> dict[str, int | None]:
        return self.stack.pids()


class BenchContext:
    """Passed to every area's `run(context)`; `aclose()` stops whatever was started."""

    def __init__(self, out_dir: Path, *, quick: bool = False) -> None:
        self.out_dir = out_dir
        self.quick = quick  # fewer messages: a smoke run, not figures to report
        self.repo_root = REPO_ROOT
        out_dir.mkdir(parents=True, exist_ok=True)
        self._stack: RunningStack | None = None
        self._defaults: RunningStack | None = None
        self._stack_lock = asyncio.Lock()
        self._workdir: Path | None = None

    @property
    def workdir(self) -> Path:
        """A scratch folder removed at the end of the run (databases, endpoint files)."""
        if self._workdir is None:
            self._workdir = Path(tempfile.mkdtemp(prefix="bench-"))
        return self._workdir

    async def assistant_stack(self) -> RunningStack:
        """Our whole stack, started on first use and shared by every area."""
        async with self._stack_lock:
            if self._stack is None:
                self._stack = await asyncio.to_thread(self._start_stack)
            return self._stack

    async def defaults_stack(self, **settings: object) -> RunningStack:
        """A second stack with one Rasa process, where every limit keeps its default.

        The shared stack lifts the per-client limits for the load runs (knobs in
        `_start_stack`); this one copies only where the shared one's parts listen
        (`PLACEMENT`, new ports), so a limit added later is at its default here without
        anyone listing it. `settings` are set on top (named in the rows that use them).
        Stop it with `stop_defaults_stack()` when done: it holds another Rasa.
        """
        async with self._stack_lock:
            if self._defaults is None:
                self._defaults = await asyncio.to_thread(
                    self._start_stack, "defaults", 1, defaults=settings
                )
            return self._defaults

    async def stop_defaults_stack(self) -> None:
        """Stop the stack `defaults_stack()` started (nothing when none runs)."""
        async with self._stack_lock:
            if self._defaults is not None:
                await asyncio.to_thread(self._defaults.stack.stop)
                self._defaults = None

    def _start_stack(
        self, name: str = "assistant", processes: int | None = None, *, defaults: Any = None
    ) -> RunningStack:
        folder = self.workdir / name
        folder.mkdir(parents=True, exist_ok=True)
        if processes is None:
            processes = int(os.environ.get("RASA_PROCESSES", BENCH_RASA_PROCESSES))
        settings = Settings(
            database_url=f"sqlite:///{folder / 'bench.db'}",
            **local_placement(processes),
            # The load comes from one address at ~100 msg/s: no per-client chat limit.
            chat_rate_per_minute=0,
            # The load comes from this one address: lift the lookup quotas for it only
            # (README "Lookup limits"); other addresses keep the defaults.
            lookup_unlimited_clients="127.0.0.1",
        )
        if defaults is not None:
            settings = Settings(**placement(settings), **defaults)
        prepare_database(settings.database_url)
        log_dir = self.out_dir / "logs" / name
        shutil.rmtree(log_dir, ignore_errors=True)  # the Stack appends; keep one run's logs
        stack = Stack(
            plan_services(
                settings, model=ensure_model(), endpoints=endpoints_for(settings, folder)
            ),
            log_dir=log_dir,
        )
        stack.start()
        return RunningStack(settings, stack)

    async def aclose(self) -> None:
        """Stop our stack and remove the scratch folder."""
        if self._stack is not None:
            await asyncio.to_thread(self._stack.stack.stop)
            self._stack = None
        await self.stop_defaults_stack()
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None
