"""The OA consultation message: `POST /v3.0/oa/message/cs` and what Zalo answers.

Body `{"recipient": {"user_id"}, "message": {"text"}}`, or with choices a button
template (`oa.query.show` buttons, whose payload comes back as the user's text). Zalo
answers HTTP 200 with `{"error": 0, "data": {"message_id"}}` or a negative `error`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

__all__ = [
    "INVALID_TOKEN_CODES",
    "MAX_BUTTONS",
    "MAX_TEXT_CHARS",
    "OUTSIDE_WINDOW_CODE",
    "RATE_LIMIT_CODE",
    "SEND_PATH",
    "ZaloApiError",
    "message_body",
    "message_id_of",
]

SEND_PATH = "/v3.0/oa/message/cs"
MAX_TEXT_CHARS = 2000
MAX_BUTTONS = 5
MAX_TITLE_CHARS = 100
# Zalo's error codes this code acts on.
RATE_LIMIT_CODE = -32
INVALID_TOKEN_CODES = frozenset({-216, -124})
OUTSIDE_WINDOW_CODE = -230


class ZaloApiError(Exception):
    """Zalo answered a negative `error` (or something unreadable: code None)."""

    def __init__(self, code: int | None, message: str) -> None:
        super().__init__(f"Zalo error {code}: {message}")
        self.code = code
        self.message = message


def message_body(
    user_id: str, text: str, buttons: Sequence[tuple[str, str]] = ()
) -> dict[str, Any]:
    """A consultation message to `user_id`; `buttons` as (title, payload) quick replies."""
    text = text[:MAX_TEXT_CHARS]
    message: dict[str, Any]
    if buttons:
        message = {
            "attachment": {
                "type": "template",
                "payload": {
                    "template_type": "button",
                    "text": text,
                    "buttons": [
                        {
                            "type": "oa.query.show",
                            "title": title[:MAX_TITLE_CHARS],
                            "payload": payload,
                        }
                        for title, payload in buttons[:MAX_BUTTONS]
                    ],
                },
            }
        }
    else:
        message = {"text": text}
    return {"recipient": {"user_id": user_id}, "message": message}


def message_id_of(response: httpx.Response) -> str:
    """Zalo's message id from a send answer; raises `ZaloApiError` otherwise."""
    try:
        payload = response.json()
        code = int(payload.get("error", -1))
    except (ValueError, TypeError, AttributeError) as error:
        raise ZaloApiError(None, f"unreadable answer (HTTP {response.status_code})") from error
    if code != 0:
        raise ZaloApiError(code, str(payload.get("message", "")))
    return str((payload.get("data") or {}).get("message_id", ""))
