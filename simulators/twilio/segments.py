"""How many SMS segments a body costs, as carriers (and Twilio's `num_segments`) count them.

A body made only of GSM-7 characters (GSM 03.38 basic set; the extension set costs two
septets each) fits 160 septets in one segment, else 153 a segment. Anything else is sent
as UCS-2: 70 UTF-16 code units in one segment, else 67 a segment. Escape pairs and
surrogate pairs are never split across segments. Vietnamese with diacritics ("hồ sơ")
is UCS-2; without diacritics ("ho so") it is GSM-7.
"""

from __future__ import annotations

from typing import Literal

__all__ = ["GSM7_BASIC", "GSM7_EXTENSION", "encoding_of", "count_segments"]

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

Encoding = Literal["GSM-7", "UCS-2"]


def encoding_of(body: str) -> Encoding:
    """GSM-7 when every character is in the GSM 03.38 basic or extension set, else UCS-2."""
    if all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in body):
        return "GSM-7"
    return "UCS-2"


def _units(body: str, encoding: Encoding) -> list[int]:
    """The cost of each character: septets for GSM-7, UTF-16 code units for UCS-2."""
    if encoding == "GSM-7":
        return [2 if char in GSM7_EXTENSION else 1 for char in body]
    return [2 if ord(char) > 0xFFFF else 1 for char in body]


def count_segments(body: str) -> int:
    """The number of segments `body` is sent in (0 for an empty body)."""
    if not body:
        return 0
    encoding = encoding_of(body)
    single, multi = (160, 153) if encoding == "GSM-7" else (70, 67)
    units = _units(body, encoding)
    if sum(units) <= single:
        return 1
    segments, used = 1, 0
    for cost in units:
        if used + cost > multi:
            segments += 1
            used = 0
        used += cost
    return segments
