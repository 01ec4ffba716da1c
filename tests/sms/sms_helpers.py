"""SMS test helpers: a fake one-stop system and a client that signs like Twilio."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

import httpx
from fastapi.testclient import TestClient
from twilio.request_validator import RequestValidator

from status_client.exceptions import DossierNotFound, OneStopUnavailable
from status_client.models import Dossier, DossierStatus
from testing.clock import FakeClock
from testing.dossiers import a_dossier
from testing.fake_rasa import FakeRasa

PUBLIC_BASE_URL = "https://motcua.example.gov.vn"
AUTH_TOKEN = "sms-test-token"
KNOWN_CODE = "000.00.06.H56-231027-0361"


@dataclass
class FakeDossiers:
    """The one-stop system's dossier lookup, in memory."""

    dossiers: dict[str, Dossier] = field(default_factory=dict)
    down: bool = False
    asked: list[str] = field(default_factory=list)

    async def get_dossier(self, code: str, *, fresh: bool = False) -> Dossier:
        self.asked.append(code)
        if self.down:
            raise OneStopUnavailable("down")
        if code not in self.dossiers:
            raise DossierNotFound(code)
        return self.dossiers[code]


def dossier(status: DossierStatus = DossierStatus.PROCESSING) -> Dossier:
    return a_dossier(
        status, code=KNOWN_CODE, handling_unit="UBND xã Khánh Vĩnh", phone="0901234567"
    )


@dataclass
class SmsClient:
    """Posts form bodies to the gateway, signed like Twilio signs them."""

    http: TestClient
    rasa: FakeRasa
    dossiers: FakeDossiers
    clock: FakeClock
    counter: int = 0

    def sign(self, path: str, params: dict[str, str], base: str = PUBLIC_BASE_URL) -> str:
        return RequestValidator(AUTH_TOKEN).compute_signature(base + path, params)

    def text(
        self, body: str, sender: str = "+84901234567", sid: str | None = None
    ) -> httpx.Response:
        self.counter += 1
        params = {
            "MessageSid": sid or f"SM{self.counter:032d}",
            "AccountSid": "AC00000000000000000000000000000000",
            "From": sender,
            "To": "+15005550006",
            "Body": body,
        }
        return self.post("/webhooks/twilio/sms", params)

    def post(
        self, path: str, params: dict[str, str], signature: str | None = None
    ) -> httpx.Response:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": signature if signature is not None else self.sign(path, params),
        }
        return self.http.post(path, content=urlencode(params), headers=headers)
