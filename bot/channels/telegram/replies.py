"""What the Telegram channel says and how an answer is shaped for Telegram.

Rasa's replies become plain-text messages of at most 4,096 characters (split on line
boundaries), and its buttons an inline keyboard under the last part of the reply; a
button's Rasa payload travels as the callback data when it fits Telegram's 64 bytes,
else its title does (Rasa then understands the procedure's name as typed text).
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.schemas import Button, ChatResponse

__all__ = [
    "COMMANDS",
    "HELP_TEXT",
    "MAX_CALLBACK_BYTES",
    "MAX_MESSAGE_CHARS",
    "NEED_CODE",
    "PLEASE_TYPE",
    "START_TEXT",
    "UNKNOWN_COMMAND",
    "TelegramMessage",
    "callback_data",
    "split_text",
    "telegram_messages",
]

MAX_MESSAGE_CHARS = 4096
MAX_CALLBACK_BYTES = 64
BUTTONS_PER_ROW = 1

# (command, description) for setMyCommands; descriptions at most 256 characters.
COMMANDS = (
    ("tracuu", "Tra cứu hồ sơ: /tracuu <mã hồ sơ>"),
    ("theodoi", "Nhận tin khi hồ sơ đổi trạng thái: /theodoi <mã hồ sơ>"),
    ("huy", "Ngừng theo dõi hồ sơ"),
    ("trogiup", "Xem hướng dẫn sử dụng"),
)

HELP_TEXT = (
    "Mình có thể giúp bạn:\n"
    "• Hỏi về thủ tục hành chính: cần giấy tờ gì, lệ phí, thời gian giải quyết, nộp ở "
    "đâu, có làm trực tuyến được không (khai sinh, kết hôn, tạm trú, sổ đỏ…). "
    "Bạn cứ gõ câu hỏi, ví dụ: “làm khai sinh cần giấy tờ gì”.\n"
    "• /tracuu <mã hồ sơ>: xem tình trạng hồ sơ đã nộp.\n"
    "• /theodoi <mã hồ sơ>: nhận tin nhắn khi hồ sơ đổi trạng thái (mình gửi mã xác "
    "nhận 6 chữ số qua SMS tới số điện thoại trong hồ sơ).\n"
    "• /huy: ngừng theo dõi hồ sơ.\n"
    "• /trogiup: xem lại hướng dẫn này."
)
START_TEXT = "Xin chào! Mình là trợ lý của bộ phận một cửa.\n" + HELP_TEXT
PLEASE_TYPE = (
    "Xin lỗi, mình chỉ đọc được tin nhắn chữ. Bạn vui lòng gõ câu hỏi của mình nhé, "
    "ví dụ: “đăng ký tạm trú cần giấy tờ gì”."
)
NEED_CODE = "Bạn vui lòng gửi kèm mã hồ sơ sau lệnh, ví dụ: /{command} 000.00.06.H56-231027-0361"
UNKNOWN_COMMAND = "Mình chưa hiểu lệnh này. Bạn gõ /trogiup để xem các lệnh nhé."


@dataclass(frozen=True)
class TelegramMessage:
    """One sendMessage: its text and, for the last part of a reply, its keyboard."""

    text: str
    keyboard: InlineKeyboardMarkup | None = None


def _hard_split(line: str, limit: int) -> list[str]:
    """A line longer than `limit`: cut at the last space before it, else at `limit`."""
    parts = []
    while len(line) > limit:
        cut = line.rfind(" ", 0, limit + 1)
        cut = cut if cut > 0 else limit
        parts.append(line[:cut].rstrip())
        line = line[cut:].lstrip()
    return [*parts, line] if line else parts


def split_text(text: str, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """`text` in parts of at most `limit` characters, cut between lines where possible."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        pieces = _hard_split(line, limit) if len(line) > limit else [line]
        for piece in pieces:
            joined = f"{current}\n{piece}" if current else piece
            if len(joined) <= limit:
                current = joined
                continue
            if current.strip():
                parts.append(current)
            current = piece
    if current.strip():
        parts.append(current)
    return parts


def callback_data(button: Button) -> str:
    """The callback data of `button`: its payload if it fits in 64 bytes, else its title."""
    for candidate in (button.payload, button.title):
        if candidate and len(candidate.encode()) <= MAX_CALLBACK_BYTES:
            return candidate
    return button.title.encode()[:MAX_CALLBACK_BYTES].decode(errors="ignore")


def _keyboard(buttons: list[Button]) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    rows = [
        [InlineKeyboardButton(b.title, callback_data=callback_data(b))] for b in buttons if b.title
    ]
    return InlineKeyboardMarkup(rows) if rows else None


def telegram_messages(answer: ChatResponse) -> list[TelegramMessage]:
    """Every message to send for `answer`, in order."""
    messages = []
    for reply in answer.replies:
        parts = split_text(reply.text) or ([reply.text or "Mời bạn chọn:"] if reply.buttons else [])
        keyboard = _keyboard(reply.buttons)
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            messages.append(TelegramMessage(part, keyboard if last else None))
    return messages
