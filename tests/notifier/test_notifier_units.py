"""Templates, quiet hours, keywords, phones, rate spacing, subscriptions, survey parsing."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from notifier_fakes import OTP_SECRET, notifier_config
from sqlalchemy import select

from notifier.config import NotifierConfig
from notifier.exceptions import (
    ChallengeLocked,
    ChallengeNotFound,
    ConfigurationError,
    NoPhoneOnFile,
    PhoneOptedOut,
    WrongCode,
)
from notifier.feed import OneStopFeed
from notifier.gsm7 import segment_count, truncate_to_segments
from notifier.models import OptOut, OutboxMessage
from notifier.otp_codes import render
from notifier.phones import mask_phone, normalize_phone
from notifier.quiet_hours import QuietHours
from notifier.ratelimit import RateLimiter
from notifier.subscriptions import (
    confirm_subscription,
    request_subscription,
    subscriptions_of,
    unsubscribe,
)
from notifier.survey import parse_rating
from settings import Settings
from status_client.exceptions import DossierNotFound
from status_client.models import ChangeContact, ChangesPage, Dossier, DossierStatus, StatusChange


def test_segments_and_truncation() -> None:
    assert segment_count("a" * 160) == 1 and segment_count("a" * 161) == 2
    assert segment_count("ă" * 70) == 1 and segment_count("ă" * 71) == 2
    assert segment_count("[" * 80) == 1 and segment_count("[" * 81) == 2
    cut = truncate_to_segments("chữ " * 200, 2)
    assert segment_count(cut) <= 2 and cut.endswith("...")


def test_quiet_hours_window() -> None:
    quiet = QuietHours.parse("21:00-07:00", "Asia/Ho_Chi_Minh")
    hanoi_2100 = datetime(2025, 3, 10, 14, 0, tzinfo=UTC)
    assert quiet.is_quiet(hanoi_2100)
    assert not quiet.is_quiet(datetime(2025, 3, 10, 13, 59, tzinfo=UTC))
    assert quiet.is_quiet(datetime(2025, 3, 10, 23, 59, tzinfo=UTC))  # 06:59 next day
    assert not quiet.is_quiet(datetime(2025, 3, 11, 0, 0, tzinfo=UTC))  # 07:00
    assert not QuietHours.parse("").is_quiet(hanoi_2100)
    assert QuietHours.parse("12:00-13:00").is_quiet(datetime(2025, 3, 10, 5, 30, tzinfo=UTC))
    for bad in ("21-07", "25:00-07:00", "07:00-07:00"):
        with pytest.raises(ConfigurationError):
            QuietHours.parse(bad)


def test_phones_and_ratings() -> None:
    assert normalize_phone("0901 234 567") == "+84901234567"
    assert normalize_phone("84901234567") == "+84901234567"
    assert normalize_phone("+1 500-555-0006") == "+15005550006"
    assert normalize_phone("abc") is None
    assert mask_phone("+84901234567") == "090*******"
    assert [parse_rating(t) for t in ("5", " 3 sao", "4/5", "6", "0", "5 ho so")] == [
        5, 3, 4, None, None, None,
    ]  # fmt: skip


def test_rate_limiter_spaces_slots_and_honours_pauses() -> None:
    now = [0.0]
    limiter = RateLimiter(2.0, clock=lambda: now[0])
    assert [limiter.reserve() for _ in range(3)] == [0.0, 0.5, 1.0]
    limiter.pause(5)
    assert limiter.reserve() == 5.0
    assert RateLimiter(0).reserve() == 0.0


CODE = "000.00.06.H56-231027-0361"


def _otp(session) -> str:  # type: ignore[no-untyped-def]
    body = session.scalars(select(OutboxMessage.body).where(OutboxMessage.purpose == "otp")).all()
    return re.search(r": (\d{6})\.", render(body[-1], OTP_SECRET))[1]  # type: ignore[index]


def test_subscription_needs_the_code_sent_to_the_phone_on_file(session) -> None:  # type: ignore[no-untyped-def]
    now, config = datetime(2025, 3, 10, 3, 0, tzinfo=UTC), notifier_config(notify_otp_attempts=3)
    who = {"channel": "telegram", "address": "4242"}
    asked = request_subscription(
        session, **who, dossier_code=CODE, phone_on_file="0901234567", config=config, now=now
    )
    assert asked.masked_phone == "090*******"
    otp_row = session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "otp")).one()
    assert otp_row.address == "+84901234567" and otp_row.urgent
    code = _otp(session)
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(WrongCode) as error:
        confirm_subscription(session, **who, code=wrong, config=config, now=now)
    assert error.value.attempts_left == 2
    confirm_subscription(session, **who, code=code, config=config, now=now)
    assert subscriptions_of(session, **who) == [CODE]
    with pytest.raises(ChallengeNotFound):
        confirm_subscription(session, **who, code=code, config=config, now=now)
    assert unsubscribe(session, **who, dossier_code=None, now=now) == [CODE]
    assert subscriptions_of(session, **who) == []


def test_subscription_locks_after_wrong_codes_and_refuses_without_phone(session) -> None:  # type: ignore[no-untyped-def]
    now, config = datetime(2025, 3, 10, 3, 0, tzinfo=UTC), notifier_config(notify_otp_attempts=2)
    who = {"channel": "webchat", "address": "web-1"}
    request_subscription(
        session, **who, dossier_code=CODE, phone_on_file="0901234567", config=config, now=now
    )
    wrong = "000000" if _otp(session) != "000000" else "111111"
    with pytest.raises(WrongCode):
        confirm_subscription(session, **who, code=wrong, config=config, now=now)
    with pytest.raises(ChallengeLocked):
        confirm_subscription(session, **who, code=wrong, config=config, now=now)
    with pytest.raises(NoPhoneOnFile):
        request_subscription(
            session, **who, dossier_code=CODE, phone_on_file=None, config=config, now=now
        )
    session.add(OptOut(phone="+84911111111", opted_out=True, keyword="STOP", updated_at=now))
    with pytest.raises(PhoneOptedOut):
        request_subscription(
            session, **who, dossier_code=CODE, phone_on_file="0911111111", config=config, now=now
        )


class _FeedOnlyClient:
    """A one-stop client whose changes carry contact data; dossier lookups must not happen."""

    def __init__(self, changes: tuple[StatusChange, ...]) -> None:
        self._changes = changes
        self.lookups: list[str] = []

    async def changes(self, since: int = 0, limit: int = 100) -> ChangesPage:
        return ChangesPage(changes=self._changes, next_cursor=self._changes[-1].cursor)

    async def get_dossier(self, code: str, *, fresh: bool = False) -> Dossier:
        self.lookups.append(code)
        raise DossierNotFound(code)


async def test_feed_takes_contact_from_the_changes_feed_without_lookups() -> None:
    due = datetime(2025, 3, 4, 17, 0, tzinfo=UTC)
    at = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    with_contact = StatusChange(
        cursor=7, code="000.00.06.H56-231027-0361", procedure_code="1.001", old_status=None,
        new_status=DossierStatus.NEW, at=at,
        contact=ChangeContact(phone="+84901234567", due_at=due, procedure_name="Khai sinh"),
    )  # fmt: skip
    without = StatusChange(
        cursor=8, code="000.00.06.H56-231027-0362", procedure_code="1.001", old_status=None,
        new_status=DossierStatus.NEW, at=at,
    )  # fmt: skip
    client = _FeedOnlyClient((with_contact, without))
    page = await OneStopFeed(client).read(None, 10)  # type: ignore[arg-type]
    first, second = page.transitions
    assert (first.phone, first.due_at, first.procedure_name) == ("+84901234567", due, "Khai sinh")
    # Only the change without contact data was looked up (and its dossier is unknown).
    assert client.lookups == [without.code] and second.phone is None
    assert page.next_cursor == "8"


def test_the_notifier_reads_the_one_settings_without_defaults_of_its_own() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    config = NotifierConfig(settings)
    assert config.sms_rate == settings.notify_sms_rate == 1.0
    assert config.quiet_hours == QuietHours.parse("21:00-07:00")
    assert config.lease_seconds == settings.notify_lease_seconds
    changed = NotifierConfig(Settings(_env_file=None, notify_urgent_statuses="denied, done"))  # type: ignore[call-arg]
    assert changed.urgent_statuses == {"denied", "done"}
    with pytest.raises(TypeError):
        NotifierConfig()  # type: ignore[call-arg]
