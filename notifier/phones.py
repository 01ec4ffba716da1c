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
    """Only the carrier prefix shows: +84912345678 → 091*******.

    No final digit shows: a stranger with the dossier code sees which carrier, nothing
    that narrows down the number (or could serve as a second factor).
    """
    digits = "".join(ch for ch in phone if ch.isdigit())
    if phone.startswith("+84") or (not phone.startswith("+") and digits.startswith("0")):
        national = "0" + digits[2:] if phone.startswith("+84") else digits
        return national[:3] + "*" * max(0, len(national) - 3)
    return "+" + digits[:3] + "*" * max(0, len(digits) - 3)
