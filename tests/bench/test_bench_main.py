"""`python -m bench`: a failing or hanging area becomes one ERROR row; the rest still run."""

from __future__ import annotations

import asyncio
from pathlib import Path

import yaml

from bench.__main__ import Area, discover_areas, run_areas
from bench.context import BenchContext
from bench.stock import REST_PATH, STOCK_CONFIG, copy_init_config, stock_service
from bench.table import Row


async def _fine(context: BenchContext) -> list[Row]:
    return [Row("fine", "answers", "1 ms", "<= 2 ms", True)]


async def _broken(context: BenchContext) -> list[Row]:
    raise RuntimeError("the simulator | did not start")


async def _hangs(context: BenchContext) -> list[Row]:
    await asyncio.sleep(60)
    return []


async def test_one_failing_area_does_not_hide_the_others(tmp_path: Path) -> None:
    areas = [Area("broken", _broken), Area("slow", _hangs, timeout=0.05), Area("fine", _fine)]

    rows = await run_areas(areas, BenchContext(tmp_path))

    assert [(r.area, r.metric, r.verdict) for r in rows] == [
        ("broken", "ERROR", "MISSED"),
        ("slow", "ERROR", "MISSED"),
        ("fine", "answers", "ok"),
    ]
    assert "|" not in rows[0].value  # the Markdown table stays a table
    assert "did not finish" in rows[1].value


def test_the_assistant_area_is_found_and_runs_first() -> None:
    areas, broken = discover_areas()
    assert broken == []
    assert areas[0].name == "assistant"
    assert all(a.name not in {"load", "table", "stock", "perf"} for a in areas)


def test_stock_config_is_rasa_inits_unchanged(tmp_path: Path) -> None:
    package = tmp_path / ".venv-rasa/lib/python3.10/site-packages/rasa/cli/initial_project"
    package.mkdir(parents=True)
    (package / "config.yml").write_text("language: en\npipeline:\npolicies:\n")

    relative = copy_init_config(tmp_path)

    assert relative == STOCK_CONFIG
    assert (tmp_path / relative).read_text() == "language: en\npipeline:\npolicies:\n"


def test_stock_rasa_uses_the_rest_channel_and_the_default_tracker_store(tmp_path: Path) -> None:
    spec = stock_service(
        tmp_path / "stock.tar.gz",
        action_server_url="http://127.0.0.1:5055",
        port=5999,
        folder=tmp_path / "stock",
    )

    endpoints = yaml.safe_load((tmp_path / "stock/endpoints.yml").read_text())
    credentials = yaml.safe_load((tmp_path / "stock/credentials.yml").read_text())
    assert endpoints == {"action_endpoint": {"url": "http://127.0.0.1:5055/webhook"}}
    assert credentials == {"rest": None}
    assert spec.url + REST_PATH == "http://127.0.0.1:5999/webhooks/rest/webhook"
    assert "--enable-api" not in spec.command
    assert spec.command[spec.command.index("--port") + 1] == "5999"
