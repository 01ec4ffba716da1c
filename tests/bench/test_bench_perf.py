"""Latency helpers: conversations rotate, growth is a ratio of medians, RSS covers trees."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import psutil
import pytest

from bench.load import LoadResult
from bench.memory import PeakRss, tree_rss
from bench.perf import chat_body, conversation_growth, load_summary, rotating_conversations


def test_rotating_conversations_starts_a_new_one_every_n_messages() -> None:
    body = rotating_conversations(chat_body, 3)

    senders = [body("alice", f"m{i}")["sender"] for i in range(7)]

    assert senders == ["alice-c0"] * 3 + ["alice-c1"] * 3 + ["alice-c2"]
    assert body("bob", "hi") == {"sender": "bob-c0", "message": "hi"}


def test_rotating_conversations_refuses_zero() -> None:
    with pytest.raises(ValueError):
        rotating_conversations(chat_body, 0)


def test_conversation_growth_compares_medians_of_the_ends() -> None:
    first = [10.0] * 9 + [100.0]  # one outlier does not move the median
    middle = [50.0] * 280
    last = [30.0] * 10
    latencies = first + middle + last

    growth = conversation_growth(latencies)

    assert growth.first_ms == 10.0
    assert growth.last_ms == 30.0
    assert growth.ratio == 3.0
    assert growth.raw_ratio == 3.0
    assert growth.length == 300


def test_conversation_growth_needs_two_windows() -> None:
    with pytest.raises(ValueError):
        conversation_growth([1.0] * 19)


def test_load_summary_names_errors() -> None:
    result = LoadResult(latencies_ms=[10.0, 20.0, 30.0], errors=2, wall_seconds=1.5)
    assert load_summary(result) == "2.0 msg/s, p50 20 ms, p99 30 ms (n=3), 2 errors"


def test_tree_rss_includes_children() -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", "import time; x = b'x' * (60 * 2**20); time.sleep(30)"]
    )
    try:
        own = psutil_rss(os.getpid())
        sampler = PeakRss({"me": os.getpid(), "gone": None}, interval=0.05)
        for _ in range(100):
            with sampler:
                time.sleep(0.05)
            if sampler.peak_bytes["me"] > own + 50 * 2**20:
                break
        assert sampler.peak_bytes["me"] > own + 50 * 2**20
        assert "gone" not in sampler.peak_bytes
    finally:
        child.kill()
        child.wait()


def psutil_rss(pid: int) -> int:
    return int(psutil.Process(pid).memory_info().rss)


def test_tree_rss_of_a_finished_process_is_zero() -> None:
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    assert tree_rss(finished.pid) == 0
