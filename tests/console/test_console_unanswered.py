"""Unanswered questions in the console: groups (viewer), a step per group (editor), each
audited and revertible; anonymous requests and viewers' changes refused."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from catalog.cli import run_import, run_import_national
from catalog.loader import CONTENT_DIR
from catalog.national.export import SNAPSHOT, read_export
from console.audit import revert
from console.models import AuditEntry
from console.roles import Role, Staff
from faq.models import FaqEntry, FaqState
from faq.unanswered import QuestionState, Reason, UnansweredQuestion
from settings import Settings
from testing.console import logged_in
from testing.national_exports import write_portal_folder

API = "/admin/api/unanswered"
HOURS = [
    "giờ làm việc bộ phận một cửa",
    "giờ làm việc bộ phận một cửa",
    "Bộ phận một cửa làm việc mấy giờ? gọi [số điện thoại]",
    "cho em hỏi giờ làm việc bộ phận một cửa ạ",
]
PARKING = ["có chỗ gửi xe máy không", "gửi xe máy ở đâu ạ"]
ADMIN = Staff(id=1, username="quản trị", role=Role.ADMIN)


@pytest.fixture
async def questions(console: httpx.AsyncClient, console_app: FastAPI) -> list[int]:
    """Open unanswered questions of today in the started console's database; their ids."""
    today = date.today()
    rows = [
        UnansweredQuestion(
            text=text, channel="zalo", reason=Reason.FALLBACK, day=today, state=QuestionState.OPEN
        )
        for text in [*HOURS, *PARKING, "<script>alert(1)</script> thủ tục nuôi chim"]
    ]
    with console_app.state.sessions.begin() as session:
        session.add_all(rows)
    return [row.id for row in rows]


@pytest.fixture
async def editor_csrf(console: httpx.AsyncClient) -> str:
    """An editor logged in to the console; the CSRF token of the session."""
    return await logged_in(console, Role.EDITOR)


async def _groups(console: httpx.AsyncClient) -> list[dict[str, Any]]:
    response = await console.get(API)
    assert response.status_code == 200, response.text
    groups: list[dict[str, Any]] = response.json()["groups"]
    return groups


async def _step(console: httpx.AsyncClient, csrf: str, step: str, **body: Any) -> httpx.Response:
    return await console.post(f"{API}/{step}", json=body, headers={"X-CSRF-Token": csrf})


def _states(app: FastAPI) -> dict[int, str]:
    with app.state.sessions() as session:
        rows = session.execute(select(UnansweredQuestion.id, UnansweredQuestion.state))
        return {number: str(state) for number, state in rows}


def _last_audit(app: FastAPI) -> AuditEntry:
    with app.state.sessions() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry is not None
        return entry


@pytest.mark.usefixtures("questions")
async def test_anonymous_is_refused_and_a_viewer_reads_but_cannot_change(
    console: httpx.AsyncClient,
) -> None:
    assert (await console.get(API)).status_code == 401
    page = await console.get("/admin/unanswered", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/admin/login"
    assert (await console.post(f"{API}/dismiss", json={"question_ids": [1]})).status_code == 401

    csrf = await logged_in(console, Role.VIEWER)
    groups = await _groups(console)
    body = {"question_ids": groups[0]["question_ids"]}
    refused = await console.post(f"{API}/dismiss", json=body, headers={"X-CSRF-Token": csrf})
    assert refused.status_code == 403
    page = await console.get("/admin/unanswered")
    assert page.status_code == 200 and "Bỏ qua" not in page.text  # no forms for viewers


async def test_groups_have_counts_examples_and_masked_text(
    console: httpx.AsyncClient, questions: list[int]
) -> None:
    await logged_in(console, Role.VIEWER)

    groups = await _groups(console)

    assert [group["count"] for group in groups] == [4, 2, 1]
    hours = groups[0]
    assert hours["examples"][0] == "giờ làm việc bộ phận một cửa" and len(hours["examples"]) == 3
    assert sorted(hours["question_ids"]) == questions[:4]
    assert hours["channels"] == {"zalo": 4} and hours["reasons"] == {"fallback": 4}
    page = await console.get("/admin/unanswered")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text  # escaped in the page
    assert "<script>alert(1)" not in page.text


async def test_dismiss_then_revert_from_the_audit_log(
    console: httpx.AsyncClient, console_app: FastAPI, questions: list[int], editor_csrf: str
) -> None:
    parking = (await _groups(console))[1]["question_ids"]

    done = await _step(console, editor_csrf, "dismiss", question_ids=parking)
    again = await _step(console, editor_csrf, "dismiss", question_ids=parking)
    no_csrf = await console.post(f"{API}/dismiss", json={"question_ids": questions[:4]})

    assert done.status_code == 200, done.text
    assert again.status_code == 409  # already handled
    assert no_csrf.status_code == 403
    assert [group["count"] for group in await _groups(console)] == [4, 1]
    entry = _last_audit(console_app)
    assert (entry.entity, entry.action) == ("unanswered", "dismissed")
    assert entry.actor_name.startswith("editor-")  # the editor who did it
    assert entry.after == {"question_ids": sorted(parking), "state": "dismissed"}

    with console_app.state.sessions.begin() as session:
        revert(session, entry.id, ADMIN)
    assert [group["count"] for group in await _groups(console)] == [4, 2, 1]


async def test_a_group_becomes_an_faq_draft_with_its_questions(
    console: httpx.AsyncClient, console_app: FastAPI, questions: list[int], editor_csrf: str
) -> None:
    hours = (await _groups(console))[0]["question_ids"]

    made = await _step(console, editor_csrf, "faq", question_ids=hours)

    assert made.status_code == 201, made.text
    with console_app.state.sessions() as session:
        entry = session.get(FaqEntry, made.json()["faq_id"])
        assert entry is not None and entry.state == FaqState.DRAFT and entry.answer == ""
        # The masked example is left out; each question once.
        assert entry.questions == [
            "giờ làm việc bộ phận một cửa",
            "cho em hỏi giờ làm việc bộ phận một cửa ạ",
        ]
    assert {_states(console_app)[number] for number in hours} == {"faq"}
    actions = [(e.entity, e.action) for e in _audit_all(console_app)]
    assert actions[-2:] == [("faq", "create"), ("unanswered", "faq")]


def _audit_all(app: FastAPI) -> list[AuditEntry]:
    with app.state.sessions() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


async def test_a_group_becomes_a_question_variant_of_an_entry(
    console: httpx.AsyncClient, console_app: FastAPI, questions: list[int], editor_csrf: str
) -> None:
    headers = {"X-CSRF-Token": editor_csrf}
    created = await console.post(
        "/admin/api/faq",
        json={"questions": ["Có chỗ để xe không?"], "answer": "Có, miễn phí."},
        headers=headers,
    )
    entry_id = created.json()["id"]
    parking = (await _groups(console))[1]["question_ids"]

    missing = await console.post(
        f"{API}/variant",
        json={"question_ids": parking, "faq_id": 999_999, "question": "gửi xe máy ở đâu"},
        headers=headers,
    )
    assert missing.status_code == 404 and _states(console_app)[parking[0]] == "open"
    added = await console.post(
        f"{API}/variant",
        json={"question_ids": parking, "faq_id": entry_id, "question": "gửi xe máy ở đâu"},
        headers=headers,
    )

    assert added.status_code == 200, added.text
    with console_app.state.sessions() as session:
        entry = session.get(FaqEntry, entry_id)
        assert entry is not None and entry.questions == ["Có chỗ để xe không?", "gửi xe máy ở đâu"]
    assert {_states(console_app)[number] for number in parking} == {"variant"}


@pytest.fixture
def catalog_loaded(console_settings: Settings, tmp_path: Path) -> None:
    folder = write_portal_folder(tmp_path / "export", read_export(SNAPSHOT), ["1.001193"])
    run_import_national(console_settings.database_url, folder)
    run_import(console_settings.database_url, CONTENT_DIR)


@pytest.mark.usefixtures("catalog_loaded")
async def test_a_group_becomes_a_local_alias_of_a_procedure(
    console: httpx.AsyncClient, console_app: FastAPI, questions: list[int], editor_csrf: str
) -> None:
    headers = {"X-CSRF-Token": editor_csrf}
    last = [questions[-1]]

    unknown = await console.post(
        f"{API}/alias",
        json={"question_ids": last, "procedure_code": "9.999999", "alias": "nuôi chim"},
        headers=headers,
    )
    assert unknown.status_code == 404 and _states(console_app)[last[0]] == "open"
    added = await console.post(
        f"{API}/alias",
        json={"question_ids": last, "procedure_code": "1.001193", "alias": "giấy khai sinh cho bé"},
        headers=headers,
    )

    assert added.status_code == 200, added.text
    actions = [(e.entity, e.action) for e in _audit_all(console_app)]
    assert actions[-2:] == [("catalog_local", "add_alias"), ("unanswered", "alias")]
    assert _states(console_app)[last[0]] == "alias"


async def test_the_page_form_dismisses_a_group(
    console: httpx.AsyncClient, console_app: FastAPI, questions: list[int], editor_csrf: str
) -> None:
    ids = ",".join(str(number) for number in questions[4:6])
    form = {"csrf_token": editor_csrf, "question_ids": ids}

    done = await console.post("/admin/unanswered/dismiss", data=form, follow_redirects=False)
    bad = await console.post(
        "/admin/unanswered/dismiss", data={**form, "question_ids": "1,x"}, follow_redirects=False
    )

    assert done.status_code == 303, done.text
    assert {_states(console_app)[number] for number in questions[4:6]} == {"dismissed"}
    assert bad.status_code == 400
    page = await console.get(done.headers["location"])
    assert "Đã bỏ qua nhóm câu hỏi" in page.text
