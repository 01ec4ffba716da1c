"""The one-stop simulator: seeding, API, changes feed, transitions, faults, configuration."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime

import httpx
import pytest

from simulators.onestop import SimConfig, parse_config, running_simulator
from simulators.onestop.config import parse_anchor
from simulators.onestop.records import STATUSES
from simulators.onestop.seed import seed_dossiers
from testing.processes import running_module
from workdays import due_date

ANCHOR = parse_anchor("2026-03-16T17:00")
CODE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.H56-(\d{6})-(\d{4})$")
PHONE = re.compile(r"^\+84(3|5|7|8|9)\d{8}$")


def stamp(value: str) -> datetime:
    return datetime.strptime(value, "%Y%m%d%H%M%S")


def test_seeding_10000_is_fast_deterministic_and_complete() -> None:
    # CPU time, not wall time: parallel test sessions on a small machine skew the clock.
    started = time.process_time()
    records = seed_dossiers(42, 10_000, ANCHOR)
    assert time.process_time() - started < 2.0
    assert len(records) == 10_000
    assert records == seed_dossiers(42, 10_000, ANCHOR)
    assert records != seed_dossiers(43, 10_000, ANCHOR)
    statuses = Counter(r["TrangThaiHoSo"] for r in records.values())
    assert set(statuses) == set(STATUSES)
    now = "20260316170000"
    overdue = [
        r for r in records.values()
        if r["NgayHenTra"] and r["NgayHenTra"] < now and r["NgayKetThucXuLy"] is None
        and r["TrangThaiHoSo"] in ("new", "processing", "waiting", "paying")
    ]  # fmt: skip
    assert len(overdue) > 50


def test_seeded_records_are_realistic() -> None:
    records = seed_dossiers(7, 2000, ANCHOR)
    sequences: dict[tuple[str, str], list[int]] = {}
    for code, record in records.items():
        match = CODE.match(code)
        assert match, code
        assert stamp(record["NgayNopHoSo"]).strftime("%y%m%d") == match.group(1)
        sequences.setdefault((code[:13], match.group(1)), []).append(int(match.group(2)))
        assert PHONE.match(record["SoDienThoai"])
        assert len(record["ChuHoSo"].split()) >= 3
        assert re.fullmatch(r"056\d{9}", record["SoGiayToChuHoSo"])
        if record["NgayTiepNhan"]:
            received = stamp(record["NgayTiepNhan"])
            days = {"1.004222": 7, "1.001193": 1}.get(record["MaTTHC"])
            if days is not None:
                assert stamp(record["NgayHenTra"]).date() == due_date(received, days)
        steps = [stamp(s["ThoiDiemXuLy"]) for s in record["QuaTrinhXuLy"]]
        assert steps == sorted(steps) and steps[-1] <= ANCHOR.replace(tzinfo=None)
        assert record["QuaTrinhXuLy"][-1]["TrangThai"] == record["TrangThaiHoSo"]
    for numbers in sequences.values():  # per unit and day: 0001, 0002, ...
        assert sorted(numbers) == list(range(1, len(numbers) + 1))


@pytest.fixture(scope="module")
def sim() -> Iterator[str]:
    with running_simulator(SimConfig(seed=5, count=500, anchor=ANCHOR)) as url:
        yield url


@pytest.fixture
def api(sim: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sim) as http:
        http.post("/_sim/reset").raise_for_status()
        yield http


def test_get_list_and_not_found(api: httpx.Client) -> None:
    assert api.get("/health").json()["status"] == "ok"
    page = api.get("/api/dossiers", params={"status": "waiting", "limit": 3}).json()
    assert page["items"] and all(r["TrangThaiHoSo"] == "waiting" for r in page["items"])
    code = page["items"][0]["MaHoSo"]
    assert api.get(f"/api/dossiers/{code}").json()["MaHoSo"] == code
    missing = api.get("/api/dossiers/000.00.06.H56-231027-9999")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert api.get("/api/dossiers", params={"status": "late"}).status_code == 422
    assert api.get("/api/dossiers", params={"limit": 10, "offset": 495}).json()["total"] == 500


def test_transitions_are_validated_and_fed_in_order(api: httpx.Client) -> None:
    record = api.get("/api/dossiers", params={"status": "receiving", "limit": 1}).json()["items"][0]
    code = record["MaHoSo"]
    since = api.get("/api/changes").json()["next_cursor"]
    for status in ("new", "processing", "paying", "processing", "releasing", "done"):
        answer = api.post(f"/api/dossiers/{code}/transition", json={"status": status})
        assert answer.status_code == 200 and answer.json()["TrangThaiHoSo"] == status
    done = api.get(f"/api/dossiers/{code}").json()
    assert done["NgayTiepNhan"] and done["NgayHenTra"] and done["NgayTra"]
    assert all(fee["DaThanhToan"] for fee in done["DanhSachLePhi"])
    again = api.post(f"/api/dossiers/{code}/transition", json={"status": "processing"})
    assert again.status_code == 409
    unknown = api.post(f"/api/dossiers/{code}/transition", json={"status": "late"})
    assert unknown.status_code == 422
    feed = api.get("/api/changes", params={"since": since, "limit": 4}).json()
    cursors = [c["cursor"] for c in feed["changes"]]
    assert cursors == sorted(set(cursors)) and feed["next_cursor"] == cursors[-1]
    assert [c["TrangThaiMoi"] for c in feed["changes"]] == [
        "new",
        "processing",
        "paying",
        "processing",
    ]
    rest = api.get("/api/changes", params={"since": feed["next_cursor"]}).json()
    assert [c["TrangThaiMoi"] for c in rest["changes"]] == ["releasing", "done"]
    # Each change carries whom to tell and the due date, as the change left the dossier.
    last = rest["changes"][-1]
    assert last["SoDienThoai"] == done["SoDienThoai"] and last["TenTTHC"] == done["TenTTHC"]
    assert last["NgayHenTra"] == done["NgayHenTra"]
    assert feed["changes"][0]["NgayHenTra"] is not None  # set on acceptance ("new")
    api.post("/_sim/reset").raise_for_status()
    assert api.get(f"/api/dossiers/{code}").json()["TrangThaiHoSo"] == "receiving"
    after = api.get("/api/changes", params={"since": 0}).json()
    assert after["changes"] == [] and after["next_cursor"] == 0


def test_faults_by_admin_call(api: httpx.Client) -> None:
    assert api.get("/_sim/faults").json()["error_rate"] == 0
    bad = api.post("/_sim/faults", json={"error_rate": 0.7, "hang_rate": 0.5})
    assert bad.status_code == 422
    api.post("/_sim/faults", json={"error_rate": 1.0}).raise_for_status()
    assert api.get("/api/dossiers").status_code == 500
    assert api.get("/health").status_code == 200  # faults never touch /health or /_sim
    api.post("/_sim/faults", json={"malformed_rate": 1.0}).raise_for_status()
    broken = api.get("/api/dossiers", params={"limit": 1})
    assert broken.status_code == 200
    with pytest.raises(ValueError):
        broken.json()
    api.post("/_sim/faults", json={"latency_ms": 200}).raise_for_status()
    started = time.monotonic()
    api.get("/api/dossiers", params={"limit": 1}).raise_for_status()
    assert time.monotonic() - started >= 0.2
    api.post("/_sim/faults", json={"hang_rate": 1.0, "hang_ms": 5000}).raise_for_status()
    with pytest.raises(httpx.ReadTimeout):
        api.get("/api/dossiers", params={"limit": 1}, timeout=0.3)
    stats = api.get("/_sim/stats").json()["requests"]
    assert stats["error"] == 1 and stats["malformed"] == 1 and stats["hang"] == 1


def test_fault_draws_are_reproducible(api: httpx.Client) -> None:
    def outcomes() -> list[int]:
        api.post("/_sim/faults", json={"error_rate": 0.5, "seed": 9}).raise_for_status()
        return [api.get("/api/dossiers", params={"limit": 1}).status_code for _ in range(20)]

    first = outcomes()
    assert first == outcomes() and 500 in first and 200 in first


def test_configuration_from_environment_and_command_line() -> None:
    env = {"ONESTOP_SIM_PORT": "8111", "ONESTOP_SIM_ERROR_RATE": "0.2", "ONESTOP_SIM_SEED": "3"}
    config = parse_config([], env)
    assert (config.port, config.seed, config.faults.error_rate) == (8111, 3, 0.2)
    config = parse_config(["--port", "8122", "--hang-rate", "0.1", "--anchor", "2026-03-16"], env)
    assert config.port == 8122 and config.faults.hang_rate == 0.1
    assert config.anchor == ANCHOR
    assert parse_config([], {}).port == 8100
    with pytest.raises(ValueError):
        parse_config(["--error-rate", "0.9", "--hang-rate", "0.9"], {})


def test_runs_as_a_module_on_the_given_port() -> None:
    env = {"ONESTOP_SIM_SEED": "4"}
    with running_module("simulators.onestop", "--count", "200", env=env) as url:
        assert httpx.get(f"{url}/health").json()["dossiers"] == 200
