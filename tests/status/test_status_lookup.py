"""The lookup conversation: limiter, second factor, near misses, apologies in time."""

from __future__ import annotations

import time

from status_test_support import ANCHOR, set_faults

from dossier_lookup.limiter import FailedLookupLimiter
from dossier_lookup.lookup import DossierLookup
from status_client.client import OneStopClient
from status_client.models import DossierStatus
from testing.clock import FakeClock

UNKNOWN = "000.00.06.H56-231027-9999"


def lookup(client: OneStopClient, clock: FakeClock) -> DossierLookup:
    return DossierLookup(client, FailedLookupLimiter(clock=clock), now=lambda: ANCHOR)


async def some_dossier(client: OneStopClient, status: DossierStatus) -> tuple[str, str]:
    dossier = (await client.list_dossiers(status=status, limit=1)).dossiers[0]
    assert dossier.id_number
    return dossier.code, dossier.id_number[-4:]


async def test_found_dossier_reports_what_it_was_about(
    client: OneStopClient, clock: FakeClock
) -> None:
    code, _ = await some_dossier(client, DossierStatus.RELEASING)
    reply = await lookup(client, clock).reply(sender="s1", text=f"hồ sơ {code.lower()} xong chưa")
    assert reply.answer_about == {
        "dossier_code": code,
        "dossier_status": "releasing",
        "procedure_code": reply.procedure_code,
    }
    assert "đến nhận kết quả" in reply.text and not reply.verified


async def test_second_factor_flow(client: OneStopClient, clock: FakeClock) -> None:
    service = lookup(client, clock)
    code, last4 = await some_dossier(client, DossierStatus.PAYING)
    first = await service.reply(sender="s2", text=f"tra hồ sơ {code}")
    assert "Quá trình xử lý" not in first.text and "4 số cuối" in first.text
    wrong = "0000" if last4 != "0000" else "1111"
    mismatch = await service.reply(sender="s2", text=f"cccd {wrong}", remembered_code=code)
    assert "không khớp" in mismatch.text and not mismatch.verified
    right = await service.reply(sender="s2", text=f"4 số cuối CCCD {last4}", remembered_code=code)
    assert right.verified and "Quá trình xử lý" in right.text and "Các khoản cần nộp" in right.text
    both = await service.reply(sender="s3", text=f"{code} số cuối cccd {last4}")
    assert both.verified


async def test_unknown_codes_are_limited_per_sender(
    client: OneStopClient, clock: FakeClock
) -> None:
    service = lookup(client, clock)
    code, _ = await some_dossier(client, DossierStatus.DONE)
    for _ in range(5):
        reply = await service.reply(sender="enum", text=UNKNOWN)
        assert "Không tìm thấy" in reply.text and "000.00.06.H56-231027-0361" in reply.text
    assert "quá nhiều lần" in reply.text  # the fifth failure says so at once
    blocked = await service.reply(sender="enum", text=code)
    assert "quá nhiều lần" in blocked.text and blocked.dossier_code is None
    other = await service.reply(sender="someone-else", text=code)
    assert other.dossier_code == code
    clock.advance(601)
    assert (await service.reply(sender="enum", text=code)).dossier_code == code


async def test_guessing_the_second_factor_is_limited_per_dossier(
    client: OneStopClient, clock: FakeClock
) -> None:
    service = lookup(client, clock)
    code, last4 = await some_dossier(client, DossierStatus.PAYING)
    guesses = [f"{n:04d}" for n in range(10) if f"{n:04d}" != last4][:5]
    for number, guess in enumerate(guesses):  # five senders, one guess each
        await service.reply(sender=f"g{number}", text=f"cccd {guess}", remembered_code=code)
    late = await service.reply(sender="g9", text=f"cccd {last4}", remembered_code=code)
    assert not late.verified and "tạm khóa" in late.text


async def test_near_miss_and_missing_code(client: OneStopClient, clock: FakeClock) -> None:
    service = lookup(client, clock)
    near = await service.reply(sender="n", text="hồ sơ 000.00.06.H56-231027-036 của tôi")
    assert "chưa đúng định dạng" in near.text and "000.00.06.H56-231027-0361" in near.text
    missing = await service.reply(sender="n", text="hồ sơ của tôi đến đâu rồi")
    assert "mã hồ sơ" in missing.text
    assert not await service.limiter.blocked("sender:n")


async def test_hanging_system_gets_an_apology_within_3_seconds(
    client: OneStopClient, clock: FakeClock, sim: str
) -> None:
    service = lookup(client, clock)
    code, _ = await some_dossier(client, DossierStatus.PROCESSING)
    set_faults(sim, hang_rate=1.0)
    started = time.monotonic()
    reply = await service.reply(sender="h", text=code)
    assert time.monotonic() - started < 3
    assert "Xin lỗi" in reply.text and "Traceback" not in reply.text
    set_faults(sim, error_rate=1.0)
    assert "Xin lỗi" in (await service.reply(sender="h", text=code)).text
