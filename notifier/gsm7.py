"""GSM-7 arithmetic: does a text fit the 7-bit alphabet, and how many SMS segments it costs.

A GSM-7 segment carries 160 characters (153 when joined), characters of the extension
table count twice; anything else (Vietnamese with diacritics) switches the whole message
to UCS-2: 70 characters a segment (67 joined).
"""

from __future__ import annotations

__all__ = ["is_gsm7", "segment_count", "septet_length", "truncate_to_segments"]

_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_EXTENDED = set("^{}\\[~]|€\f")


def is_gsm7(text: str) -> bool:
    """Whether every character of `text` is in the GSM-7 basic or extension table."""
    return all(char in _BASIC or char in _EXTENDED for char in text)


def septet_length(text: str) -> int:
    """GSM-7 length: extension-table characters count twice (text must be GSM-7)."""
    return sum(2 if char in _EXTENDED else 1 for char in text)


def _utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def segment_count(text: str) -> int:
    """How many SMS segments `text` costs."""
    if is_gsm7(text):
        length, single, joined = septet_length(text), 160, 153
    else:
        length, single, joined = _utf16_units(text), 70, 67
    if length <= single:
        return 1
    return -(-length // joined)


def truncate_to_segments(text: str, segments: int, ellipsis: str = "...") -> str:
    """`text` cut (at a word where possible) so that it costs at most `segments` segments."""
    if segment_count(text) <= segments:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if segment_count(text[:middle].rstrip() + ellipsis) <= segments:
            low = middle
        else:
            high = middle - 1
    cut = text[:low]
    space = cut.rfind(" ", int(low * 0.8))
    if space > 0:
        cut = cut[:space]
    return cut.rstrip() + ellipsis
