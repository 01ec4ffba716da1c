"""Mask personal data in a citizen's message before it is kept as an unanswered question.

Dossier codes (strict and code-shaped: digits, a letter, digits), e-mail addresses, phone
numbers (0… or +84…, spaces, dots and dashes allowed), ID numbers (CCCD: 12 digits,
CMND: 9) and any other run of five or more digits (not an amount such as "50.000", nor a
national procedure code) become a bracketed placeholder that says what was there.
Full-width characters are read as ASCII first (NFKC).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "CODE",
    "DIGITS",
    "EMAIL",
    "ID_NUMBER",
    "MAX_CHARS",
    "PHONE",
    "PLACEHOLDERS",
    "mask_personal",
    "without_placeholders",
]

MAX_CHARS = 500

CODE = "[mã hồ sơ]"
EMAIL = "[email]"
PHONE = "[số điện thoại]"
ID_NUMBER = "[số giấy tờ]"
DIGITS = "[dãy số]"
PLACEHOLDERS = (CODE, EMAIL, PHONE, ID_NUMBER, DIGITS)

_SEP = r"[\s.\-_/\u2010-\u2015\u2212]{0,3}"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Code-shaped: digits, one letter, digits, with separators (000.00.06.H56-231027-0361,
# 000 00 06 h56 231027 0361, 00000006H562310270361), at least 8 digits in all.
_CODE = re.compile(
    rf"(?<![\dA-Za-z])\d(?:{_SEP}\d)*{_SEP}[A-Za-z]{_SEP}\d(?:{_SEP}\d)*(?![\dA-Za-z])", re.ASCII
)
# A run of digits, with single separators between groups ("090 123 4567", "+84.90...").
_NUMBER = re.compile(r"(?<![\d])\+?\d(?:[\s.\-]?\d)*(?!\d)")
_DIGIT = re.compile(r"\d")
# An amount written with thousands separators ("50.000", "1,500,000") is not personal;
# with eight digits or more it may be an ID or a phone typed in groups ("123.456.789").
_AMOUNT = re.compile(r"[1-9]\d{0,2}(?:[.,]\d{3})+")
_PROCEDURE_CODE = re.compile(r"\d\.\d{6}")  # a national procedure code (1.001193)


def _code(match: re.Match[str]) -> str:
    return CODE if len(_DIGIT.findall(match.group())) >= 8 else match.group()


def _number(match: re.Match[str]) -> str:
    raw = match.group()
    digits = "".join(_DIGIT.findall(raw))
    if len(digits) < 5 or _PROCEDURE_CODE.fullmatch(raw):
        return raw
    if len(digits) <= 7 and _AMOUNT.fullmatch(raw):
        return raw
    if (raw.startswith("+84") and 10 <= len(digits) <= 12) or (
        digits.startswith(("84", "0")) and 10 <= len(digits) <= 11
    ):
        return PHONE
    if len(digits) in (9, 12):
        return ID_NUMBER
    return DIGITS


def mask_personal(text: str) -> str:
    """`text` (its first `MAX_CHARS` characters) with personal data replaced by placeholders."""
    # Masked before it is cut: a number cut in two would keep its first digits.
    masked = unicodedata.normalize("NFKC", text[: MAX_CHARS * 4])
    masked = _EMAIL.sub(EMAIL, masked)
    masked = _CODE.sub(_code, masked)
    masked = _NUMBER.sub(_number, masked)
    return " ".join(masked.split())[:MAX_CHARS].rstrip()


def without_placeholders(text: str) -> str:
    """`text` with the placeholders `mask_personal` put in left out (spaces tidied)."""
    for mark in PLACEHOLDERS:
        text = text.replace(mark, " ")
    return " ".join(text.split())
