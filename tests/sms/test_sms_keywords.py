"""SMS keywords: the whole message, folded, names what the number asks for."""

from __future__ import annotations

import pytest

from bot.channels.sms.keywords import Keyword, parse_keyword


@pytest.mark.parametrize(
    ("text", "keyword"),
    [
        ("STOP", Keyword.OPT_OUT), ("huy", Keyword.OPT_OUT), ("Hủy!", Keyword.OPT_OUT),
        ("tu choi", Keyword.OPT_OUT), ("TỪ CHỐI", Keyword.OPT_OUT),
        ("unsubscribe", Keyword.OPT_OUT), ("Start", Keyword.OPT_IN), ("dk", Keyword.OPT_IN),
        ("HELP", Keyword.HELP), ("trợ giúp", Keyword.HELP), ("huy ho so", None),
        ("stop sending me the status of 000.00.06.H56-231027-0361", None),
    ],
)  # fmt: skip
def test_keywords(text: str, keyword: Keyword | None) -> None:
    assert parse_keyword(text) is keyword
