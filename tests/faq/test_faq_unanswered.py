"""faq.unanswered and faq.grouping: masked notes written off the turn, grouped for clerks."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count

import pytest
from sqlalchemy import Engine, delete, select

from db import make_session_factory
from faq.grouping import group_questions, open_groups
from faq.masking import PHONE
from faq.unanswered import (
    QuestionState,
    Reason,
    UnansweredLog,
    UnansweredQuestion,
    channel_of,
)

_ids = count(1)


@pytest.mark.parametrize(
    ("sender", "channel"),
    [
        ("telegram:12345", "telegram"),
        ("zalo:8877", "zalo"),
        ("sms:+84912345678", "sms"),
        ("web-0123abcd", "webchat"),
        ("bench-1", "webchat"),
        ("telegramx:1", "webchat"),
    ],
)
def test_the_channel_comes_from_the_sender_prefix(sender: str, channel: str) -> None:
    assert channel_of(sender) == channel


def test_notes_are_written_masked_without_the_sender(engine: Engine) -> None:
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        session.execute(delete(UnansweredQuestion))
    notes = UnansweredLog(sessions)

    notes.note(text="giờ làm việc? gọi 0912345678", sender_id="zalo:8877", reason=Reason.FALLBACK)
    notes.note(text="/ask_fee{}", sender_id="zalo:8877", reason=Reason.FALLBACK)  # a button
    notes.note(text="  ", sender_id="sms:+84912345678", reason=Reason.LOW_CONFIDENCE)
    for n in range(300):  # more than one batch
        notes.note(text=f"câu {n}", sender_id="web-1", reason=Reason.UNKNOWN_PROCEDURE)
    assert notes.flush(10.0)

    with sessions() as session:
        rows = session.scalars(select(UnansweredQuestion).order_by(UnansweredQuestion.id)).all()
    assert len(rows) == 301
    first = rows[0]
    assert first.text == f"giờ làm việc? gọi {PHONE}"
    assert (first.channel, first.reason, first.state) == (
        "zalo",
        Reason.FALLBACK,
        QuestionState.OPEN,
    )
    assert abs(first.day - date.today()) <= timedelta(days=1)  # the office's day
    assert {row.channel for row in rows[1:]} == {"webchat"}
    stored = " ".join(f"{row.text} {row.channel}" for row in rows)
    assert "8877" not in stored and "0912345678" not in stored


def _question(text: str, day: date = date(2026, 11, 30), **kw: object) -> UnansweredQuestion:
    values: dict[str, object] = {
        "id": next(_ids),
        "channel": "webchat",
        "reason": Reason.FALLBACK,
        "state": QuestionState.OPEN,
        **kw,
    }
    return UnansweredQuestion(text=text, day=day, **values)


def test_alike_questions_group_with_counts_and_three_examples() -> None:
    hours = [
        "giờ làm việc bộ phận một cửa",
        "giờ làm việc bộ phận một cửa",
        "Bộ phận một cửa làm việc mấy giờ?",
        "cho em hỏi giờ làm việc bộ phận một cửa ạ",
        "gio lam viec bo phan mot cua",
        "bộ phận 1 cửa làm việc mấy giờ vậy",
    ]
    parking = ["có chỗ gửi xe máy không", "gửi xe máy ở đâu ạ"]
    questions = [_question(text) for text in hours + parking + ["wifi mật khẩu là gì"]]
    questions[-1].channel = "zalo"
    questions[0].day = date(2026, 11, 1)

    groups = group_questions(questions)

    first = groups[0]
    assert first.count == len(hours)
    assert len(first.examples) == 3
    assert first.examples[0] == "giờ làm việc bộ phận một cửa"  # the most asked first
    assert set(first.question_ids) == {q.id for q in questions[: len(hours)]}
    assert (first.first_day, first.last_day) == (date(2026, 11, 1), date(2026, 11, 30))
    assert first.channels == {"webchat": len(hours)} and first.reasons == {"fallback": len(hours)}
    assert [group.count for group in groups] == [6, 2, 1]
    assert groups[2].channels == {"zalo": 1}
    assert sum(group.count for group in groups) == len(questions)


def test_different_questions_stay_apart() -> None:
    texts = ["đăng ký kết hôn", "đăng ký khai sinh", "khai tử cho ông", "cấp đổi căn cước"]
    groups = group_questions([_question(text) for text in texts])

    assert [group.count for group in groups] == [1, 1, 1, 1]


def test_open_groups_read_only_open_recent_questions(engine: Engine) -> None:
    sessions = make_session_factory(engine)
    today = date(2026, 12, 1)
    with sessions.begin() as session:
        session.execute(delete(UnansweredQuestion))
        session.add_all(
            [
                _question("giờ làm việc", today, id=None),
                _question("giờ làm việc", today, id=None, state=QuestionState.DISMISSED),
                _question("giờ làm việc", today - timedelta(days=200), id=None),
            ]
        )
    with sessions() as session:
        [group] = open_groups(session, today=today)

    assert group.count == 1 and group.as_json()["examples"] == ["giờ làm việc"]
