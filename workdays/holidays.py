"""Vietnamese public holidays (days off for state agencies), 2023–2027, hard-coded.

Working days (ngày làm việc) for the one-stop office are Monday to Friday, minus the
public holidays below, plus the Saturdays the government designates as make-up working
days (ngày làm bù) when it swaps a day to join a holiday with a weekend.

Sources: Bộ luật Lao động 2019, Điều 112 (the holidays: Tết Dương lịch 1 day, Tết Nguyên
đán 5 days, Giỗ Tổ Hùng Vương 10/3 âm lịch, 30/4, 1/5, Quốc khánh 2/9 + one adjacent day;
a holiday falling on a weekend is compensated by the next working day) and the yearly
schedules announced for public servants each year by the Ministry of Labour,
Invalids and Social Affairs (to 2024) and the Ministry of Home Affairs (from 2025),
including the Prime Minister's approved day swaps (make-up Saturdays).
Lunar dates (Tết, Giỗ Tổ) were checked against the Vietnamese lunar calendar (UTC+7).
Entries marked PROVISIONAL follow the Labour Code's rule but were not yet announced when
this table was written: confirm them when the government publishes the schedule.

Only weekdays are listed: weekends inside a holiday block are off anyway.
"""

from __future__ import annotations

from datetime import date

__all__ = ["FIRST_YEAR", "LAST_YEAR", "HOLIDAYS", "MAKEUP_WORKDAYS"]

FIRST_YEAR = 2023
LAST_YEAR = 2027


def _d(text: str) -> date:
    day, month, year = (int(part) for part in text.split("/"))
    return date(year, month, day)


def _days(*texts: str) -> frozenset[date]:
    return frozenset(_d(text) for text in texts)


HOLIDAYS: frozenset[date] = (
    # 2023 — Tết Dương lịch 1/1 fell on Sunday: off Monday 2/1.
    _days("2/1/2023")
    # Tết Nguyên đán Quý Mão (mùng 1 = 22/1): 20/1 (29 Tết) to 26/1 (mùng 5).
    | _days("20/1/2023", "23/1/2023", "24/1/2023", "25/1/2023", "26/1/2023")
    # Giỗ Tổ 29/4 (Sat) and 30/4 (Sun) compensated on 2/5 and 3/5; 1/5 Monday.
    | _days("1/5/2023", "2/5/2023", "3/5/2023")
    # Quốc khánh: 1/9 (Fri) + 2/9 (Sat) compensated on Monday 4/9.
    | _days("1/9/2023", "4/9/2023")
    # 2024 — Tết Dương lịch Monday 1/1.
    | _days("1/1/2024")
    # Tết Giáp Thìn (mùng 1 = 10/2): 8/2 to 14/2.
    | _days("8/2/2024", "9/2/2024", "12/2/2024", "13/2/2024", "14/2/2024")
    # Giỗ Tổ Thursday 18/4; 30/4–1/5 with Monday 29/4 swapped for Saturday 4/5.
    | _days("18/4/2024", "29/4/2024", "30/4/2024", "1/5/2024")
    # Quốc khánh: 2/9 (Mon) + 3/9 (Tue).
    | _days("2/9/2024", "3/9/2024")
    # 2025 — Tết Dương lịch Wednesday 1/1.
    | _days("1/1/2025")
    # Tết Ất Tỵ (mùng 1 = 29/1): 25/1 to 2/2, weekdays 27/1–31/1.
    | _days("27/1/2025", "28/1/2025", "29/1/2025", "30/1/2025", "31/1/2025")
    # Giỗ Tổ Monday 7/4; 30/4–1/5 with Friday 2/5 swapped for Saturday 26/4.
    | _days("7/4/2025", "30/4/2025", "1/5/2025", "2/5/2025")
    # Quốc khánh: 1/9 (Mon) + 2/9 (Tue).
    | _days("1/9/2025", "2/9/2025")
    # 2026 — Tết Dương lịch Thursday 1/1, Friday 2/1 swapped for Saturday 10/1 (confirm).
    | _days("1/1/2026", "2/1/2026")
    # Tết Bính Ngọ (mùng 1 = 17/2): 14/2 to 22/2, weekdays 16/2–20/2.
    | _days("16/2/2026", "17/2/2026", "18/2/2026", "19/2/2026", "20/2/2026")
    # Giỗ Tổ 26/4 (Sun) compensated Monday 27/4; 30/4 (Thu), 1/5 (Fri).
    | _days("27/4/2026", "30/4/2026", "1/5/2026")
    # PROVISIONAL: Quốc khánh 2/9 (Wed) + 1/9 (Tue).
    | _days("1/9/2026", "2/9/2026")
    # PROVISIONAL 2027 — Tết Dương lịch Friday 1/1.
    | _days("1/1/2027")
    # PROVISIONAL: Tết Đinh Mùi (mùng 1 = 6/2, Sat): 5/2 (30 Tết) to mùng 4, weekend
    # days compensated on 10/2 and 11/2.
    | _days("5/2/2027", "8/2/2027", "9/2/2027", "10/2/2027", "11/2/2027")
    # PROVISIONAL: Giỗ Tổ Friday 16/4; 30/4 (Fri); 1/5 (Sat) compensated Monday 3/5.
    | _days("16/4/2027", "30/4/2027", "3/5/2027")
    # PROVISIONAL: Quốc khánh 2/9 (Thu) + 3/9 (Fri).
    | _days("2/9/2027", "3/9/2027")
)

# Saturdays worked to make up a swapped day off.
MAKEUP_WORKDAYS: frozenset[date] = _days("4/5/2024", "26/4/2025", "10/1/2026")
