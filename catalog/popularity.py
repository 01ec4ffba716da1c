"""How likely a citizen at a commune one-stop office means a national procedure.

The province's local layer (catalog/content/) sets popularity for the procedures it
knows (15-100). Every other national procedure gets a default below those, from what
the record says about who handles it: a commune office mostly handles commune-level
procedures, so among records sharing a name the commune-level one comes first, then the
one published without a level, then the province's, then a ministry's. A
province-specific record (published by one province for itself) ranks below the
standard one of the same level.
"""

from __future__ import annotations

from vntext import fold

__all__ = ["LOCAL_FLOOR", "default_popularity", "level_from_name"]

LOCAL_FLOOR = 15  # the local layer's lowest popularity; defaults stay below it

_LEVEL_POPULARITY = {
    "commune": 8,
    "": 5,
    "other": 4,
    "province": 3,
    "ministry": 1,
    "abroad": 1,
    "gone": 0,
}
_DETAILED_BONUS = 3  # a full record answers all six questions
_SPECIFIC_PENALTY = 2  # published by one province for itself

# Qualifiers the portal appends to names: "(thực hiện tại cấp tỉnh)", "(Cấp xã)".
_NAME_LEVELS = (
    ("cap xa", "commune"),
    ("cap tinh", "province"),
    ("cap trung uong", "ministry"),
    ("cap huyen", "gone"),  # no district level since 1 July 2025
)


_ABROAD = "co quan dai dien"  # filed at an embassy or consulate


def level_from_name(name: str) -> str:
    """The level a listed procedure's name states ("(thực hiện tại cấp tỉnh)"), or ""."""
    folded = fold(name).lower()
    if _ABROAD in folded:
        return "abroad"
    # "(thực hiện tại cấp tỉnh)", or a plain ending: "thông báo tổ chức lễ hội cấp xã".
    tail = folded[folded.rfind("(") :] if "(" in folded else " ".join(folded.split()[-3:])
    for marker, level in _NAME_LEVELS:
        if marker in tail:
            return level
    return ""


def default_popularity(*, name: str, level: str | None, kind: str | None, detailed: bool) -> int:
    """Popularity of a national procedure the local layer does not rank (0-11)."""
    stated = level_from_name(name) if level in (None, "", "other") else level
    stated = stated or (level or "")
    value = _LEVEL_POPULARITY.get(stated, _LEVEL_POPULARITY[""])
    if detailed:
        value += _DETAILED_BONUS
    if kind == "SPECIFIC":
        value -= _SPECIFIC_PENALTY
    return max(0, min(value, LOCAL_FLOOR - 1))
