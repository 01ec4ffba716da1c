"""SMS webhook fixture: the gateway on a fake Rasa and a fake one-stop system."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sms_helpers import (
    AUTH_TOKEN,
    KNOWN_CODE,
    PUBLIC_BASE_URL,
    FakeDossiers,
    SmsClient,
    dossier,
)
from sqlalchemy import Engine, delete

from bot.app import create_app
from bot.channels.sender_limit import SenderLimit
from db import make_session_factory
from notifier.models import InboundSms, OptOut, OutboxMessage, SurveyRequest
from settings import Settings
from testing.clock import FakeClock
from testing.fake_rasa import ACTION_SERVER_URL, RASA_URL, FakeRasa


@pytest.fixture
def sms(engine: Engine, database_url: str) -> Iterator[SmsClient]:
    factory = make_session_factory(engine)

    def wipe() -> None:
        with factory() as session, session.begin():
            for table in (InboundSms, OptOut, SurveyRequest, OutboxMessage):
                session.execute(delete(table))

    wipe()
    settings = Settings(
        database_url=database_url,
        public_base_url=PUBLIC_BASE_URL,
        twilio_auth_token=SecretStr(AUTH_TOKEN),
        rasa_url=RASA_URL,
        action_server_url=ACTION_SERVER_URL,
    )
    rasa, dossiers, clock = FakeRasa(), FakeDossiers({KNOWN_CODE: dossier()}), FakeClock()
    app = create_app(
        settings,
        transport=httpx.MockTransport(rasa),
        sessions=factory,
        onestop=dossiers,
        sender_limit=SenderLimit(settings.channel_sender_rate_per_minute, clock=clock),
    )
    with TestClient(app, raise_server_exceptions=True) as http:
        yield SmsClient(http, rasa, dossiers, clock)
    wipe()
