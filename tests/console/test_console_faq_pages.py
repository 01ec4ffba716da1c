"""The FAQ pages: forms, confirmation, preview; hostile text escaped; SQL text harmless."""

from __future__ import annotations

import re

import httpx
from console_helpers import client_of
from fastapi import FastAPI
from sqlalchemy import inspect

from console.roles import Role
from testing.console import logged_in

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
SQL = "'; DROP TABLE faq_entry; -- \" OR 1=1 --"


async def _entry_id(response: httpx.Response) -> int:
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/admin/faq/(\d+)\?done=created", response.headers["location"])
    assert match, response.headers["location"]
    return int(match.group(1))


async def test_a_clerk_creates_previews_publishes_and_deletes_with_forms(
    console: httpx.AsyncClient,
) -> None:
    csrf = await logged_in(console, Role.EDITOR)
    form = {
        "csrf_token": csrf,
        "questions": "Làm căn cước ở đâu?\n\n  đổi CCCD nộp ở đâu  \n",
        "answer": "Nộp tại Công an phường nơi thường trú.",
    }
    entry_id = await _entry_id(await console.post("/admin/faq/new", data=form))
    page = await console.get(f"/admin/faq/{entry_id}", params={"ask": "lam can cuoc o dau"})
    assert "Bản nháp" in page.text and "Trợ lý sẽ trả lời bằng mục số" in page.text
    assert (await console.get("/admin/faq", params={"ask": "lam can cuoc o dau"})).text.count(
        "Không mục câu hỏi thường gặp nào khớp"
    ) == 1  # a draft does not answer yet

    published = await console.post(f"/admin/faq/{entry_id}/publish", data={"csrf_token": csrf})
    assert published.headers["location"] == f"/admin/faq/{entry_id}?done=published"
    listing = await console.get("/admin/faq", params={"ask": "lam can cuoc o dau"})
    assert "Nộp tại Công an phường nơi thường trú." in listing.text
    assert "Đã đăng" in listing.text

    confirm = await console.get(f"/admin/faq/{entry_id}/delete")
    assert "Xoá mục câu hỏi số" in confirm.text
    deleted = await console.post(f"/admin/faq/{entry_id}/delete", data={"csrf_token": csrf})
    assert deleted.headers["location"] == "/admin/faq?done=deleted"
    assert (await console.get(f"/admin/faq/{entry_id}")).status_code == 404


async def test_a_bad_form_comes_back_with_what_was_typed_and_why(
    console: httpx.AsyncClient,
) -> None:
    csrf = await logged_in(console, Role.EDITOR)
    form = {"csrf_token": csrf, "questions": "  \n ", "answer": "Câu trả lời đã gõ"}

    response = await console.post("/admin/faq/new", data=form)

    assert response.status_code == 400
    assert "Cần ít nhất một câu hỏi" in response.text
    assert "Câu trả lời đã gõ" in response.text


async def test_html_and_script_in_faq_text_come_out_escaped(console: httpx.AsyncClient) -> None:
    csrf = await logged_in(console, Role.EDITOR)
    body = {"questions": [f"Hỏi {SCRIPT}"], "answer": f"Đáp {SCRIPT}", "state": "published"}
    entry = (await console.post("/admin/api/faq", json=body, headers={"X-CSRF-Token": csrf})).json()

    pages = [
        await console.get("/admin/faq"),
        await console.get("/admin/faq", params={"ask": f"Hỏi {SCRIPT}"}),
        await console.get(f"/admin/faq/{entry['id']}", params={"ask": SCRIPT}),
        await console.get(f"/admin/faq/{entry['id']}/delete"),
        await console.get("/admin/audit"),
    ]
    for page in pages:
        assert page.status_code == 200
        assert "<script>" not in page.text and "<img" not in page.text
        assert "&lt;script&gt;" in page.text
        assert "script-src 'self'" in page.headers["content-security-policy"]


async def test_sql_in_every_field_is_stored_as_text(
    console_app: FastAPI, console: httpx.AsyncClient
) -> None:
    csrf = {"X-CSRF-Token": await logged_in(console, Role.EDITOR)}
    body = {"questions": [SQL], "answer": SQL}
    entry = (await console.post("/admin/api/faq", json=body, headers=csrf)).json()
    refused = await console.post(
        "/admin/api/faq", json={**body, "procedure_code": SQL}, headers=csrf
    )
    assert refused.status_code == 400

    found = await console.get("/admin/api/faq", params={"q": SQL, "state": "draft"})
    patched = await console.patch(
        f"/admin/api/faq/{entry['id']}", json={"answer": SQL + "!"}, headers=csrf
    )
    login = await console.post("/admin/api/session", json={"username": SQL, "password": SQL})

    assert [item["questions"] for item in found.json()["entries"]] == [[SQL]]
    assert patched.json()["answer"] == SQL + "!"
    assert login.status_code == 401
    assert (await console.get("/admin/faq", params={"q": SQL, "ask": SQL})).status_code == 200
    with console_app.state.sessions() as session:
        assert {"faq_entry", "staff_account"} <= set(inspect(session.bind).get_table_names())


async def test_a_viewer_sees_entries_read_only(
    console_app: FastAPI, console: httpx.AsyncClient
) -> None:
    async with client_of(console_app) as editor:
        csrf = {"X-CSRF-Token": await logged_in(editor, Role.EDITOR)}
        body = {"questions": ["Hỏi gì?"], "answer": "Đáp vậy."}
        entry = (await editor.post("/admin/api/faq", json=body, headers=csrf)).json()
    await logged_in(console, Role.VIEWER)

    assert (await console.get("/admin/faq/new")).status_code == 403
    assert "Thêm mục mới" not in (await console.get("/admin/faq")).text
    page = await console.get(f"/admin/faq/{entry['id']}")
    assert page.text.count("readonly") == 3
    assert ">Lưu<" not in page.text and ">Đăng<" not in page.text
