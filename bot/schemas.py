"""The gateway's public JSON: `/api/chat` request and response."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Button",
    "ChatRequest",
    "ChatResponse",
    "Notification",
    "NotificationsResponse",
    "Reply",
    "SENDER_PATTERN",
]

# A sub-conversation's name under the caller's cookie. No ':' — ids with a channel
# prefix ("sms:+84…", "telegram:123") are only made by those channels' own routes — and
# nothing that could smuggle markup, paths or whitespace into logs.
SENDER_PATTERN = r"^[A-Za-z0-9_.@+\-]{1,128}$"


class ChatRequest(BaseModel):
    """A citizen's message on the web chat (or any channel speaking this API)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)

    sender: str | None = Field(
        default=None,
        pattern=SENDER_PATTERN,
        description=(
            "Optional: a sub-conversation under the caller's cookie (scripts run many "
            "conversations from one cookie); 1-128 of A-Z a-z 0-9 _ . @ + -, no ':'"
        ),
        examples=["bench-1"],
    )
    message: str = Field(
        max_length=16_384,
        description="The text as typed; over 1,000 characters is answered with a request "
        "to ask more briefly, not read (see README).",
        examples=["giấy tờ làm khai sinh"],
    )
    locale: str | None = Field(default=None, max_length=16, examples=["vi"])


class Button(BaseModel):
    """A choice under a reply; pressing it sends `payload` as the next message."""

    title: str
    payload: str


class Reply(BaseModel):
    """One bot message, plain text (clients must not interpret it as markup)."""

    text: str
    buttons: list[Button] = Field(default_factory=list)


class ChatResponse(BaseModel):
    """The assistant's answer to one message."""

    replies: list[Reply]
    intent: str | None = None
    confidence: float | None = None
    procedure_code: str | None = None
    dossier_code: str | None = None
    dossier_status: str | None = None


class Notification(BaseModel):
    """A message the assistant sent on its own (a followed dossier changed status)."""

    id: int = Field(description="Increasing; ask for those after the last one seen")
    text: str


class NotificationsResponse(BaseModel):
    """The web chat conversation's notifications after `after`, oldest first."""

    notifications: list[Notification]
