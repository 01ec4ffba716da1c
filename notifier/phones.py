"""Phone numbers in E.164, the form Twilio uses in `From` and `To`."""

from __future__ import annotations

import re

__all__ = ["mask_phone", "normalize_phone"]

_NON_DIGITS = re.compile(r"[^\d+]")


def normalize_phone(raw: str, default_country: str = "84") -> str | None:
    """`raw` as E.164 (+84901234567), or None when it is not a phone number.

    Vietnamese numbers written nationally (0901234567) or with 84 in front get +84.
    """
    compact = _NON_DIGITS.sub("", raw.strip())
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.startswith("+"):
        digits = compact[1:]
    elif compact.startswith("0"):
        digits = default_country + compact[1:]
    elif compact.startswith(default_country) and len(compact) >= 11:
        digits = compact
    else:
        digits = compact
    if not digits.isdigit() or not 8 <= len(digits) <= 15:
        return None
    return "+" + digits


def mask_phone(phone: str) -> str:
    """A phone number with all but its last three digits hidden: ******567."""
    digits = phone.lstrip("+")
    return "*" * max(0, len(digits) - 3) + digits[-3:]
