"""The matcher over the database: published entries only, a change seen after one check."""

from __future__ import annotations

import time

from sqlalchemy import Engine, update

from db import make_session_factory
from faq.matcher import FaqMatcher, fingerprint, match_faq, published_matcher, published_records
from faq.models import FaqEntry, FaqState
from testing.faq import add_entries, remove_entries

QUESTION = "Bộ phận một cửa có chỗ gửi xe máy không?"


def test_published_entries_answer_and_a_change_is_seen_after_one_check(engine: Engine) -> None:
    sessions = make_session_factory(engine)
    remove_entries(sessions)
    matcher = FaqMatcher(published_records, fingerprint, check_interval=0.1)
    [published] = add_entries(sessions, [([QUESTION], "Có, miễn phí.")])
    add_entries(sessions, [(["Mật khẩu wifi là gì?"], "motcua")], published=False)
    try:
        with sessions() as session:
            found = matcher.match(session, "có chỗ gửi xe máy không")
            assert found is not None and found.entry_id == published
            assert matcher.match(session, "mật khẩu wifi là gì") is None  # a draft

        with sessions.begin() as session:  # unpublished, as the console does it
            session.execute(
                update(FaqEntry)
                .where(FaqEntry.id == published)
                .values(state=FaqState.DRAFT, version=FaqEntry.version + 1)
            )
        time.sleep(0.15)
        with sessions() as session:
            assert matcher.match(session, "có chỗ gửi xe máy không") is None
    finally:
        remove_entries(sessions)


def test_match_faq_uses_one_matcher_for_the_process(engine: Engine) -> None:
    sessions = make_session_factory(engine)
    remove_entries(sessions)
    add_entries(sessions, [([QUESTION], "Có, miễn phí.")])
    try:
        with sessions() as session:
            assert published_matcher().match(session, "gửi xe máy ở bộ phận một cửa") is not None
            found = match_faq(session, "có chỗ gửi xe máy ko")
        assert found is not None and found.answer == "Có, miễn phí."
    finally:
        remove_entries(sessions)
