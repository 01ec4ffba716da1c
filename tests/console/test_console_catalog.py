"""The catalog in the console: local-layer edits (checked, audited, revertible), roles, export."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from catalog.cli import run_export, run_import, run_import_national
from catalog.loader import CONTENT_DIR
from catalog.national.export import SNAPSHOT, read_export
from console.audit import RevertError, revert
from console.models import AuditEntry
from console.roles import Role, Staff
from settings import Settings
from testing.console import logged_in
from testing.national_exports import write_portal_folder

API = "/admin/api/catalog"
HOURS = "Thứ Hai–thứ Sáu: 7h30–11h30, 13h30–17h00"
CODES = ["1.004222", "1.000894", "1.001193"]


@pytest.fixture
def catalog_loaded(console_settings: Settings, tmp_path: Path) -> str:
    """The console's database with three national records and the province's layer."""
    url = console_settings.database_url
    folder = write_portal_folder(tmp_path / "export", read_export(SNAPSHOT), CODES)
    run_import_national(url, folder)
    run_import(url, CONTENT_DIR)
    return url


def _audit(app: FastAPI) -> list[AuditEntry]:
    with app.state.sessions() as session:
        query = select(AuditEntry).where(AuditEntry.entity == "catalog_local")
        return list(session.scalars(query.order_by(AuditEntry.id)))


def _revert(app: FastAPI, entry_id: int) -> None:
    with app.state.sessions.begin() as session:
        revert(session, entry_id, Staff(id=1, username="quản trị", role=Role.ADMIN))


@pytest.mark.usefixtures("catalog_loaded")
async def test_anonymous_and_viewers_cannot_edit(console: httpx.AsyncClient) -> None:
    change = {"office_hours": HOURS}
    assert (await console.patch(f"{API}/procedures/1.004222", json=change)).status_code == 401
    assert (await console.get(f"{API}/procedures")).status_code == 401
    csrf = await logged_in(console, Role.VIEWER)
    headers = {"X-CSRF-Token": csrf}
    listed = await console.get(f"{API}/procedures", params={"q": "thuong tru", "local": True})
    assert listed.status_code == 200 and "1.004222" in [p["code"] for p in listed.json()["items"]]
    for method, path, body in (
        ("PATCH", "/procedures/1.004222", change),
        ("POST", "/procedures/1.004222/aliases", {"alias": "hộ khẩu mới"}),
        ("DELETE", "/procedures/1.004222", None),
        ("POST", "/imports/1/publish", None),
        ("POST", "/changes/1/hold", None),
    ):
        response = await console.request(method, API + path, json=body, headers=headers)
        assert response.status_code == 403, (method, path)
    form = await console.post(
        "/admin/catalog/procedures/1.004222", data={"csrf_token": csrf, "office_hours": HOURS}
    )
    assert form.status_code == 403
    page = await console.get("/admin/catalog/procedures/1.004222")
    assert page.status_code == 200 and "readonly" in page.text and "Lưu</button>" not in page.text


@pytest.mark.usefixtures("catalog_loaded")
async def test_an_editor_without_the_csrf_token_is_refused(console: httpx.AsyncClient) -> None:
    await logged_in(console, Role.EDITOR)
    response = await console.patch(f"{API}/procedures/1.004222", json={"office_hours": HOURS})
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


@pytest.mark.usefixtures("catalog_loaded")
async def test_bad_hours_and_fees_are_refused_with_a_message_per_field(
    console: httpx.AsyncClient,
) -> None:
    headers = {"X-CSRF-Token": await logged_in(console, Role.EDITOR)}
    bad = {
        "office_hours": "13h30–11h30",
        "fees": [{"description": "Lệ phí", "amount_vnd": -1}, {"description": "", "amount_vnd": 5}],
    }
    response = await console.patch(f"{API}/procedures/1.004222", json=bad, headers=headers)
    assert response.status_code == 422
    problems = {item["field"]: item["problem"] for item in response.json()["errors"]}
    assert problems == {
        "office_hours": "Giờ làm việc: «13h30–11h30» có giờ kết thúc trước giờ bắt đầu",
        "fees.0.amount_vnd": "Lệ phí thứ 1, số tiền (đồng): phải từ 0 trở lên",
        "fees.1.description": "Lệ phí thứ 2, mô tả: không được để trống",
    }
    unknown = await console.patch(f"{API}/procedures/9.999999", json=bad, headers=headers)
    assert unknown.status_code == 404 and "9.999999" in unknown.json()["detail"]
    assert (await console.get(f"{API}/procedures/1.004222")).json()["local"]["office_hours"] is None


async def test_an_edit_is_audited_and_reverted_and_a_stale_revert_refused(
    console_app: FastAPI, console: httpx.AsyncClient, catalog_loaded: str
) -> None:
    headers = {"X-CSRF-Token": await logged_in(console, Role.EDITOR)}
    before = (await console.get(f"{API}/procedures/1.004222")).json()["local"]
    saved = await console.patch(
        f"{API}/procedures/1.004222", json={"office_hours": HOURS}, headers=headers
    )
    assert saved.status_code == 200 and saved.json()["local"]["office_hours"] == HOURS
    added = await console.post(
        f"{API}/procedures/1.004222/aliases",
        json={"alias": "nhập khẩu theo chồng"},
        headers=headers,
    )
    assert added.status_code == 201 and "nhập khẩu theo chồng" in added.json()["aliases"]
    edit, alias = _audit(console_app)
    assert (edit.action, edit.entity_id, edit.before, edit.actor_name) == (
        "edit",
        "1.004222",
        before,
        edit.actor_name,
    )
    assert edit.actor_name.startswith("editor-") and alias.action == "add_alias"
    with pytest.raises(RevertError, match="đã được sửa sau"):
        _revert(console_app, edit.id)  # the alias came after: revert that first
    _revert(console_app, alias.id)
    _revert(console_app, edit.id)
    assert (await console.get(f"{API}/procedures/1.004222")).json()["local"] == before
    assert [entry.action for entry in _audit(console_app)][-2:] == ["revert", "revert"]


async def test_an_edit_through_the_api_round_trips_through_the_yaml_export(
    console: httpx.AsyncClient, catalog_loaded: str, tmp_path: Path
) -> None:
    headers = {"X-CSRF-Token": await logged_in(console, Role.EDITOR)}
    fees = [{"description": "Lệ phí (tỉnh)", "amount_vnd": 15000, "condition": "nộp trực tiếp"}]
    change = {"office_hours": HOURS, "fees": fees, "note": "Mang theo CCCD."}
    assert (
        await console.patch(f"{API}/procedures/1.004222", json=change, headers=headers)
    ).status_code == 200
    edited = (await console.get(f"{API}/procedures/1.004222")).json()["local"]
    run_export(catalog_loaded, tmp_path / "yaml")
    report = run_import(catalog_loaded, tmp_path / "yaml")
    assert report.created == [] and report.updated == []
    assert (await console.get(f"{API}/procedures/1.004222")).json()["local"] == edited


@pytest.mark.usefixtures("catalog_loaded")
async def test_the_procedure_form_saves_and_shows_refusals_next_to_the_field(
    console: httpx.AsyncClient,
) -> None:
    csrf = await logged_in(console, Role.EDITOR)
    page = await console.get("/admin/catalog/procedures/1.004222")
    assert page.status_code == 200 and 'name="office_hours"' in page.text
    form = {"csrf_token": csrf, "office_hours": "7h30-25h", "fees": "Lệ phí | hai mươi nghìn"}
    refused = await console.post("/admin/catalog/procedures/1.004222", data=form)
    assert refused.status_code == 422
    assert "«25h» không phải giờ trong ngày" in refused.text
    assert "Lệ phí thứ 1, số tiền (đồng): phải là số nguyên" in refused.text
    form = {"csrf_token": csrf, "office_hours": HOURS, "fees": "Lệ phí của tỉnh | 15.000 đ"}
    saved = await console.post("/admin/catalog/procedures/1.004222", data=form)
    assert saved.status_code == 303
    local = (await console.get(f"{API}/procedures/1.004222")).json()["local"]
    assert local["office_hours"] == HOURS
    assert local["fees"] == [
        {"description": "Lệ phí của tỉnh", "amount_vnd": 15000, "condition": None}
    ]
    listing = await console.get("/admin/catalog", params={"q": "thuong tru"})
    assert listing.status_code == 200 and "1.004222" in listing.text
