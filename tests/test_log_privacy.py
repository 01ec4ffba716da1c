"""Issue 9.6: no bot token, phone number or one-time code in any log line.

The notifier's real sending path (outbox → dispatcher → python-telegram-bot and twilio
against their simulators) runs with the notifier's own logging set-up at INFO; every
line it wrote is then searched for the secrets and personal data it handled.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from db import make_async_engine, make_engine, make_session_factory, upgrade_to_head
from notifier.__main__ import build_senders
from notifier.config import NotifierConfig
from notifier.dispatcher import Dispatcher
from notifier.outbox import NewMessage, enqueue
from notifier.templates import otp_sms
from settings import Settings
from settings.logs import Redactor, configure_process_logging, secret_values
from simulators import twilio
from simulators.common import running_server
from testing.telegram_sim import telegram_simulator

BOT_TOKEN = "987654321:AAH-privacy-test-token-0123456789abcd"
TWILIO_TOKEN = "twilio-privacy-test-token"
PHONE = "+84912345678"
REFUSED_PHONE = "+84987654321"
CODE = "482913"
CHAT = "4242"


@pytest.fixture
def database_file(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'privacy.db'}"
    upgrade_to_head(url)
    return url


@pytest.fixture
def captured_logs() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    level = root.level
    stream = io.StringIO()
    yield stream
    root.handlers = [h for h in root.handlers if getattr(h, "stream", None) is not stream]
    root.setLevel(level)


def _otp_rows() -> list[NewMessage]:
    body = otp_sms("000.00.06.H56-231027-0361", CODE, 10)
    return [
        NewMessage("sms", PHONE, body, "otp-1", purpose="otp", urgent=True),
        NewMessage("sms", REFUSED_PHONE, body, "otp-2", purpose="otp", urgent=True),
        NewMessage("telegram", CHAT, body, "otp-3", purpose="otp", urgent=True),
    ]


async def test_sending_codes_logs_no_token_phone_or_code(
    database_file: str, captured_logs: io.StringIO
) -> None:
    twilio_config = twilio.TwilioSimConfig(auth_token=TWILIO_TOKEN, invalid_numbers=[REFUSED_PHONE])
    with (
        running_server(twilio.create_app(twilio_config)) as twilio_url,
        telegram_simulator(BOT_TOKEN) as tg,
    ):
        settings = Settings(
            database_url=database_file,
            log_level="INFO",
            quiet_hours="",
            notify_sms_rate=0,
            twilio_base_url=twilio_url,
            twilio_auth_token=SecretStr(TWILIO_TOKEN),
            telegram_base_url=tg,
            telegram_bot_token=SecretStr(BOT_TOKEN),
        )
        configure_process_logging(settings, stream=captured_logs)
        engine = make_engine(database_file)
        sessions = make_session_factory(engine)
        with sessions() as session, session.begin():
            enqueue(session, _otp_rows(), now=datetime.now(UTC))
        config = NotifierConfig.from_settings(settings)
        dispatcher = Dispatcher(sessions, build_senders(settings, config), config=config)
        try:
            assert await dispatcher.run_once() == 3
        finally:
            await dispatcher.aclose()
            engine.dispose()

    logged = captured_logs.getvalue()
    assert "permanently refused" in logged  # the refused number's line is there, masked
    for secret in (BOT_TOKEN, BOT_TOKEN.split(":")[1], TWILIO_TOKEN, PHONE, REFUSED_PHONE, CODE):
        assert secret not in logged, f"{secret!r} logged:\n{logged}"


def test_the_redactor_masks_what_libraries_and_our_code_would_log() -> None:
    settings = Settings(
        telegram_bot_token=SecretStr(BOT_TOKEN),
        database_url="postgresql+psycopg://assistant:db-password-1@db:5432/assistant",
    )
    redact = Redactor(secret_values(settings)).redact

    assert redact(f"POST https://api.telegram.org/bot{BOT_TOKEN}/sendMessage") == (
        "POST https://api.telegram.org/bot***/sendMessage"
    )
    assert redact("HTTP Request: POST http://sim/bot123:other-token/getMe") == (
        "HTTP Request: POST http://sim/bot***/getMe"
    )
    assert redact("password db-password-1") == "password ***"
    assert redact("GET http://rasa:5005/status?token=rasa-secret") == (
        "GET http://rasa:5005/status?token=***"
    )
    assert redact(f"conversation sms:{PHONE}, call 0912345678.") == (
        "conversation sms:[phone], call [phone]."
    )
    assert redact(f"Ma xac nhan: {CODE}.") == "Ma xac nhan: [code]."
    # Dossier codes, decimals, times and row ids stay readable.
    kept = "ho so 000.00.06.H56-231027-0361 row 42 took 123456.7 ms at 12:30:45"
    assert redact(kept) == kept


@pytest.mark.parametrize("asynchronous", [False, True])
async def test_database_errors_hide_statement_parameters(
    database_file: str, asynchronous: bool
) -> None:
    statement = text("INSERT INTO no_such_table (phone) VALUES (:phone)")
    if asynchronous:
        async_engine = make_async_engine(database_file)
        with pytest.raises(DBAPIError) as raised:
            async with async_engine.connect() as connection:
                await connection.execute(statement, {"phone": PHONE})
        await async_engine.dispose()
    else:
        engine = make_engine(database_file)
        with pytest.raises(DBAPIError) as raised, engine.connect() as connection:
            connection.execute(statement, {"phone": PHONE})
        engine.dispose()

    assert "no_such_table" in str(raised.value)
    assert PHONE not in str(raised.value)
