"""The gateway's client for Rasa's `assistant` channel (rasa_ext.channel.AssistantInput).

Errors raised here::

    RasaError                 anything that kept Rasa from answering
    ├── RasaUnavailable       connection refused, timeout, or a 5xx from Rasa
    └── RasaBadResponse       Rasa answered, but not with the channel's JSON
"""

from __future__ import annotations

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

__all__ = [
    "WEBHOOK_PATH",
    "AnswerAbout",
    "RasaAnswer",
    "RasaBadResponse",
    "RasaButton",
    "RasaClient",
    "RasaError",
    "RasaMessage",
    "RasaUnavailable",
    "rasa_timeout",
]

WEBHOOK_PATH = "/webhooks/assistant/webhook"


class RasaError(Exception):
    """Rasa did not produce an answer."""


class RasaUnavailable(RasaError):
    """Rasa is down, slow or failing (connection error, timeout, 5xx)."""


class RasaBadResponse(RasaError):
    """Rasa answered with something that is not the assistant channel's JSON."""


class RasaButton(BaseModel):
    """A button under a reply: the title shown, the payload sent back when pressed."""

    model_config = ConfigDict(extra="ignore")

    title: str
    payload: str


class RasaMessage(BaseModel):
    """One bot message as the channel returns it."""

    model_config = ConfigDict(extra="ignore")

    text: str | None = None
    buttons: list[RasaButton] = Field(default_factory=list)


class AnswerAbout(BaseModel):
    """What the answer was about, as the custom actions reported it."""

    model_config = ConfigDict(extra="ignore")

    procedure_code: str | None = None
    dossier_code: str | None = None
    dossier_status: str | None = None


class RasaAnswer(BaseModel):
    """The assistant channel's whole answer to one user message."""

    model_config = ConfigDict(extra="ignore")

    messages: list[RasaMessage] = Field(default_factory=list)
    intent: str | None = None
    confidence: float | None = None
    answer_about: AnswerAbout = Field(default_factory=AnswerAbout)


def rasa_timeout(total_seconds: float) -> httpx.Timeout:
    """Timeouts for calls to Rasa: connecting must be quick, answering may take longer."""
    return httpx.Timeout(total_seconds, connect=min(2.0, total_seconds))


class RasaClient:
    """Sends user messages to Rasa over a long-lived `httpx.AsyncClient` (base_url = Rasa)."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self._http = http

    async def send(
        self,
        sender: str,
        message: str,
        *,
        metadata: dict[str, str] | None = None,
        request_id: str | None = None,
    ) -> RasaAnswer:
        """Send one message from `sender` and return Rasa's answer."""
        body: dict[str, object] = {"sender": sender, "message": message}
        if metadata:
            body["metadata"] = metadata
        headers = {"X-Request-ID": request_id} if request_id else None
        try:
            response = await self._http.post(WEBHOOK_PATH, json=body, headers=headers)
        except httpx.TimeoutException as error:
            raise RasaUnavailable(f"Rasa did not answer in time: {error!r}") from error
        except httpx.TransportError as error:
            raise RasaUnavailable(f"Rasa is unreachable: {error!r}") from error
        if response.status_code >= 500:
            raise RasaUnavailable(f"Rasa answered HTTP {response.status_code}")
        if response.status_code != 200:
            raise RasaBadResponse(
                f"Rasa answered HTTP {response.status_code}: {response.text[:200]!r}"
            )
        try:
            return RasaAnswer.model_validate_json(response.content)
        except ValidationError as error:
            raise RasaBadResponse(
                f"Rasa's answer is not the assistant channel's JSON: {error}"
            ) from error

    async def ping(self, *, timeout: float = 2.0) -> str:
        """Return Rasa's greeting from `GET /` (raises RasaError when it does not answer)."""
        try:
            response = await self._http.get("/", timeout=timeout)
        except httpx.HTTPError as error:
            raise RasaUnavailable(f"Rasa is unreachable: {error!r}") from error
        if response.status_code != 200:
            raise RasaUnavailable(f"Rasa answered HTTP {response.status_code}")
        return response.text.strip()
