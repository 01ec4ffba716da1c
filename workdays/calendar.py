"""Working-day arithmetic for due dates (ngày hẹn trả) and overdue counts."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

from workdays.holidays import FIRST_YEAR, HOLIDAYS, LAST_YEAR, MAKEUP_WORKDAYS

__all__ = [
    "CUTOFF",
    "add_working_days",
    "due_date",
    "is_working_day",
    "next_working_day",
    "working_days_between",
]

# Filed after this time, a dossier counts as received on the next working day.
CUTOFF = time(15, 0)

# Outside the hard-coded years only the solar-calendar holidays are known.
_FIXED_HOLIDAYS = {(1, 1), (30, 4), (1, 5), (2, 9)}


def is_working_day(day: date) -> bool:
    """True when state agencies work on `day` (Mon–Fri, not a holiday, or a make-up day)."""
    if day in MAKEUP_WORKDAYS:
        return True
    if day.weekday() >= 5:
        return False
    if FIRST_YEAR <= day.year <= LAST_YEAR:
        return day not in HOLIDAYS
    return (day.day, day.month) not in _FIXED_HOLIDAYS


@lru_cache(maxsize=4096)
def next_working_day(day: date) -> date:
    """The first working day strictly after `day`."""
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


@lru_cache(maxsize=16384)
def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (`start` itself is not counted).

    With `days == 0` the result is `start` when it is a working day, else the next one.
    """
    if days < 0:
        raise ValueError(f"days must be >= 0, got {days}")
    if days == 0:
        return start if is_working_day(start) else next_working_day(start)
    day = start
    for _ in range(days):
        day = next_working_day(day)
    return day


def due_date(received_at: datetime, working_days: int, *, cutoff: time = CUTOFF) -> date:
    """The appointment date for a dossier received at `received_at`.

    A dossier received after `cutoff` or on a day off counts as received on the next
    working day; the processing time is then counted from the day after that.
    """
    received = received_at.date()
    if not is_working_day(received) or received_at.time() > cutoff:
        received = next_working_day(received)
    return add_working_days(received, working_days)


def working_days_between(start: date, end: date) -> int:
    """How many working days lie in the interval (start, end]; 0 when end <= start."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
