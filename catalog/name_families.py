"""Which official names are one procedure, and which of their words tell little.

Over all 5,670 national names: a word in many of them ("thực hiện", "điều chỉnh") tells
little, so a name opening with a list of such actions is named by what follows; and a
name published again under the same words (a province's copy of a land procedure, the
level in brackets aside) is one procedure, answered by its most popular holder.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable

from catalog.queries import ProcedureNames
from catalog.textnorm import words

__all__ = [
    "COMMON_WORD_SHARE",
    "answering_codes",
    "common_words",
    "default_positions",
    "listed_actions",
    "repeated_pairs",
    "same_procedure_key",
]

# A name opening with a list of actions ("Thực hiện, điều chỉnh, thôi hưởng trợ cấp hưu trí
# xã hội", "Đổi, cấp lại Giấy xác nhận khuyết tật") is named by what follows: the listed
# actions weigh like a leading stop word when each of their words is common among all
# official names (in at least this share of them), so "tách" of "Tách thửa, hợp thửa"
# keeps its weight.
COMMON_WORD_SHARE = 0.02
# A pair of common words may still tell ("hưu trí", "thoát nghèo", "tranh chấp"): one in
# fewer than this share of the names does ("cấp lại", "nước ngoài", "nhà ở" do not).
COMMON_PAIR_SHARE = 0.01
LISTED_ACTION_WORDS = 2  # an item of that list has at most this many words


def common_words(names: Iterable[str]) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """Words in at least `COMMON_WORD_SHARE` of `names` (the official names), and pairs
    of consecutive words in at least `COMMON_PAIR_SHARE` of them."""
    counts: dict[str, int] = {}
    pair_counts: dict[tuple[str, str], int] = {}
    total = 0
    for name in names:
        total += 1
        read = words(name, keep_stop_words=True)
        for token in set(read):
            counts[token] = counts.get(token, 0) + 1
        for pair in set(itertools.pairwise(read)):
            pair_counts[pair] = pair_counts.get(pair, 0) + 1
    least, least_pair = COMMON_WORD_SHARE * max(1, total), COMMON_PAIR_SHARE * max(1, total)
    return (
        frozenset(t for t, n in counts.items() if n >= least),
        frozenset(p for p, n in pair_counts.items() if n >= least_pair),
    )


def listed_actions(text: str, common: frozenset[str]) -> int:
    """How many leading words of `text` are a list of common actions before its object:
    1 in "Đổi, cấp lại Giấy xác nhận khuyết tật", 4 in "Thực hiện, điều chỉnh, thôi
    hưởng trợ cấp hưu trí xã hội" (the last item holds the object, so it stays)."""
    items = text.split(",")
    count = 0
    for item in items[:-1]:
        read = words(item, keep_stop_words=True)
        if not 0 < len(read) <= LISTED_ACTION_WORDS or not all(t in common for t in read):
            break
        count += len(read)
    return count


# Words a name spells out for what a citizen means when saying nothing ("cấp mới", "đăng ký
# thuế lần đầu"): untyped, they cost a name little, so "cấp chứng chỉ hành nghề xây dựng"
# is the first certificate, not "cấp lại" of it.
DEFAULT_WORDS = (("moi",), ("lan", "dau"))


def repeated_pairs(tokens: tuple[str, ...]) -> set[int]:
    """Positions of the words of a pair of consecutive words already seen earlier."""
    seen: set[tuple[str, str]] = set()
    repeated: set[int] = set()
    for index, pair in enumerate(itertools.pairwise(tokens)):
        if pair in seen:
            repeated.update((index, index + 1))
        seen.add(pair)
    return repeated


def default_positions(tokens: tuple[str, ...]) -> set[int]:
    """Positions of `DEFAULT_WORDS` in a name (never its first word)."""
    found: set[int] = set()
    for index in range(1, len(tokens)):
        for phrase in DEFAULT_WORDS:
            if tokens[index : index + len(phrase)] == phrase:
                found.update(range(index, index + len(phrase)))
    return found


_LEVEL_QUALIFIER = re.compile(r"\((?:thực hiện )?(?:tại )?cấp (?:xã|tỉnh|huyện|trung ương)\)")
_NAME_WORD = re.compile(r"\w+")
_NAME_LINKS = frozenset({"hoặc", "và"})  # "Tách thửa hoặc hợp thửa đất", "Tách thửa, hợp thửa"


def same_procedure_key(name: str) -> frozenset[str]:
    """What makes two official names the same procedure published twice: their words,
    diacritics kept ("cấp lại giấy phép lái xe" is not "cấp giấy phép lái xe"), but for
    links and the level ("Đính chính ... có sai sót (Cấp xã)")."""
    text = _LEVEL_QUALIFIER.sub(" ", unicodedata.normalize("NFC", name).lower())
    return frozenset(word for word in _NAME_WORD.findall(text) if word not in _NAME_LINKS)


def answering_codes(procedures: list[ProcedureNames]) -> dict[str, str]:
    """Code -> the code that answers for it: among procedures with the same name (land
    procedures each province published again), the most popular one (the local layer's,
    else the commune-level standard record, `catalog.popularity`)."""
    owners: dict[frozenset[str], str] = {}
    answering: dict[str, str] = {}
    for p in sorted(procedures, key=lambda p: (-p.popularity, len(p.name), p.code)):
        key = same_procedure_key(p.name)
        answering[p.code] = owners.setdefault(key, p.code) if key else p.code
    return answering
