"""Retrain the Rasa model from the console (admins): train, test, compare, load without downtime.

One run at a time, in a background thread: `rasa train` into `models/console-<time>`
(its output read line by line for the progress shown), `rasa test nlu` of the new model
and of the one Rasa serves now on the held-out set (`tests/nlu/test_nlu.yml`), then the
verdict: a model that does worse (accuracy or weighted F1) is refused and never loaded.
An accepted one is loaded into each running Rasa process in turn through Rasa's HTTP
API (`PUT /model`, with RASA_AUTH_TOKEN): the others keep answering meanwhile, so the
assistant never stops; if one process refuses it, those already switched go back.
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from launcher.model import MODELS_DIR, RASA_BIN, rasa_env, train_command
from settings import REPO_ROOT

__all__ = [
    "HELD_OUT",
    "ModelLoadError",
    "NluScore",
    "Retrainer",
    "Verdict",
    "judge",
    "load_everywhere",
    "nlu_test_command",
]

log = logging.getLogger("console.retrain")

HELD_OUT = REPO_ROOT / "tests" / "nlu" / "test_nlu.yml"
WORK_DIR = REPO_ROOT / "var" / "retrain"
LOAD_SECONDS = 300.0
_PERCENT = re.compile(r"(\d{1,3})%\|")


class ModelLoadError(RuntimeError):
    """A Rasa process did not take the new model (the message says which, in Vietnamese)."""


@dataclass(frozen=True)
class NluScore:
    """A model on the held-out set: intent accuracy and weighted F1 (`rasa test nlu`)."""

    accuracy: float
    f1: float

    @classmethod
    def from_report(cls, path: Path) -> NluScore:
        """From the `intent_report.json` that `rasa test nlu --out DIR` writes."""
        report = json.loads(path.read_text(encoding="utf-8"))
        return cls(float(report["accuracy"]), float(report["weighted avg"]["f1-score"]))


@dataclass(frozen=True)
class Verdict:
    accepted: bool
    reason: str


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%".replace(".", ",")


def judge(new: NluScore, current: NluScore | None) -> Verdict:
    """Accept `new` unless it does worse than `current` on accuracy or weighted F1."""
    if current is None:
        return Verdict(True, "Chưa có mô hình đang chạy để so sánh.")
    worse = [
        f"{name} {_percent(ours)} < {_percent(theirs)}"
        for name, ours, theirs in (
            ("độ chính xác", new.accuracy, current.accuracy),
            ("F1", new.f1, current.f1),
        )
        if round(ours, 4) < round(theirs, 4)
    ]
    if worse:
        return Verdict(False, "Mô hình mới kém hơn mô hình đang chạy: " + "; ".join(worse) + ".")
    return Verdict(
        True,
        f"Mô hình mới không kém hơn: độ chính xác {_percent(new.accuracy)} "
        f"(đang chạy {_percent(current.accuracy)}), F1 {_percent(new.f1)}.",
    )


def nlu_test_command(model: Path, out: Path, held_out: Path = HELD_OUT) -> list[str]:
    """`rasa test nlu` of `model` on the held-out set, its reports into `out`."""
    return [str(RASA_BIN), "test", "nlu", "--nlu", str(held_out), "--model", str(model),
            "--out", str(out)]  # fmt: skip


async def _serving(client: httpx.AsyncClient, url: str, token: str) -> str:
    status = await client.get(f"{url}/status", params={"token": token})
    if status.status_code == 401:
        raise ModelLoadError(f"Rasa tại {url} từ chối RASA_AUTH_TOKEN.")
    status.raise_for_status()
    return str(status.json().get("model_file") or "")


async def _put(client: httpx.AsyncClient, url: str, token: str, model: Path) -> None:
    response = await client.put(
        f"{url}/model",
        params={"token": token},
        json={"model_file": str(model)},
        timeout=LOAD_SECONDS,
    )
    if response.status_code != 204:
        raise ModelLoadError(f"Rasa tại {url} không nạp mô hình (mã {response.status_code}).")
    if Path(await _serving(client, url, token)).name != model.name:
        raise ModelLoadError(f"Rasa tại {url} vẫn chạy mô hình cũ sau khi nạp.")


async def load_everywhere(
    client: httpx.AsyncClient, urls: list[str], model: Path, token: str
) -> list[str]:
    """Load `model` into each Rasa at `urls`, one after another; the URLs switched.

    If one refuses, those already switched are put back on the model they served.
    """
    switched: list[tuple[str, str]] = []
    try:
        for url in urls:
            before = await _serving(client, url, token)
            await _put(client, url, token, model)
            switched.append((url, before))
    except (httpx.HTTPError, ModelLoadError) as error:
        for url, before in reversed(switched):
            if before:
                await _put(client, url, token, MODELS_DIR / Path(before).name)
        if isinstance(error, ModelLoadError):
            raise
        raise ModelLoadError(f"Không gọi được Rasa: {error}") from error
    return [url for url, _ in switched]


@dataclass
class RetrainRun:
    """One run as the console shows it."""

    started_at: datetime
    phase: str = "training"  # training, testing, loading, done, refused, failed
    percent: int | None = None
    lines: deque[str] = field(default_factory=lambda: deque(maxlen=12))
    message: str = ""
    model: str = ""
    scores: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The form the console's API answers with."""
        return {
            "started_at": self.started_at.isoformat(),
            "phase": self.phase,
            "percent": self.percent,
            "output": list(self.lines),
            "message": self.message,
            "model": self.model,
            "scores": self.scores,
        }


Loader = Callable[[Path], list[str]]


class Retrainer:
    """Runs one retraining at a time; `start` returns at once, `current` says how it goes."""

    def __init__(
        self,
        load: Loader,
        *,
        work_dir: Path = WORK_DIR,
        models: Path = MODELS_DIR,
        commands: tuple[Callable[..., list[str]], Callable[..., list[str]]] = (
            train_command,
            nlu_test_command,
        ),
    ) -> None:
        """`commands`: how to train and to test (Rasa's CLI; a stand-in in tests)."""
        self._load, self._work, self._models = load, work_dir, models
        self._train, self._test = commands
        self._lock = threading.Lock()
        self.run: RetrainRun | None = None
        self.serving: Callable[[], Path | None] = lambda: None

    def start(self) -> RetrainRun:
        """Start a run; RuntimeError when one is going on."""
        with self._lock:
            if self.run is not None and self.run.phase in ("training", "testing", "loading"):
                raise RuntimeError("Đang có một lần huấn luyện chạy; hãy chờ nó xong.")
            now = datetime.now(UTC)
            self.run = RetrainRun(now, model=f"console-{now:%Y%m%d-%H%M%S}.tar.gz")
        threading.Thread(target=self._go, args=(self.run,), daemon=True).start()
        return self.run

    def _command(self, run: RetrainRun, command: list[str]) -> None:
        with subprocess.Popen(
            command, cwd=REPO_ROOT, env=rasa_env(), stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, errors="replace",
        ) as process:  # fmt: skip
            assert process.stdout is not None
            for line in process.stdout:
                if found := _PERCENT.search(line):
                    run.percent = int(found.group(1))
                if line.strip():
                    run.lines.append(line.rstrip()[:300])
        if process.returncode != 0:
            raise RuntimeError(
                f"{Path(command[0]).name} {command[1]} thất bại (mã {process.returncode})."
            )

    def _score(self, run: RetrainRun, model: Path) -> NluScore:
        out = self._work / "reports" / model.name.removesuffix(".tar.gz")
        report = out / "intent_report.json"
        if not report.exists():
            self._command(run, self._test(model, out))
        return NluScore.from_report(report)

    def _go(self, run: RetrainRun) -> None:
        model = self._models / run.model
        try:
            self._command(run, self._train(self._models, run.model.removesuffix(".tar.gz")))
            run.phase, run.percent = "testing", None
            new = self._score(run, model)
            serving = self.serving()
            current = self._score(run, serving) if serving is not None else None
            run.scores = {"new": new.__dict__, "current": current.__dict__ if current else None}
            verdict = judge(new, current)
            run.message = verdict.reason
            if not verdict.accepted:
                run.phase = "refused"
                return
            run.phase = "loading"
            switched = self._load(model)
            run.phase, run.message = (
                "done",
                f"{verdict.reason} Đã nạp vào {len(switched)} tiến trình Rasa.",
            )
        except (OSError, RuntimeError) as error:
            run.phase, run.message = "failed", str(error)
        except Exception as error:  # the thread must end the run whatever happens
            log.exception("retraining failed")
            run.phase, run.message = "failed", f"Lỗi không lường trước: {error}"
