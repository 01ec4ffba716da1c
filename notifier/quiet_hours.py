"""Quiet hours: no SMS between, by default, 21:00 and 07:00 local time.

The window comes from `QUIET_HOURS` ("HH:MM-HH:MM", may wrap midnight; "" turns it off)
in the `TIMEZONE` (Asia/Ho_Chi_Minh). Messages due inside the window are held until its
end, and go out in the morning in their original order (the outbox keeps order per
recipient, so holding the first row of a recipient holds the rest behind it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from notifier.exceptions import ConfigurationError

__all__ = ["QuietHours"]

_WINDOW = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def _time(hours: str, minutes: str, spec: str) -> time:
    try:
        return time(int(hours), int(minutes))
    except ValueError as error:
        raise ConfigurationError(f"QUIET_HOURS {spec!r}: {error}") from error


@dataclass(frozen=True)
class QuietHours:
    """A daily local-time window in which non-urgent SMS are held."""

    start: time | None
    end: time | None
    zone: ZoneInfo

    @classmethod
    def parse(cls, spec: str, timezone: str = "Asia/Ho_Chi_Minh") -> QuietHours:
        """Read "21:00-07:00" (or "" for no quiet hours) in `timezone`."""
        try:
            zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ConfigurationError(f"TIMEZONE {timezone!r} is not a known time zone") from error
        if not spec.strip():
            return cls(None, None, zone)
        match = _WINDOW.match(spec)
        if not match:
            raise ConfigurationError(
                f"QUIET_HOURS {spec!r} is not of the form HH:MM-HH:MM (or empty to turn it off)"
            )
        start = _time(match[1], match[2], spec)
        end = _time(match[3], match[4], spec)
        if start == end:
            raise ConfigurationError(f"QUIET_HOURS {spec!r} starts and ends at the same time")
        return cls(start, end, zone)

    def is_quiet(self, moment: datetime) -> bool:
        """Whether `moment` (aware) falls inside the window."""
        if self.start is None or self.end is None:
            return False
        local = moment.astimezone(self.zone).time()
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end
