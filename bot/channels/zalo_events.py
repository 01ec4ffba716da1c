"""What the OA does with each Zalo event, after the webhook has acknowledged it.

- `follow`: a greeting that says what the assistant can do;
- `user_send_text` (typed, or a pressed quick-reply button whose payload comes back as
  the text): one conversation turn for `zalo:<user id>`, the answer sent back with its
  choices as quick-reply buttons; Rasa down → an apology;
- images, stickers, voice, files, locations: "please type your question";
- `unfollow`: the user's chat notifications end (their subscriptions as `zalo:<id>`);
- delivery and read receipts, and anything else: nothing.

Messages are turns of the app's `TurnRunner` (`bot.channels.turn`): the per-sender
limit first (over it, one polite "slow down" and then nothing), then Rasa or its apology.
`handle_event` returns the messages to send; the worker delivers them (and, when Zalo
could not take them, tries the ones left again later, without asking Rasa again).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any

from bot.channels.turn import Turn, TurnResult, TurnRunner
from bot.channels.zalo_oa_client import ZaloOutbound, message_bodies
from notifier.models import ChannelName
from notifier.subscriptions import unsubscribe

__all__ = ["GREETING", "PLEASE_TYPE", "handle_event", "user_of"]

log = logging.getLogger("bot.zalo")

GREETING = (
    "Xin chào! Mình là trợ lý một cửa của tỉnh. Bạn có thể hỏi về thủ tục hành chính "
    "(giấy tờ cần chuẩn bị, lệ phí, thời gian, nơi nộp), tra cứu hồ sơ bằng mã hồ sơ, "
    "và theo dõi hồ sơ để nhận tin khi trạng thái thay đổi. Bạn cần giúp gì?"
)
PLEASE_TYPE = (
    "Xin lỗi, mình chỉ đọc được tin nhắn chữ. Bạn vui lòng gõ câu hỏi, "
    "ví dụ: “giấy tờ làm khai sinh” hoặc “tra cứu hồ sơ <mã hồ sơ>”."
)
_ATTACHMENT_EVENTS = frozenset(
    {
        "user_send_image",
        "user_send_gif",
        "user_send_sticker",
        "user_send_audio",
        "user_send_video",
        "user_send_file",
        "user_send_location",
        "user_send_link",
        "user_send_business_card",
    }
)


def user_of(event: dict[str, Any]) -> str | None:
    """The Zalo user an event is about (sender, or follower for follow/unfollow)."""
    who = event.get("follower") if event.get("event_name") in ("follow", "unfollow") else None
    who = who or event.get("sender")
    user_id = who.get("id") if isinstance(who, dict) else None
    if isinstance(user_id, str) and user_id.isdigit() and len(user_id) <= 32:
        return user_id
    return None


Message = dict[str, Any]  # a body of the OA send API


def _answer(user_id: str, result: TurnResult) -> list[Message]:
    messages = []
    for reply in result.answer.replies:
        buttons = [(button.title, button.payload) for button in reply.buttons]
        messages += message_bodies(user_id, reply.text, buttons)
    return messages


def _end_notifications(outbound: ZaloOutbound, user_id: str) -> list[str]:
    with outbound.sessions() as session, session.begin():
        return unsubscribe(
            session,
            channel=ChannelName.ZALO,
            address=user_id,
            dossier_code=None,
            now=datetime.now(UTC),
        )


async def _message(turns: TurnRunner, user_id: str, event: dict[str, Any]) -> list[Message]:
    if event["event_name"] in _ATTACHMENT_EVENTS:
        refused = turns.admit(f"{ChannelName.ZALO}:{user_id}")
        if refused is None:
            return message_bodies(user_id, PLEASE_TYPE)
        return _answer(user_id, refused)
    text = (event.get("message") or {}).get("text")
    turn = Turn.of(ChannelName.ZALO, user_id, text if isinstance(text, str) else "")
    return _answer(user_id, await turns.run(turn))


async def handle_event(
    turns: TurnRunner, outbound: ZaloOutbound, event: dict[str, Any]
) -> list[Message]:
    """Act on one acknowledged event: the messages to send back (in order); never raises
    (errors are logged)."""
    name = event.get("event_name")
    user_id = user_of(event)
    if user_id is None:
        return []
    try:
        if name == "follow":
            return message_bodies(user_id, GREETING)
        if name == "unfollow":
            ended = await asyncio.to_thread(_end_notifications, outbound, user_id)
            log.info("Zalo follower left; %d subscription(s) ended", len(ended))
        elif name == "user_send_text" or name in _ATTACHMENT_EVENTS:
            return await _message(turns, user_id, event)
    except Exception:  # noqa: BLE001 - a background task: log, never lose the reason
        log.exception("Zalo event %s could not be handled", name)
    return []
