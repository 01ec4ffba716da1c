"""The accented form of each word a name or a message is read into.

`catalog.textnorm.words` folds diacritics, so "lại" (again) and "lái" (drive) are one
word "lai". When both a name and a message were written with diacritics, the resolver
compares the forms as written: "cấp lại" of a message is not the "lái" of "Cấp giấy
phép lái xe". A word the reading added (an abbreviation expanded, a citizen's phrase
rewritten) has no written form, and neither has a message's word typed without marks.
"""

from __future__ import annotations

import re
import unicodedata

from catalog.textnorm import MAX_CHARS
from vntext import fold

__all__ = ["form", "written_forms"]

_WORD = re.compile(r"[^\W_]+")
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng


def form(word: str) -> str:
    """`word` with its tone mark moved to the end: "khoá" and "khóa" are one word."""
    letters = unicodedata.normalize("NFD", word)
    tones = "".join(char for char in letters if char in _TONES)
    return unicodedata.normalize("NFC", "".join(c for c in letters if c not in _TONES)) + tones


def written_forms(
    text: str, tokens: list[str] | tuple[str, ...], *, marked_only: bool
) -> tuple[str | None, ...]:
    """Per word of `tokens` (the folded reading of `text`), how `text` wrote it, or None.

    Words are paired in order: each token takes the next written word that folds to it.
    `marked_only`: a word written without diacritics gets None (a message typed "lai"
    may mean either).
    """
    written = _WORD.findall(unicodedata.normalize("NFC", text[:MAX_CHARS]).lower())
    folded = [fold(word) for word in written]
    if folded == written:  # written without diacritics (a short form, a plain message)
        return (None,) * len(tokens)
    forms: list[str | None] = []
    start = 0
    for token in tokens:
        for index in range(start, len(written)):
            if folded[index] == token:
                word = written[index]
                forms.append(None if marked_only and word == token else form(word))
                start = index + 1
                break
        else:
            forms.append(None)
    return tuple(forms)
