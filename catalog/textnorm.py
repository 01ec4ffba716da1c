"""Turn a citizen's message into the words that can name a procedure.

Folds diacritics (vntext.fold), expands chat abbreviations ("dk" → "dang ky"), and drops
question and filler words ("cần gì", "giấy tờ", "thủ tục", "bao nhiêu") so that they
cannot drive the match. The same function prepares catalog names and aliases, so both
sides are compared in the same form.
"""

from __future__ import annotations

import re

from catalog.stop_words import ABBREVIATIONS as _ABBREVIATIONS
from catalog.stop_words import STOP_PHRASES as _STOP_PHRASES
from catalog.stop_words import STOP_WORDS as _STOP_WORDS
from vntext import fold

__all__ = [
    "MAX_CHARS",
    "GENERIC",
    "is_stop_word",
    "national_codes",
    "sound_alikes",
    "tokens",
    "words",
]

# Long messages are cut: a procedure is named near the start, and matching stays fast.
MAX_CHARS = 400

_NON_WORD = re.compile(r"[^a-z0-9]+")
_CODE = re.compile(r"(?<![\d.])(\d\.\d{6})(?!\d)")

# Words that are part of many procedure names; they help but never match on their own.
GENERIC = frozenset({"dang", "ky", "giay", "cap"})

_MAX_PHRASE = max(len(phrase) for phrase in _STOP_PHRASES)

# Everyday names of a document that differ from its official name.
_PHRASE_SYNONYMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("bang", "lai"): ("giay", "phep", "lai"),  # bằng lái (xe) = giấy phép lái xe
}


def _expanded(tokens: list[str]) -> list[str]:
    out: list[str] = []
    for token in tokens:
        out.extend(_ABBREVIATIONS.get(token, (token,)))
        if (synonym := _PHRASE_SYNONYMS.get(tuple(out[-2:]))) is not None:  # type: ignore[arg-type]
            out[-2:] = synonym
    return out


# Initial consonants that many people spell alike (they sound alike in the north or the
# south): "tạm chú" for "tạm trú", "sác nhận" for "xác nhận", "dấy" for "giấy".
_SOUND_ALIKE_INITIALS = (("ch", "tr"), ("s", "x"), ("gi", "d"), ("gi", "r"), ("d", "r"), ("l", "n"))
# Read into a stop word only ch/tr: "đã" (da) must not become "già" (gia).
_STOP_WORD_ALIKE_INITIALS = (("ch", "tr"),)


def sound_alikes(
    token: str, initials: tuple[tuple[str, str], ...] = _SOUND_ALIKE_INITIALS
) -> tuple[str, ...]:
    """`token` with its initial consonant swapped for each one spelt alike."""
    out: list[str] = []
    for first, second in initials:
        for this, that in ((first, second), (second, first)):
            rest = token[len(this) :]
            if token.startswith(this) and rest:
                out.append(that + rest)
    return tuple(dict.fromkeys(out))


def _kept_stop_word(tokens: list[str], index: int, pairs: frozenset[tuple[str, str]]) -> str | None:
    """The stop word at `index` (or a sound-alike) when it continues a catalog name there
    ("tạm vắng", "tặng cho", "tạm chú" for "tạm trú"); never a leading verb ("làm")."""
    if index == 0:
        return None
    before, token = tokens[index - 1], tokens[index]
    for candidate in (token, *sound_alikes(token, _STOP_WORD_ALIKE_INITIALS)):
        if (before, candidate) in pairs:
            return candidate
    return None


def _without_fillers(
    tokens: list[str], pairs: frozenset[tuple[str, str]], keep_stop_words: bool
) -> list[str]:
    kept: list[str] = []
    index = 0
    while index < len(tokens):
        for size in range(min(_MAX_PHRASE, len(tokens) - index), 1, -1):
            if tuple(tokens[index : index + size]) in _STOP_PHRASES:
                index += size
                break
        else:
            token = tokens[index]
            if token not in _STOP_WORDS:
                kept.append(token)
            elif keep_stop_words:
                kept.append(token)  # a name's own word: "tạm vắng", "thu hồi"
            elif (rescued := _kept_stop_word(tokens, index, pairs)) is not None:
                kept.append(rescued)
            index += 1
    return kept


def words(
    text: str | list[str],
    *,
    pairs: frozenset[tuple[str, str]] = frozenset(),
    keep_stop_words: bool = False,
) -> list[str]:
    """The folded, expanded words of `text` that can name a procedure, in order.

    A stop word stays when, with the word before it, it forms one of `pairs` (consecutive
    words of catalog names): "vắng" is "vâng" (yes) folded, but in "tạm vắng" it is the name.
    Catalog names themselves are read with `keep_stop_words`: their stop words stay part
    of the name ("thu hồi giấy phép" is not "giấy phép"), and weigh less there.
    """
    typed = tokens(text) if isinstance(text, str) else text  # or a message's `tokens`
    return _without_fillers(typed, pairs, keep_stop_words)


def tokens(text: str) -> list[str]:
    """Every folded, expanded word of `text` (its first `MAX_CHARS`), fillers kept; a
    number without its leading zeros ("mức độ 02" is "mức 2")."""
    typed = _NON_WORD.sub(" ", fold(text[:MAX_CHARS])).split()
    return _expanded([t.lstrip("0") or "0" if t.isdigit() else t for t in typed])


def is_stop_word(token: str) -> bool:
    """True for words that alone never name a procedure ("cho", "vang", "chu")."""
    return token in _STOP_WORDS


def national_codes(text: str) -> list[str]:
    """National procedure codes typed in `text` ("1.001193", also "1.001193.000.00.00.H37")."""
    return _CODE.findall(text[:MAX_CHARS])
