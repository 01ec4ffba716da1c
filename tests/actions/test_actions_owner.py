"""The owner's way in that a stranger cannot block, through the lookup action: a text from
the phone on file (an `sms:+84…` conversation, made only by the Twilio-signed webhook)
gets the verified details without digits, even after a stranger locked the ID-number
factor and used up the phone's one-time codes; another number does not."""

from __future__ import annotations

import uuid

from test_actions_subscriptions import (  # noqa: F401 (the fixture is used by name)
    a_dossier_with_phone,
    onestop_url,
    say,
    subscription_env,
)

from actions.dossiers import ActionLookupDossier
from actions.subscriptions import ActionSubscribeDossier
from notifier.phones import normalize_phone


async def test_a_text_from_the_phone_on_file_unlocks_what_a_stranger_blocked(
    subscription_env: str,  # noqa: F811
) -> None:
    record = a_dossier_with_phone(subscription_env, nth=5)
    code, phone = record["MaHoSo"], normalize_phone(record["SoDienThoai"]) or ""
    right = record["SoGiayToChuHoSo"][-4:]
    wrong = [f"{n:04d}" for n in range(10) if f"{n:04d}" != right][:5]
    run = uuid.uuid4().hex[:8]
    # A stranger locks the ID-number factor (5 wrong, each from a new conversation)...
    for n, digits in enumerate(wrong):
        await say(ActionLookupDossier(), f"web-{run}-g{n}", f"4 số cuối CCCD {digits}",
                  "ask_status", slot=code)  # fmt: skip
    # ...and uses up the phone's codes (from rotating conversations and addresses).
    for n in range(4):
        await say(ActionSubscribeDossier(), f"web-{run}-c{n}", f"theo dõi {code}",
                  "subscribe_dossier", client=f"203.0.113.{n}")  # fmt: skip
    owner_web = f"web-{run}-owner"
    refused, _ = await say(ActionSubscribeDossier(), owner_web, f"theo dõi {code}",
                           "subscribe_dossier", client="198.51.100.7")  # fmt: skip
    assert "chưa thể gửi thêm mã" in refused
    locked, _ = await say(ActionLookupDossier(), owner_web, f"4 số cuối CCCD {right}",
                          "ask_status", slot=code)  # fmt: skip
    assert "tạm khóa" in locked and "Quá trình xử lý" not in locked
    assert "nhắn tin mã hồ sơ" in locked and "từ số điện thoại đã khai" in locked

    sms = f"sms:{phone}"
    owner, _ = await say(ActionLookupDossier(), sms, code, "ask_status", client=sms)
    assert "Quá trình xử lý" in owner and "tạm khóa" not in owner
    other = "sms:+84999999999" if phone != "+84999999999" else "sms:+84888888888"
    stranger, _ = await say(ActionLookupDossier(), other, code, "ask_status", client=other)
    assert "Quá trình xử lý" not in stranger
    digits, _ = await say(ActionLookupDossier(), other, f"4 số cuối CCCD {right}", "ask_status",
                          slot=code, client=other)  # fmt: skip
    assert "Quá trình xử lý" not in digits and "tạm khóa" in digits  # still locked for others
