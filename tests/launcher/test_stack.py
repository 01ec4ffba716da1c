"""The supervisor with real child processes: readiness, crash restarts, stopping, no orphans."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx
import psutil
import pytest

from launcher.stack import ServiceSpec, Stack, StackError
from testing.ports import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]


def web_server(
    name: str, tmp_path: Path, *, prefix: str = "", ready_timeout: float = 20
) -> ServiceSpec:
    """A tiny HTTP server as a stand-in part; `prefix` is shell run before it (exec'd)."""
    port = free_port()
    server = f"exec {sys.executable} -m http.server {port} --bind 127.0.0.1"
    return ServiceSpec(
        name=name,
        command=["sh", "-c", f"{prefix}{server}"],
        url=f"http://127.0.0.1:{port}/",
        health_url=f"http://127.0.0.1:{port}/",
        cwd=tmp_path,
        ready_timeout=ready_timeout,
    )


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def wait_until(condition, seconds: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.1)


def test_parts_answer_after_start_and_are_gone_after_stop(tmp_path: Path) -> None:
    specs = [web_server("one", tmp_path), web_server("two", tmp_path)]
    with Stack(specs, log_dir=tmp_path / "logs") as stack:
        for spec in specs:
            assert httpx.get(spec.health_url).status_code == 200
        pids = [pid for pid in stack.pids().values() if pid]
        table = stack.table()
    assert len(pids) == 2
    assert not any(alive(pid) for pid in pids)
    assert "one" in table and specs[1].url in table


def test_crashed_part_is_restarted(tmp_path: Path) -> None:
    spec = web_server("flaky", tmp_path)
    with Stack([spec], log_dir=tmp_path / "logs") as stack:
        first = stack.pids()["flaky"]
        assert first
        os.kill(first, signal.SIGKILL)
        wait_until(lambda: stack.supervise_once() or (stack.pids()["flaky"] not in (None, first)))
        wait_until(lambda: answers(spec.health_url))
        assert stack.services[0].restarts == 1


def test_stop_also_ends_what_a_part_spawned(tmp_path: Path) -> None:
    marker = tmp_path / "grandchild.pid"
    spec = web_server("parent", tmp_path, prefix=f"sleep 600 & echo $! > {marker}; ")
    with Stack([spec], log_dir=tmp_path / "logs"):
        grandchild = int(marker.read_text())
        assert alive(grandchild)
    wait_until(lambda: not alive(grandchild), 5)


def test_a_part_that_exits_while_starting_is_named_with_its_output(tmp_path: Path) -> None:
    broken = ServiceSpec(
        name="broken",
        command=["sh", "-c", "echo 'cannot open model file' >&2; exit 3"],
        url="http://127.0.0.1:9/",
        health_url="http://127.0.0.1:9/",
    )
    healthy = web_server("healthy", tmp_path)
    stack = Stack([healthy, broken], log_dir=tmp_path / "logs")

    with pytest.raises(StackError, match=r"broken exited with code 3(.|\n)*cannot open model file"):
        stack.start()

    assert stack.pids() == {"healthy": None, "broken": None}


def test_a_part_that_never_answers_times_out(tmp_path: Path) -> None:
    silent = ServiceSpec(
        name="silent",
        command=["sleep", "600"],
        url="http://127.0.0.1:9/",
        health_url="http://127.0.0.1:9/",
        ready_timeout=1.0,
    )
    stack = Stack([silent], log_dir=tmp_path / "logs")

    with pytest.raises(StackError, match="silent did not answer"):
        stack.start()
    assert stack.pids() == {"silent": None}


SUPERVISOR = textwrap.dedent(
    """
    import signal, sys
    from pathlib import Path
    from launcher.stack import ServiceSpec, Stack
    def spec(i, port):
        url = f"http://127.0.0.1:{port}/"
        server = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
        return ServiceSpec(name=f"web{i}", command=server, url=url, health_url=url)
    specs = [spec(i, int(port)) for i, port in enumerate(sys.argv[1:])]
    stack = Stack(specs, log_dir=Path.cwd() / "logs")
    signal.signal(signal.SIGTERM, lambda *_: stack.stopping.set())
    signal.signal(signal.SIGINT, lambda *_: stack.stopping.set())
    stack.start()
    print(" ".join(str(pid) for pid in stack.pids().values()), flush=True)
    stack.run_until_stopped(0.1)
    stack.stop()
    """
)


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_no_orphans_when_the_supervisor_is_stopped(tmp_path: Path, how: signal.Signals) -> None:
    supervisor = subprocess.Popen(
        [sys.executable, "-c", SUPERVISOR, str(free_port()), str(free_port())],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert supervisor.stdout is not None
        children = [int(pid) for pid in supervisor.stdout.readline().split()]
        assert len(children) == 2 and all(alive(pid) for pid in children)

        supervisor.send_signal(how)
        supervisor.wait(timeout=20)

        # SIGKILL leaves no chance to clean up: the kernel's parent-death signal does it.
        wait_until(lambda: not any(alive(pid) for pid in children), 10)
    finally:
        supervisor.kill()


def portless(name: str, code: str, *, settle_seconds: float) -> ServiceSpec:
    """A part without an HTTP port: Python running `code`."""
    command = [sys.executable, "-c", code]
    return ServiceSpec(name, command, "(no port)", None, settle_seconds=settle_seconds)


def test_a_part_without_a_port_is_ready_once_it_stays_up(tmp_path: Path) -> None:
    worker = portless("worker", "import time; time.sleep(60)", settle_seconds=0.5)
    started = time.monotonic()
    with Stack([worker], log_dir=tmp_path / "logs") as stack:
        assert time.monotonic() - started >= 0.5
        assert stack.pids()["worker"] is not None
        assert "(no port)" in stack.table()

    crashing = portless("crashing", "raise SystemExit('no database')", settle_seconds=5)
    with pytest.raises(StackError, match="crashing exited with code 1"):
        Stack([crashing], log_dir=tmp_path / "logs").start()
