"""The yardstick: stock Rasa 3.6.21 on our domain and data, with the config `rasa init` writes.

The configuration is copied at run time from the installed Rasa package (language en,
default pipeline and policies), trained once and cached under `models/` as
`stock-assistant-<hash>.tar.gz`. The hash covers only what shapes this model (the
config, domain.yml, nlu_data/): unlike ours it uses no code from rasa_ext/ or vntext/,
so editing those must not cost a 15-minute retrain. It is served by
`rasa run` with the default in-memory tracker store and the stock REST channel
(`POST /webhooks/rest/webhook`), calling our action server.
"""

from __future__ import annotations

import asyncio
import hashlib
import shutil
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from launcher.model import MODELS_DIR, RASA_BIN, rasa_env
from launcher.services import RASA_READY_SECONDS
from launcher.stack import ServiceSpec, Stack
from settings import REPO_ROOT

__all__ = [
    "REST_PATH",
    "STOCK_CONFIG",
    "StockError",
    "StockRasa",
    "copy_init_config",
    "ensure_stock_model",
    "stock_model_path",
    "stock_rasa",
]

REST_PATH = "/webhooks/rest/webhook"
# Relative to the repo root, where `rasa train` reads it (and writes its defaults into it).
STOCK_CONFIG = "var/bench/stock-config.yml"
TRAIN_TIMEOUT_SECONDS = 40 * 60.0


class StockError(RuntimeError):
    """The stock Rasa comparison could not be set up; the message says what is missing."""


def init_config_source(root: Path = REPO_ROOT) -> Path:
    """The `config.yml` that `rasa init` copies into a new project, in `.venv-rasa`."""
    found = sorted(
        (root / ".venv-rasa" / "lib").glob(
            "python3*/site-packages/rasa/cli/initial_project/config.yml"
        )
    )
    if not found:
        raise StockError(
            "Rasa's initial project config was not found under .venv-rasa (run `make rasa-venv`)"
        )
    return found[0]


def copy_init_config(root: Path = REPO_ROOT) -> str:
    """Copy `rasa init`'s config to STOCK_CONFIG, unchanged; return its relative path."""
    target = root / STOCK_CONFIG
    target.parent.mkdir(parents=True, exist_ok=True)
    source = init_config_source(root)
    if not target.exists() or target.read_bytes() != source.read_bytes():
        shutil.copyfile(source, target)
    return STOCK_CONFIG


def stock_model_path(root: Path = REPO_ROOT) -> Path:
    """Where the stock model for the current config, domain and data lives."""
    # The packaged original, not the copy: `rasa train` writes the defaults it used
    # (and an assistant_id) into a config whose pipeline and policies are empty.
    digest = hashlib.sha256(STOCK_CONFIG.encode())
    digest.update(init_config_source(root).read_bytes())
    inputs = [root / "domain.yml"]
    inputs += sorted(p for p in (root / "nlu_data").rglob("*") if p.is_file())
    for path in inputs:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return MODELS_DIR / f"stock-assistant-{digest.hexdigest()[:16]}.tar.gz"


def ensure_stock_model(log_path: Path = REPO_ROOT / "var/bench/logs/stock-train.log") -> Path:
    """The stock model for the current domain and data, trained only when missing."""
    config = copy_init_config()
    target = stock_model_path()
    if target.exists():
        return target
    MODELS_DIR.mkdir(exist_ok=True)
    command = [
        str(RASA_BIN), "train",
        "--config", config,
        "--domain", "domain.yml",
        "--data", "nlu_data",
        "--out", str(MODELS_DIR),
        "--fixed-model-name", target.name.removesuffix(".tar.gz"),
    ]  # fmt: skip
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as output:
        try:
            subprocess.run(
                command, cwd=REPO_ROOT, env=rasa_env(), stdout=output, stderr=subprocess.STDOUT,
                check=True, timeout=TRAIN_TIMEOUT_SECONDS,
            )  # fmt: skip
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise StockError(f"training the stock model failed ({exc}); see {log_path}") from exc
    return target


@dataclass(frozen=True)
class StockRasa:
    """A running stock Rasa server."""

    url: str
    stack: Stack

    @property
    def webhook_url(self) -> str:
        return self.url + REST_PATH

    @property
    def pid(self) -> int | None:
        return self.stack.pids().get("stock-rasa")


def stock_service(model: Path, *, action_server_url: str, port: int, folder: Path) -> ServiceSpec:
    """`rasa run` for the stock model: REST channel only, default (in-memory) tracker store."""
    folder.mkdir(parents=True, exist_ok=True)
    endpoints = folder / "endpoints.yml"
    endpoints.write_text(
        yaml.safe_dump({"action_endpoint": {"url": action_server_url.rstrip("/") + "/webhook"}})
    )
    credentials = folder / "credentials.yml"
    credentials.write_text("rest:\n")
    url = f"http://127.0.0.1:{port}"
    return ServiceSpec(
        name="stock-rasa",
        description="stock Rasa (rasa init config)",
        command=[
            str(RASA_BIN),
            "run",
            "--model",
            str(model),
            "--endpoints",
            str(endpoints),
            "--credentials",
            str(credentials),
            "--port",
            str(port),
            "-i",
            "127.0.0.1",
        ],  # fmt: skip
        url=url,
        health_url=url + "/",
        env={**rasa_env(), "PYTHONUNBUFFERED": "1"},
        ready_timeout=RASA_READY_SECONDS,
    )


@asynccontextmanager
async def stock_rasa(
    model: Path, *, action_server_url: str, port: int, folder: Path, log_dir: Path
) -> AsyncIterator[StockRasa]:
    """Run the stock Rasa server for the duration of the block."""
    shutil.rmtree(log_dir, ignore_errors=True)
    spec = stock_service(model, action_server_url=action_server_url, port=port, folder=folder)
    stack = Stack([spec], log_dir=log_dir)
    await asyncio.to_thread(stack.start)
    try:
        yield StockRasa(spec.url, stack)
    finally:
        await asyncio.to_thread(stack.stop)
