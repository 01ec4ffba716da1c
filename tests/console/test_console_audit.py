"""Audit and undo: every FAQ change logged (who, when, before, after), each undoable once."""

from __future__ import annotations

import httpx
from console_helpers import client_of
from fastapi import FastAPI

from console.roles import Role
from testing.console import logged_in

BODY = {"questions": ["Lệ phí làm hộ chiếu?"], "answer": "200.000 đồng."}


async def _log(client: httpx.AsyncClient, **params: object) -> list[dict]:
    response = await client.get("/admin/api/audit", params=params)
    assert response.status_code == 200, response.text
    entries: list[dict] = response.json()["entries"]
    return entries


async def test_each_change_is_logged_newest_first_with_who_before_and_after(
    console: httpx.AsyncClient,
) -> None:
    csrf = {"X-CSRF-Token": await logged_in(console, Role.EDITOR, "chi.lan")}
    entry = (await console.post("/admin/api/faq", json=BODY, headers=csrf)).json()
    url = f"/admin/api/faq/{entry['id']}"
    await console.patch(url, json={"answer": "Từ 2026: 200.000 đồng."}, headers=csrf)
    await console.post(f"{url}/publish", headers=csrf)

    log = await _log(console)

    assert [(e["action"], e["actor"], e["entity"]) for e in log] == [
        ("publish", "chi.lan", "faq"),
        ("update", "chi.lan", "faq"),
        ("create", "chi.lan", "faq"),
    ]
    assert log[2]["before"] is None and log[2]["after"]["answer"] == "200.000 đồng."
    assert log[1]["before"]["answer"] == "200.000 đồng."
    assert log[1]["after"]["answer"] == "Từ 2026: 200.000 đồng."
    assert (log[0]["before"]["state"], log[0]["after"]["state"]) == ("draft", "published")
    assert all(e["entity_id"] == str(entry["id"]) and e["reverted_by"] is None for e in log)


async def test_undo_restores_before_is_itself_logged_and_can_be_undone(
    console: httpx.AsyncClient,
) -> None:
    csrf = {"X-CSRF-Token": await logged_in(console, Role.EDITOR)}
    entry = (await console.post("/admin/api/faq", json=BODY, headers=csrf)).json()
    url = f"/admin/api/faq/{entry['id']}"
    await console.patch(url, json={"answer": "Sai: 2 triệu đồng."}, headers=csrf)
    edit = (await _log(console))[0]

    undo = await console.post(f"/admin/api/audit/{edit['id']}/revert", headers=csrf)

    assert undo.status_code == 200, undo.text
    assert undo.json()["action"] == "revert"
    assert undo.json()["after"]["answer"] == "200.000 đồng."
    assert (await console.get(url)).json()["answer"] == "200.000 đồng."
    log = await _log(console)
    assert log[0]["id"] == undo.json()["id"] and log[1]["reverted_by"] == undo.json()["id"]
    again = await console.post(f"/admin/api/audit/{edit['id']}/revert", headers=csrf)
    assert again.status_code == 409 and "đã được hoàn tác" in again.json()["detail"]
    # Undoing the undo puts the edit back.
    redo = await console.post(f"/admin/api/audit/{undo.json()['id']}/revert", headers=csrf)
    assert redo.status_code == 200
    assert (await console.get(url)).json()["answer"] == "Sai: 2 triệu đồng."


async def test_a_delete_is_undone_with_the_same_id_and_state(console: httpx.AsyncClient) -> None:
    csrf = {"X-CSRF-Token": await logged_in(console, Role.EDITOR)}
    entry = (
        await console.post("/admin/api/faq", json={**BODY, "state": "published"}, headers=csrf)
    ).json()
    await console.delete(f"/admin/api/faq/{entry['id']}", headers=csrf)
    deletion = (await _log(console))[0]
    assert deletion["action"] == "delete" and deletion["after"] is None

    assert (
        await console.post(f"/admin/api/audit/{deletion['id']}/revert", headers=csrf)
    ).status_code == 200

    back = (await console.get(f"/admin/api/faq/{entry['id']}")).json()
    assert (back["questions"], back["answer"], back["state"]) == (
        entry["questions"],
        entry["answer"],
        "published",
    )


async def test_an_older_change_is_not_undone_over_a_newer_one(console: httpx.AsyncClient) -> None:
    csrf = {"X-CSRF-Token": await logged_in(console, Role.EDITOR)}
    entry = (await console.post("/admin/api/faq", json=BODY, headers=csrf)).json()
    url = f"/admin/api/faq/{entry['id']}"
    await console.patch(url, json={"answer": "Lần sửa thứ nhất."}, headers=csrf)
    first = (await _log(console))[0]
    await console.patch(url, json={"answer": "Lần sửa thứ hai."}, headers=csrf)

    refused = await console.post(f"/admin/api/audit/{first['id']}/revert", headers=csrf)

    assert refused.status_code == 409
    assert "hoàn tác các thay đổi mới hơn trước" in refused.json()["detail"]
    assert (await console.get(url)).json()["answer"] == "Lần sửa thứ hai."
    assert (await console.post("/admin/api/audit/999999/revert", headers=csrf)).status_code == 404


async def test_a_viewer_reads_the_log_but_cannot_undo(
    console_app: FastAPI, console: httpx.AsyncClient
) -> None:
    async with client_of(console_app) as editor:
        csrf = {"X-CSRF-Token": await logged_in(editor, Role.EDITOR)}
        await editor.post("/admin/api/faq", json=BODY, headers=csrf)
    viewer_csrf = {"X-CSRF-Token": await logged_in(console, Role.VIEWER)}
    [created] = await _log(console)

    refused = await console.post(f"/admin/api/audit/{created['id']}/revert", headers=viewer_csrf)

    assert refused.status_code == 403
    assert (await _log(console))[0]["reverted_by"] is None
    page = await console.get("/admin/audit")
    assert "Lệ phí làm hộ chiếu?" in page.text and "Hoàn tác</button>" not in page.text


async def test_the_log_pages_back_through_older_changes(console: httpx.AsyncClient) -> None:
    csrf = {"X-CSRF-Token": await logged_in(console, Role.EDITOR)}
    for number in range(5):
        body = {"questions": [f"Câu hỏi số {number}?"], "answer": "Trả lời."}
        await console.post("/admin/api/faq", json=body, headers=csrf)

    first = (await console.get("/admin/api/audit", params={"limit": 2})).json()
    second = (
        await console.get("/admin/api/audit", params={"limit": 2, "before": first["next_before"]})
    ).json()
    last = (
        await console.get("/admin/api/audit", params={"limit": 2, "before": second["next_before"]})
    ).json()

    ids = [e["id"] for page in (first, second, last) for e in page["entries"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 5
    assert last["next_before"] is None


async def test_the_log_page_undoes_in_one_click(console: httpx.AsyncClient) -> None:
    csrf = await logged_in(console, Role.EDITOR)
    entry = (await console.post("/admin/api/faq", json=BODY, headers={"X-CSRF-Token": csrf})).json()
    await console.post(f"/admin/api/faq/{entry['id']}/publish", headers={"X-CSRF-Token": csrf})
    page = await console.get("/admin/audit")
    assert page.text.count("Hoàn tác</button>") == 2
    publish_id = (await _log(console))[0]["id"]

    clicked = await console.post(f"/admin/audit/{publish_id}/revert", data={"csrf_token": csrf})

    assert clicked.status_code == 303
    assert (await console.get(f"/admin/api/faq/{entry['id']}")).json()["state"] == "draft"
    after = (await console.get("/admin/audit?done=reverted")).text
    assert "Đã hoàn tác." in after and f"đã hoàn tác (#{publish_id + 1})" in after
