"""What a dossier code alone may reveal, and the second factor that unlocks the rest.

A code alone reveals the procedure, status, dates and next step: nothing that names or
reaches a person. The processing history, the fees and the applicant's initials
("N. V. A.") need the last 4 digits of the applicant's ID number (CCCD), which nothing
the assistant shows gives away, or the one-time code sent to the phone on file (the
subscription flow). The phone is never a factor: its masked form is shown, and a
stranger could know it. See docs/contracts.md, "Dossier privacy".
"""

from __future__ import annotations

import hmac
import re

from status_client.codes import strip_dossier_codes
from status_client.models import Dossier
from vntext import fold

__all__ = ["find_second_factor", "mask_name", "second_factor_matches"]

_FOUR_DIGITS = re.compile(r"(?<!\d)\d{4}(?!\d)", re.ASCII)
# Words that announce the digits are a second factor ("4 số cuối CCCD là 1234").
_HINTS = re.compile(r"\b(cccd|cmnd|can cuoc|chung minh|so cuoi|duoi|dien thoai|sdt|dt)\b")


def mask_name(full_name: str) -> str:
    """Initials only, family name included: "Nguyễn Văn An" → "N. V. A."."""
    return " ".join(f"{part[0]}." for part in full_name.split())


def find_second_factor(text: str) -> str | None:
    """The 4 digits offered as a second factor, or None.

    Accepted when the message is just the 4 digits, or has exactly one 4-digit group
    and a hint word (CCCD, số cuối, điện thoại, ...). Digits inside a dossier code never
    count, so "hồ sơ 000.00.06.H56-231027-0361" alone offers nothing.
    """
    rest = strip_dossier_codes(text)
    groups: list[str] = _FOUR_DIGITS.findall(rest)
    if len(groups) != 1:
        return None
    folded = fold(rest)
    if _HINTS.search(folded) or folded.strip(" .,:;!?") == groups[0]:
        return groups[0]
    return None


def _last4(value: str | None) -> str | None:
    digits = "".join(ch for ch in value or "" if ch.isdigit())
    return digits[-4:] if len(digits) >= 4 else None


def second_factor_matches(dossier: Dossier, digits: str) -> bool:
    """True when `digits` are the last 4 of the applicant's ID number (never the phone)."""
    on_file = _last4(dossier.id_number)
    return on_file is not None and hmac.compare_digest(on_file, digits)
