"""The per-sender limit every chat channel shares: 20 a minute, one warning, then silence."""

from __future__ import annotations

from bot.channels.sender_limit import SenderLimit, Verdict
from testing.clock import FakeClock


def verdicts(limit: SenderLimit, sender: str, count: int) -> list[Verdict]:
    return [limit.check(sender) for _ in range(count)]


def test_twenty_a_minute_pass_then_one_warning_then_nothing() -> None:
    limit = SenderLimit(20, clock=FakeClock())
    assert verdicts(limit, "zalo:1", 20) == [Verdict.ALLOW] * 20
    assert verdicts(limit, "zalo:1", 5) == [Verdict.WARN] + [Verdict.DROP] * 4
    assert limit.check("telegram:1") is Verdict.ALLOW  # another sender is not affected


def test_a_steady_flood_is_warned_once_a_minute_not_once_a_refill() -> None:
    clock = FakeClock()
    limit = SenderLimit(20, clock=clock)
    verdicts(limit, "sms:+84901234567", 20)
    seen: list[Verdict] = []
    for _ in range(120):  # 2 minutes at one message a second
        clock.advance(1.0)
        seen.append(limit.check("sms:+84901234567"))
    # The bucket lets 20 a minute through; the rest are dropped, warned twice in all.
    assert seen.count(Verdict.ALLOW) == 40
    assert seen.count(Verdict.WARN) == 2
    assert seen[0] is Verdict.WARN


def test_a_sender_who_waits_is_answered_again() -> None:
    clock = FakeClock()
    limit = SenderLimit(20, clock=clock)
    verdicts(limit, "telegram:7", 22)
    clock.advance(60)
    assert verdicts(limit, "telegram:7", 20) == [Verdict.ALLOW] * 20
    assert limit.check("telegram:7") is Verdict.WARN  # a new window, a new warning


def test_zero_turns_it_off() -> None:
    limit = SenderLimit(0, clock=FakeClock())
    assert set(verdicts(limit, "zalo:1", 1000)) == {Verdict.ALLOW}
