"""Short forms of national procedure names: what a citizen would call the procedure.

National names are long: "Cấp giấy phép xây dựng sửa chữa, cải tạo đối với công trình
cấp III, cấp IV (công trình Không theo tuyến/...)". A citizen says the head, "giấy phép
sửa chữa cải tạo". Matching a short message against the whole name would cover a small
part of it; the head (cut at the first qualifier: a parenthesis, "đối với", "tại", "cho",
"trong trường hợp", "trực tuyến", ...) is matched as well, a little below the name itself.
"""

from __future__ import annotations

import re

from catalog.textnorm import GENERIC, is_stop_word, words
from vntext import fold

__all__ = ["short_forms"]

_PARENTHESIS = re.compile(r"[(;:]")
_LIST = re.compile(r",")  # "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh"
_LEVEL_ENDING = re.compile(r"\s+(?:thuc hien )?(?:tai )?cap (?:xa|tinh|trung uong|huyen)\s*$")
# Where the qualifiers of a name begin (folded, as whole words).
_QUALIFIERS = re.compile(
    r"\b(doi voi|thuoc tham quyen|trong|thuc hien tai|thuc hien bang|theo|giua|"
    r"tu ban chinh|o nuoc ngoai|"
    r"khi|do bi|sau khi|truoc ngay|cho(?! thue| phep| vay| y kien)|ma(?! so)|va|"
    r"tai (?:co quan|khu vuc|cap|bo|cuc|so|ubnd|uy ban|viet nam|nuoc ngoai|cong an))\b"
)
_DANGLING = frozenset({"o", "tai", "cua", "cho", "va", "ve", "de", "voi", "la", "cac", "hoac"})
_MIN_CONTENT_WORDS = 3  # a head names something: not "xác nhận" alone
_MIN_LIST_WORDS = 4  # before a comma, more: "Thông báo tăng, giảm vốn góp" is not "thông báo tăng"


def _inside_name(read: list[str], i: int) -> bool:
    """A stop word after a content word, not a linking one ("của", "cho"): part of the name."""
    return i > 0 and read[i] not in _DANGLING and not is_stop_word(read[i - 1])


def _cut(text: str, end: int, least: int = _MIN_CONTENT_WORDS) -> str | None:
    head = text[:end].strip(" ,.-/").split()
    while head and head[-1] in _DANGLING:  # "cấp hộ chiếu phổ thông ở (trong nước)"
        head.pop()
    # Stop words dropped, but for one inside the name after a content word: "chữ" of
    # "chứng thực chữ ký" (folded "chu", also the particle "chứ") names something there.
    read = words(" ".join(head), keep_stop_words=True)
    content = [
        w
        for i, w in enumerate(read)
        if w not in GENERIC and (not is_stop_word(w) or _inside_name(read, i))
    ]
    return " ".join(head) if len(content) >= least else None


def short_forms(name: str) -> list[str]:
    """Heads of `name` (folded), longest first; empty when the name has no qualifier."""
    folded = " ".join(fold(name).split())
    forms: list[str] = []
    base = folded
    bracket = _PARENTHESIS.search(folded)
    if bracket is not None and (head := _cut(folded, bracket.start())) is not None:
        forms.append(head)
        base = head
    for qualifier in _QUALIFIERS.finditer(base):
        if (head := _cut(base, qualifier.start())) is not None:
            forms.append(head)
            break
    for pattern, least in ((_LIST, _MIN_LIST_WORDS), (_LEVEL_ENDING, _MIN_CONTENT_WORDS)):
        found = pattern.search(base)
        if found is not None and (head := _cut(base, found.start(), least)) is not None:
            forms.append(head)
    return [form for form in dict.fromkeys(forms) if form != folded]
