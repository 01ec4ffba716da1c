"""Import review in the console: a modified export staged, one change held, the rest published."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from catalog.national.export import SNAPSHOT, NationalExport, read_export
from catalog.national.models import NationalProcedure
from console.models import AuditEntry
from console.roles import Role
from settings import Settings
from testing.console import logged_in
from testing.national_exports import NEW_MARRIAGE_NAME as NEW_NAME
from testing.national_exports import stage_modified_export

API = "/admin/api/catalog"


@pytest.fixture(scope="module")
def snapshot() -> NationalExport:
    return read_export(SNAPSHOT)


@pytest.fixture
def staged(console_settings: Settings, tmp_path: Path, snapshot: NationalExport) -> int:
    """The console's database with three records stored and a modified export staged."""
    return stage_modified_export(console_settings.database_url, tmp_path, snapshot)


def _stored(app: FastAPI, code: str) -> NationalProcedure | None:
    with app.state.sessions() as session:
        return session.get(NationalProcedure, code)


async def test_review_hold_one_change_publish_the_rest_then_release(
    console_app: FastAPI, console: httpx.AsyncClient, staged: int
) -> None:
    headers = {"X-CSRF-Token": await logged_in(console, Role.EDITOR)}
    runs = (await console.get(f"{API}/imports")).json()["items"]
    assert (runs[0]["id"], runs[0]["status"]) == (staged, "review")
    detail = (await console.get(f"{API}/imports/{staged}")).json()
    by_key = {(c["code"], c["field"]): c for c in detail["changes"]}
    assert set(by_key) == {("1.004222", "methods"), ("1.000894", "name"), ("1.000010", None)}
    name = by_key[("1.000894", "name")]
    assert (name["current"], name["staged"], name["state"]) == (
        "Thủ tục đăng ký kết hôn",
        NEW_NAME,
        "pending",
    )
    held = await console.post(f"{API}/changes/{name['id']}/hold", headers=headers)
    assert held.json() == {"id": name["id"], "state": "held"}
    published = await console.post(f"{API}/imports/{staged}/publish", headers=headers)
    assert published.json() == {"published": 2, "held": 1}
    again = await console.post(f"{API}/imports/{staged}/publish", headers=headers)
    assert again.status_code == 409 and "không còn chờ duyệt" in again.json()["detail"]
    marriage, residence = _stored(console_app, "1.000894"), _stored(console_app, "1.004222")
    assert marriage is not None and marriage.name == "Thủ tục đăng ký kết hôn"
    assert residence is not None and residence.fields["methods"][0]["fees"][0]["value"] == 0
    assert _stored(console_app, "1.000010") is not None
    released = await console.post(f"{API}/changes/{name['id']}/release", headers=headers)
    assert released.json() == {"id": name["id"], "state": "released"}
    marriage = _stored(console_app, "1.000894")
    assert marriage is not None and marriage.name == NEW_NAME
    with console_app.state.sessions() as session:
        query = select(AuditEntry.action).where(AuditEntry.entity == "catalog_import")
        assert list(session.scalars(query.order_by(AuditEntry.id))) == [
            "hold",
            "publish",
            "release",
        ]
    missing = await console.post(f"{API}/imports/{staged + 50}/publish", headers=headers)
    assert missing.status_code == 404


async def test_the_review_page_holds_and_publishes_with_plain_forms(
    console_app: FastAPI, console: httpx.AsyncClient, staged: int
) -> None:
    csrf = await logged_in(console, Role.EDITOR)
    page = await console.get(f"/admin/catalog/imports/{staged}")
    assert page.status_code == 200 and "chờ duyệt" in page.text and NEW_NAME in page.text
    detail = (await console.get(f"{API}/imports/{staged}")).json()
    [name] = [c for c in detail["changes"] if c["field"] == "name"]
    hold_url = f"/admin/catalog/imports/{staged}/changes/{name['id']}/hold"
    assert f'action="{hold_url}"' in page.text
    held = await console.post(hold_url, data={"csrf_token": csrf})
    assert held.status_code == 303
    page = await console.get(held.headers["location"])
    assert "Đã giữ lại thay đổi." in page.text and "đang giữ lại" in page.text
    publish = await console.post(
        f"/admin/catalog/imports/{staged}/publish", data={"csrf_token": csrf}
    )
    assert publish.status_code == 303
    marriage = _stored(console_app, "1.000894")
    assert marriage is not None and marriage.name == "Thủ tục đăng ký kết hôn"
    stale = await console.post(
        f"/admin/catalog/imports/{staged}/publish", data={"csrf_token": csrf}
    )
    assert stale.status_code == 409 and "không còn chờ duyệt" in stale.text
    listing = await console.get("/admin/catalog/imports")
    assert "đã công bố" in listing.text


@pytest.mark.parametrize(
    "path", [f"{API}/imports/{2**64}", f"{API}/imports/0", f"/admin/catalog/imports/{2**64}"]
)
async def test_an_import_id_out_of_range_is_refused_not_a_server_error(
    console: httpx.AsyncClient, path: str
) -> None:
    await logged_in(console, Role.VIEWER)
    assert (await console.get(path)).status_code == 422
