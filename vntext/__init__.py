"""Vietnamese text helpers: diacritic folding that keeps character offsets."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "normalize_spaces"]

_SPACES = re.compile(r"\s+")


def _fold_char(char: str) -> str:
    if char in "đĐ":
        return "d" if char == "đ" else "D"
    base = unicodedata.normalize("NFD", char)[0]
    return base


# Precomputed for the Vietnamese alphabet; other characters go through _fold_char.
_TABLE = {
    ord(c): _fold_char(c)
    for c in (
        "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
        "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"
    )
}


def fold(text: str, *, lower: bool = True) -> str:
    """Strip Vietnamese diacritics (and đ → d) so 'Đăng ký' and 'dang ky' compare equal.

    The input is NFC-normalized first; after that each character maps to exactly one
    character, so offsets into the folded text are offsets into the NFC text.
    """
    nfc = unicodedata.normalize("NFC", text)
    folded = nfc.translate(_TABLE)
    # Combining marks left over (decomposed input that NFC could not compose) are dropped.
    if any(unicodedata.combining(c) for c in folded):
        folded = "".join(c for c in folded if not unicodedata.combining(c))
    return folded.lower() if lower else folded


def normalize_spaces(text: str) -> str:
    """Collapse runs of white space and trim."""
    return _SPACES.sub(" ", text).strip()
