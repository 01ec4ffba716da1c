"""The one limit on a citizen's message, shared by the gateway and the Rasa channel.

Pure Python (standard library only): imported by `bot/` in `.venv` and by
`rasa_ext/channel.py` in `.venv-rasa` (Python 3.10). A message longer than
`MAX_MESSAGE_CHARS` is not cut: it is answered with `TOO_LONG_REPLY` and not read at
all, so that nobody is answered about half a question without knowing it.
"""

from __future__ import annotations

__all__ = ["MAX_MESSAGE_CHARS", "TOO_LONG_REPLY", "is_too_long"]

# Nothing a citizen asks needs more, and the cost of understanding grows with it.
MAX_MESSAGE_CHARS = 1_000

TOO_LONG_REPLY = (
    "Tin nhắn của bạn quá dài (hơn 1.000 ký tự) nên tôi chưa đọc. "
    "Bạn hãy hỏi ngắn gọn từng câu, ví dụ: “giấy tờ làm khai sinh” hoặc “tra cứu hồ sơ”."
)


def is_too_long(text: str) -> bool:
    """Whether `text` (already cleaned) is over the limit and must not be read."""
    return len(text) > MAX_MESSAGE_CHARS
