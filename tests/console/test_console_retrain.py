"""Retraining from the console: the verdict on real `rasa test nlu` reports, loading, admins only.

`data/held_out_intent_report.json` is real: `rasa test nlu` of the model of this
commit's training data on the held-out set; `data/worse_intent_report.json` is the same
report with one more question in ten wrong (a model that does worse). No training runs
here (one takes about 7 minutes).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from console.retrain import ModelLoadError, NluScore, Retrainer, judge, load_everywhere
from console.roles import Role
from testing.console import logged_in
from testing.fake_rasa import FakeRasa

DATA = Path(__file__).resolve().parent / "data"
TOKEN = "rasa-token"


@pytest.fixture(scope="module")
def held_out() -> NluScore:
    return NluScore.from_report(DATA / "held_out_intent_report.json")


@pytest.fixture(scope="module")
def worse() -> NluScore:
    return NluScore.from_report(DATA / "worse_intent_report.json")


def test_a_model_that_does_worse_is_refused(held_out: NluScore, worse: NluScore) -> None:
    assert 0.5 < worse.accuracy < held_out.accuracy <= 1.0
    verdict = judge(worse, held_out)
    assert not verdict.accepted
    assert verdict.reason.startswith("Mô hình mới kém hơn mô hình đang chạy: độ chính xác")


def test_a_model_as_good_or_better_is_accepted(held_out: NluScore, worse: NluScore) -> None:
    assert judge(held_out, held_out).accepted
    assert judge(held_out, worse).accepted
    assert judge(worse, None).accepted  # nothing served yet: nothing to compare with
    slightly_worse_f1 = NluScore(held_out.accuracy, held_out.f1 - 0.001)
    assert not judge(slightly_worse_f1, held_out).accepted


def _rasas(*fakes: FakeRasa) -> httpx.AsyncClient:
    async def route(request: httpx.Request) -> httpx.Response:
        fake = next(f for f in fakes if str(request.url).startswith(f.base_url))
        return await fake(request)

    return httpx.AsyncClient(transport=httpx.MockTransport(route))


async def test_the_new_model_goes_into_each_rasa_in_turn() -> None:
    first, second = FakeRasa(base_url="http://rasa-1:5005"), FakeRasa(base_url="http://rasa-2:5006")
    model = Path("/srv/models/console-20261201-150000.tar.gz")
    async with _rasas(first, second) as client:
        switched = await load_everywhere(client, [first.base_url, second.base_url], model, TOKEN)
    assert switched == [first.base_url, second.base_url]
    assert first.model_file == second.model_file == model.name


async def test_a_refusal_puts_the_switched_processes_back() -> None:
    first, second = FakeRasa(base_url="http://rasa-1:5005"), FakeRasa(base_url="http://rasa-2:5006")
    second.refuse_models = True
    model = Path("/srv/models/console-20261201-150000.tar.gz")
    async with _rasas(first, second) as client:
        with pytest.raises(ModelLoadError, match="rasa-2"):
            await load_everywhere(client, [first.base_url, second.base_url], model, TOKEN)
        with pytest.raises(ModelLoadError, match="từ chối RASA_AUTH_TOKEN"):
            await load_everywhere(client, [first.base_url], model, TOKEN + "x")
    assert first.model_file == second.model_file == "assistant-old.tar.gz"


async def test_only_admins_may_retrain(console: httpx.AsyncClient) -> None:
    csrf = await logged_in(console, Role.EDITOR)
    refused = await console.post("/admin/api/model/retrain", headers={"X-CSRF-Token": csrf})
    assert refused.status_code == 403
    assert (await console.get("/admin/model")).status_code == 403
    await logged_in(console, Role.ADMIN)
    status = await console.get("/admin/api/model/retrain")
    assert status.status_code == 200 and status.json() == {"run": None}
    page = await console.get("/admin/model")
    assert page.status_code == 200 and "Huấn luyện lại</button>" in page.text


def _stand_ins(new_report: Path) -> tuple[Any, Any]:
    """Commands standing in for `rasa train` and `rasa test nlu` (real report files)."""
    train = (
        "import pathlib, sys\n"
        "for percent in (10, 55, 100): print(f'Epochs: {percent:3d}%|####', flush=True)\n"
        "pathlib.Path(sys.argv[1], sys.argv[2] + '.tar.gz').write_text('model')\n"
    )
    test = (
        "import pathlib, shutil, sys\n"
        "pathlib.Path(sys.argv[3]).mkdir(parents=True)\n"
        "report = sys.argv[2] if 'console-' in sys.argv[1] else sys.argv[4]\n"
        "shutil.copy(report, pathlib.Path(sys.argv[3], 'intent_report.json'))\n"
    )
    held = str(DATA / "held_out_intent_report.json")
    return (
        lambda out, name: [sys.executable, "-c", train, str(out), name],
        lambda model, out: [
            sys.executable,
            "-c",
            test,
            str(model),
            str(new_report),
            str(out),
            held,
        ],
    )


def _finished(retrainer: Retrainer) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while retrainer.run is not None and retrainer.run.phase in ("training", "testing", "loading"):
        assert time.monotonic() < deadline, retrainer.run.as_json()
        time.sleep(0.05)
    assert retrainer.run is not None
    return retrainer.run.as_json()


@pytest.mark.parametrize(("report", "phase"), [("held_out", "done"), ("worse", "refused")])
def test_a_run_trains_tests_and_loads_only_a_model_not_worse(
    tmp_path: Path, report: str, phase: str
) -> None:
    loaded: list[Path] = []
    retrainer = Retrainer(
        lambda model: loaded.append(model) or ["http://rasa-1:5005"],
        work_dir=tmp_path / "work",
        models=tmp_path,
        commands=_stand_ins(DATA / f"{report}_intent_report.json"),
    )
    retrainer.serving = lambda: tmp_path / "assistant-old.tar.gz"
    retrainer.start()
    with pytest.raises(RuntimeError, match="Đang có một lần huấn luyện"):
        retrainer.start()
    run = _finished(retrainer)
    assert run["phase"] == phase, run
    assert run["percent"] is None and "Epochs: 100%|####" in run["output"]
    assert (
        run["scores"]["current"]
        == NluScore.from_report(DATA / "held_out_intent_report.json").__dict__
    )
    if phase == "done":
        assert loaded == [tmp_path / run["model"]] and "Đã nạp vào 1 tiến trình" in run["message"]
    else:
        assert loaded == [] and run["message"].startswith("Mô hình mới kém hơn")
