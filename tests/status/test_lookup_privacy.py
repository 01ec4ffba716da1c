"""Issue 9.2 and 9.3: what a stranger with codes can read, guess and walk.

The one-stop system is a fake with a dense daily sequence of codes (as real codes are):
`000.00.06.H56-261201-0001` upward. Clocks are fakes; nothing waits.
"""

from __future__ import annotations

import logging
import re

import pytest
from status_test_support import ANCHOR

from dossier_lookup.limiter import FailedLookupLimiter
from dossier_lookup.lockout import DossierLockout
from dossier_lookup.lookup import DossierLookup
from dossier_lookup.quota import LookupQuota
from notifier.phones import mask_phone
from status_client.exceptions import DossierNotFound
from status_client.models import Dossier, DossierStatus, Fee
from testing.clock import FakeClock
from testing.dossiers import a_dossier

PREFIX = "000.00.06.H56-261201-"
ADDRESS = "203.0.113.7"


def code_of(number: int) -> str:
    return f"{PREFIX}{number:04d}"


class WalkableDossiers:
    """The one-stop system's lookup: dossiers 0001..`count` of one unit and day."""

    def __init__(self, count: int = 1000) -> None:
        self.count = count
        self.asked = 0

    async def get_dossier(self, code: str, *, fresh: bool = False) -> Dossier:
        self.asked += 1
        number = int(code.rsplit("-", 1)[1])
        if not code.startswith(PREFIX) or not 1 <= number <= self.count:
            raise DossierNotFound(code)
        return a_dossier(
            DossierStatus.PAYING,
            code=code,
            id_number=f"079090{number:04d}58",
            phone=f"+8490123{number:04d}",
            fees=(Fee(name="Lệ phí", amount_vnd=20_000, paid=False),),
        )


def service(clock: FakeClock, source: WalkableDossiers, **quota: int) -> DossierLookup:
    return DossierLookup(
        source,
        FailedLookupLimiter(clock=clock),
        quota=LookupQuota(clock=clock, **quota),
        lockout=DossierLockout(clock=clock),
        now=lambda: ANCHOR,
    )


async def test_a_walker_rotating_1000_senders_from_one_address_reads_at_most_the_quota() -> None:
    clock, source = FakeClock(), WalkableDossiers()
    lookup = service(clock, source)
    revealed = set()
    for number in range(1, 1001):
        reply = await lookup.reply(sender=f"web-{number}", text=code_of(number), client=ADDRESS)
        if reply.dossier_status is not None:
            revealed.add(reply.dossier_code)
        clock.advance(0.5)  # 1,000 lookups in about 8 minutes
    assert len(revealed) == 20  # the default per-address quota, and no more
    assert source.asked == 20  # refused lookups never reach the one-stop system
    refused = await lookup.reply(sender="web-new", text=code_of(999), client=ADDRESS)
    assert "nhiều hồ sơ khác nhau" in refused.text and refused.dossier_status is None
    again = await lookup.reply(sender="web-new", text=code_of(1), client=ADDRESS)
    assert again.dossier_status == "paying"  # looking one up again is free
    clock.advance(3601)
    later = await lookup.reply(sender="web-new", text=code_of(999), client=ADDRESS)
    assert later.dossier_status == "paying"


async def test_one_conversation_and_everyone_together_have_quotas_too(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock, source = FakeClock(), WalkableDossiers()
    lookup = service(clock, source, overall=50)
    seen = [
        await lookup.reply(sender="web-one", text=code_of(n), client=f"198.51.100.{n}")
        for n in range(1, 21)
    ]
    assert sum(r.dossier_status is not None for r in seen) == 10  # per conversation
    with caplog.at_level(logging.WARNING, logger="dossier_lookup.quota"):
        spread = [
            await lookup.reply(sender=f"web-{n}", text=code_of(n), client=f"192.0.2.{n}")
            for n in range(100, 300)
        ]
    assert sum(r.dossier_status is not None for r in spread) == 40  # 50 overall
    assert "bất thường" in spread[-1].text
    assert sum("lookup anomaly" in r.message for r in caplog.records) == 1  # not a flood


async def test_an_office_is_untouched_and_unlimited_clients_skip_the_quotas() -> None:
    clock, source = FakeClock(), WalkableDossiers()
    lookup = service(clock, source)
    # A working day: 300 citizens, each from their own address, each checking their own
    # dossier three times.
    for number in range(1, 301):
        for _ in range(3):
            reply = await lookup.reply(
                sender=f"web-{number}", text=code_of(number), client=f"10.0.{number}.1"
            )
            assert reply.dossier_status == "paying"
        clock.advance(90)
    bench = DossierLookup(source, quota=LookupQuota(unlimited_clients={"127.0.0.1", "sms:*"}))
    for number in range(1, 101):
        for client in ("127.0.0.1", "sms:+84900000001"):
            reply = await bench.reply(sender="bench", text=code_of(number), client=client)
            assert reply.dossier_status == "paying"
    walker = await bench.reply(sender="w", text=code_of(1), client="127.0.0.2")
    assert walker.dossier_status == "paying" and not bench.quota.unlimited("127.0.0.2")


async def test_ten_guesses_cannot_unlock_a_dossier() -> None:
    clock, source = FakeClock(), WalkableDossiers()
    lookup = service(clock, source)
    code = code_of(7)
    dossier = await source.get_dossier(code)
    assert dossier.phone and dossier.id_number
    seen = await lookup.reply(sender="web-x", text=code, client=ADDRESS)
    shown = re.findall(r"\d{3,}", seen.text.replace(code, ""))
    assert not any(dossier.phone.endswith(digits) for digits in shown)
    assert mask_phone(dossier.phone) == "090*******"  # what the subscription reply shows
    # Every last digit in front of the phone's last three, and the phone's own last four,
    # each from another conversation at another address.
    guesses = [f"{d}{dossier.phone[-3:]}" for d in range(10)]
    assert dossier.phone[-4:] in guesses and dossier.id_number[-4:] not in guesses
    for number, guess in enumerate(guesses):
        reply = await lookup.reply(
            sender=f"web-g{number}", text=f"4 số cuối {guess}", remembered_code=code,
            client=f"192.0.2.{number}",
        )  # fmt: skip
        assert not reply.verified and "Quá trình xử lý" not in reply.text
    # Five wrong guesses locked the dossier for everyone, even with the right digits...
    right = f"4 số cuối CCCD {dossier.id_number[-4:]}"
    locked = await lookup.reply(sender="web-owner", text=right, remembered_code=code)
    assert not locked.verified and "tạm khóa" in locked.text and "luôn dùng được" in locked.text

    # ...but never its owner's one-time code (a confirmed subscription).
    async def owner(found: Dossier) -> bool:
        return found.code == code

    proven = await lookup.reply(sender="web-owner", text=code, owner=owner)
    assert proven.verified and "Các khoản cần nộp" in proven.text and "N. V. A." in proven.text


async def test_the_lock_out_grows_and_the_right_digits_work_after_it() -> None:
    clock, source = FakeClock(), WalkableDossiers()
    lookup = service(clock, source)
    code = code_of(8)
    right = (await source.get_dossier(code)).id_number or ""

    async def guess(digits: str, sender: str = "web-a") -> bool:
        reply = await lookup.reply(sender=sender, text=f"cccd {digits}", remembered_code=code)
        return reply.verified

    for round_minutes in (15, 30, 60):
        for n in range(5):
            assert not await guess(f"{n:04d}", sender=f"web-{round_minutes}-{n}")
        clock.advance(round_minutes * 60 - 1)
        assert not await guess(right[-4:])  # still locked
        clock.advance(2)
    assert await guess(right[-4:])  # the lock ended: the owner's digits work again
    assert await lookup.lockout.locked_for(code) == 0


async def test_the_lock_out_stops_growing_at_a_day() -> None:
    clock, source = FakeClock(), WalkableDossiers()
    lookup = service(clock, source)
    code = code_of(9)
    right = (await source.get_dossier(code)).id_number or ""
    longest = 0.0
    for _ in range(12):  # a stranger keeps guessing for weeks, five at a time
        for n in range(5):
            wrong = await lookup.reply(sender="web-s", text=f"cccd {n:04d}", remembered_code=code)
            assert not wrong.verified
        locked = await lookup.lockout.locked_for(code)
        longest = max(longest, locked)
        clock.advance(locked)
    assert longest == 86_400  # 15 min, 30, ... then one day, never more
    for _ in range(5):
        await lookup.reply(sender="web-s", text="cccd 0000", remembered_code=code)
    clock.advance(86_400)  # however long the stranger went on, the owner waits a day at most
    owner = await lookup.reply(sender="web-o", text=f"cccd {right[-4:]}", remembered_code=code)
    assert owner.verified


async def test_a_code_alone_shows_nothing_about_the_person() -> None:
    lookup = service(FakeClock(), WalkableDossiers())
    reply = await lookup.reply(sender="web-s", text=code_of(3), client=ADDRESS)
    assert "Đăng ký khai sinh" in reply.text and "Ngày hẹn trả" in reply.text
    for personal in ("Người nộp", "Nguyễn", "N. V. A.", "0790900", "0901230003"):
        assert personal not in reply.text
    assert "theo dõi hồ sơ" in reply.text  # the owner's way to the details is said


def test_phones_are_masked_without_their_final_digits() -> None:
    assert mask_phone("+84912345678") == "091*******"
    assert mask_phone("0912345678") == "091*******"
    assert mask_phone("+15005550006") == "+150********"
    assert mask_phone("+84 98 765 4321").endswith("*******")
