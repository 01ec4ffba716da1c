"""The FAQ API: shape, validation in Vietnamese, roles, and the bot-side view it feeds."""

from __future__ import annotations

from datetime import date

import httpx
import pytest
from fastapi import FastAPI

from catalog.national.models import NationalProcedure
from console.roles import Role
from faq.matcher import fingerprint, published_records
from testing.console import logged_in

CODE = "1.001193"


def add_procedure(app: FastAPI, code: str = CODE) -> None:
    """A national procedure record, so that entries may link to `code`."""
    with app.state.sessions.begin() as session:
        session.add(
            NationalProcedure(
                code=code,
                name="Đăng ký khai sinh",
                detailed=False,
                fields={},
                record={},
                source="test",
                fetched_on=date(2026, 7, 18),
            )
        )


def entry_body(**fields: object) -> dict[str, object]:
    return {
        "questions": ["Làm căn cước ở đâu?", "đổi CCCD nộp ở đâu"],
        "answer": "Nộp tại Công an phường nơi thường trú.",
        **fields,
    }


async def test_an_editor_creates_edits_publishes_unpublishes_and_deletes(
    console_app: FastAPI, console: httpx.AsyncClient
) -> None:
    add_procedure(console_app)
    csrf = {"X-CSRF-Token": await logged_in(console, Role.EDITOR)}
    created = await console.post(
        "/admin/api/faq", json=entry_body(procedure_code=CODE), headers=csrf
    )
    assert created.status_code == 201, created.text
    entry = created.json()
    assert {k: entry[k] for k in ("questions", "procedure_code", "state")} == {
        "questions": ["Làm căn cước ở đâu?", "đổi CCCD nộp ở đâu"],
        "procedure_code": CODE,
        "state": "draft",
    }
    url = f"/admin/api/faq/{entry['id']}"
    with console_app.state.sessions() as session:
        assert published_records(session) == []
        before = fingerprint(session)

    published = await console.post(f"{url}/publish", headers=csrf)
    assert published.json()["state"] == "published"
    with console_app.state.sessions() as session:
        assert [r.answer for r in published_records(session)] == [entry["answer"]]
        assert fingerprint(session) != before

    patched = await console.patch(url, json={"answer": "Nộp ở Công an phường."}, headers=csrf)
    assert patched.json()["answer"] == "Nộp ở Công an phường."
    assert patched.json()["state"] == "published"
    assert patched.json()["questions"] == entry["questions"]
    listed = (await console.get("/admin/api/faq", params={"q": "can cuoc"})).json()["entries"]
    assert [item["id"] for item in listed] == [entry["id"]]
    assert (await console.post(f"{url}/unpublish", headers=csrf)).json()["state"] == "draft"
    assert (await console.delete(url, headers=csrf)).status_code == 200
    assert (await console.get(url)).status_code == 404
    assert (await console.delete(url, headers=csrf)).status_code == 404


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"questions": []}, "Cần ít nhất một câu hỏi"),
        ({"questions": ["   ", ""]}, "Cần ít nhất một câu hỏi"),
        ({"questions": ["x" * 301]}, "Câu hỏi số 1 dài quá 300 ký tự"),
        ({"questions": [f"câu {n}" for n in range(31)]}, "Nhiều nhất 30 cách hỏi"),
        ({"answer": "  ", "state": "published"}, "Câu trả lời không được để trống"),
        ({"answer": "a" * 3001}, "Câu trả lời dài quá 3000 ký tự"),
        ({"procedure_code": "9.999999"}, "Không có thủ tục nào mã 9.999999"),
    ],
)
async def test_bad_entries_are_refused_with_a_clear_vietnamese_reason(
    console: httpx.AsyncClient, fields: dict[str, object], problem: str
) -> None:
    csrf = {"X-CSRF-Token": await logged_in(console, Role.EDITOR)}

    response = await console.post("/admin/api/faq", json=entry_body(**fields), headers=csrf)

    assert response.status_code == 400
    assert response.json()["detail"].startswith("Không lưu được: ")
    assert problem in response.json()["detail"]
    assert (await console.get("/admin/api/faq")).json()["entries"] == []


async def test_a_draft_may_wait_for_its_answer_but_is_not_published_without_one(
    console: httpx.AsyncClient,
) -> None:
    csrf = {"X-CSRF-Token": await logged_in(console, Role.EDITOR)}
    draft = await console.post("/admin/api/faq", json=entry_body(answer=""), headers=csrf)
    assert draft.status_code == 201

    response = await console.post(f"/admin/api/faq/{draft.json()['id']}/publish", headers=csrf)

    assert response.status_code == 400
    assert "trước khi đăng" in response.json()["detail"]


async def test_a_viewer_reads_but_cannot_change_anything(
    console_app: FastAPI, console: httpx.AsyncClient
) -> None:
    from console_helpers import client_of

    async with client_of(console_app) as editor:
        made = await editor.post(
            "/admin/api/faq",
            json=entry_body(),
            headers={"X-CSRF-Token": await logged_in(editor, Role.EDITOR)},
        )
    url = f"/admin/api/faq/{made.json()['id']}"
    csrf = {"X-CSRF-Token": await logged_in(console, Role.VIEWER)}

    assert (await console.get(url)).status_code == 200
    attempts = [
        console.post("/admin/api/faq", json=entry_body(), headers=csrf),
        console.patch(url, json={"answer": "Bị sửa"}, headers=csrf),
        console.post(f"{url}/publish", headers=csrf),
        console.post(f"{url}/unpublish", headers=csrf),
        console.delete(url, headers=csrf),
        console.post(
            f"/admin/faq/{made.json()['id']}/delete", data={"csrf_token": csrf["X-CSRF-Token"]}
        ),
    ]
    for attempt in attempts:
        response = await attempt
        assert response.status_code == 403
        assert response.json()["detail"] == "Tài khoản của bạn không có quyền làm việc này."
    assert (await console.get(url)).json()["answer"] == entry_body()["answer"]


@pytest.mark.parametrize("entry_id", ["0", "-1", "abc", str(2**40)])
async def test_odd_ids_are_refused_not_crashed_on(
    console: httpx.AsyncClient, entry_id: str
) -> None:
    await logged_in(console, Role.VIEWER)

    assert (await console.get(f"/admin/api/faq/{entry_id}")).status_code == 422
