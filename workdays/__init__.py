"""Vietnamese working-day arithmetic: a neutral, pure-Python helper (no dependencies).

Used by the one-stop simulator to set due dates and by the status client's replies to
count overdue working days.
"""

from __future__ import annotations

from workdays.calendar import (
    CUTOFF,
    add_working_days,
    due_date,
    is_working_day,
    next_working_day,
    working_days_between,
)
from workdays.holidays import HOLIDAYS, MAKEUP_WORKDAYS

__all__ = [
    "CUTOFF",
    "HOLIDAYS",
    "MAKEUP_WORKDAYS",
    "add_working_days",
    "due_date",
    "is_working_day",
    "next_working_day",
    "working_days_between",
]
