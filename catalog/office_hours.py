"""Check an office's working hours as staff write them ("Thứ Hai–thứ Sáu: 7h30–11h30, 13h30–17h").

The text stays free (days, breaks, remarks are the office's own words), but it must give
at least one time range, every time in it must be a time of day, and every range must end
after it starts: "7h30–11h30", "13:30 - 17:00", "7 giờ 30 đến 11 giờ". A typo such as
"17h30–11h30" or "25h" is refused, since citizens plan their trip by it.
"""

from __future__ import annotations

import re

from pydantic_core import PydanticCustomError

__all__ = ["check_office_hours"]

_TIME = r"(?<!\d)(\d{1,2})(?:h|:|\s*giờ)\s*(\d{1,2})?(?!\d)(?:\s*phút)?"
_ANY_TIME = re.compile(_TIME, re.IGNORECASE)
_RANGE = re.compile(_TIME + r"\s*(?:-|–|—|đến|tới)\s*" + _TIME, re.IGNORECASE)


def _minutes(hour: str, minute: str | None) -> int | None:
    """Minutes since midnight, or None when it is not a time of day."""
    hours, minutes = int(hour), int(minute or 0)
    if hours > 23 or minutes > 59:
        return None
    return hours * 60 + minutes


def check_office_hours(text: str) -> None:
    """Raise a PydanticCustomError when `text` is not usable as working hours."""
    for found in _ANY_TIME.finditer(text):
        if _minutes(found.group(1), found.group(2)) is None:
            raise PydanticCustomError(
                "hours_bad_time", "'{time}' is not a time of day", {"time": found.group(0).strip()}
            )
    ranges = list(_RANGE.finditer(text))
    if not ranges:
        raise PydanticCustomError(
            "hours_no_range", "must give at least one time range, such as 7h30-11h30"
        )
    for found in ranges:
        start = _minutes(found.group(1), found.group(2))
        end = _minutes(found.group(3), found.group(4))
        if start is not None and end is not None and end <= start:
            raise PydanticCustomError(
                "hours_order", "'{range}' ends before it starts", {"range": found.group(0)}
            )
