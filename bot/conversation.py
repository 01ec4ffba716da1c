"""The one path every channel takes to Rasa: clean the text, ask Rasa, shape the answer.

Channels (web chat, SMS, Telegram, Zalo) reach it through `bot.channels.turn.TurnRunner`,
which turns the `RasaError` raised here when Rasa cannot answer into `apology()` (the
web chat then answers 503, the other channels send the apology as their reply).
"""

from __future__ import annotations

import re
import unicodedata

from bot.metrics import note_answer
from bot.rasa_client import RasaAnswer
from bot.rasa_pool import RasaPool
from bot.schemas import Button, ChatResponse, Reply
from message_limits import TOO_LONG_REPLY, is_too_long

__all__ = [
    "BUSY_APOLOGY",
    "EMPTY_MESSAGE_PROMPT",
    "apology",
    "clean_message",
    "converse",
    "to_chat_response",
]

EMPTY_MESSAGE_PROMPT = (
    "Bạn chưa nhập nội dung. Bạn muốn hỏi về thủ tục nào? "
    "Ví dụ: “giấy tờ làm khai sinh” hoặc “lệ phí cấp sổ đỏ”."
)
BUSY_APOLOGY = "Xin lỗi, hệ thống đang bận, vui lòng thử lại sau ít phút."

# Control characters (but not newline or tab) are noise from copy-paste; they never
# reach Rasa. Everything else, markup and SQL included, is passed on as plain text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_message(message: str) -> str:
    """The text Rasa sees: NFC, no control characters, no surrounding spaces."""
    return unicodedata.normalize("NFC", _CONTROL.sub("", message)).strip()


def to_chat_response(answer: RasaAnswer) -> ChatResponse:
    """Shape the assistant channel's answer as the gateway's response."""
    replies = [
        Reply(
            text=message.text or "",
            buttons=[Button(title=b.title, payload=b.payload) for b in message.buttons],
        )
        for message in answer.messages
        if message.text or message.buttons
    ]
    about = answer.answer_about
    return ChatResponse(
        replies=replies,
        intent=answer.intent,
        confidence=answer.confidence,
        procedure_code=about.procedure_code,
        dossier_code=about.dossier_code,
        dossier_status=about.dossier_status,
    )


def apology() -> ChatResponse:
    """What a citizen reads when Rasa cannot answer."""
    return ChatResponse(replies=[Reply(text=BUSY_APOLOGY)])


async def converse(
    rasa: RasaPool,
    *,
    sender: str,
    message: str,
    locale: str | None = None,
    client: str | None = None,
    request_id: str | None = None,
    channel: str,
) -> ChatResponse:
    """Answer one message from `sender`; raises `RasaError` when Rasa cannot answer.

    `client` is where the message came from (the web chat's client address, the SMS
    channel's `sms:<From>`); actions read it from the message metadata to count lookups.
    `channel` (a `notifier.models.ChannelName`) labels the answer's intent in the metrics.
    Empty and too long messages are answered here, without asking Rasa. Channels call
    it through `bot.channels.turn.TurnRunner`.
    """
    text = clean_message(message)
    if not text:
        return ChatResponse(replies=[Reply(text=EMPTY_MESSAGE_PROMPT)])
    if is_too_long(text):
        return ChatResponse(replies=[Reply(text=TOO_LONG_REPLY)])
    metadata = {"locale": locale} if locale else {}
    if client:
        metadata["client"] = client
    answer = await rasa.for_sender(sender).send(
        sender, text, metadata=metadata or None, request_id=request_id
    )
    note_answer(answer.intent, channel)
    return to_chat_response(answer)
