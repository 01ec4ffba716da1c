"""Procedures replaced by others: an old code resolves to its successor, with the cause.

A small cited table, kept by hand: the national list of 2026-07-18 no longer holds the
old land codes, and the bundles were replaced after it (provincial decisions of
September 2026). Sources: `../shared/data/national-portal-2026-07/README.md` ("Known
changes after the snapshot") and the 2026-12 fact check (`../shared/domain/FACTS.md`).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Replacement", "REPLACEMENTS", "successor_of", "current_code"]


@dataclass(frozen=True)
class Replacement:
    """`old` was replaced by `new`; `decision` says by what."""

    old: str
    new: str
    decision: str


_BUNDLES = "quyết định công bố thủ tục hành chính của UBND tỉnh, tháng 9/2026"
_LAND = (
    "Nghị định 151/2025/NĐ-CP (phân cấp đất đai cho cấp xã) và danh mục thủ tục công bố lại "
    "trên Cổng Dịch vụ công quốc gia"
)

REPLACEMENTS: dict[str, Replacement] = {
    item.old: item
    for item in (
        Replacement("2.000986", "3.000722", _BUNDLES),
        Replacement("2.002622", "2.002913", _BUNDLES),
        Replacement("1.012814", "1.013978", _LAND),
        Replacement("1.012765", "1.013831", _LAND),
    )
}


def successor_of(code: str) -> Replacement | None:
    """The replacement of `code`, or None when `code` is current."""
    return REPLACEMENTS.get(code)


def current_code(code: str) -> str:
    """`code`'s successor when it was replaced (followed to the end), else `code`."""
    seen = {code}
    while (replacement := REPLACEMENTS.get(code)) is not None and replacement.new not in seen:
        code = replacement.new
        seen.add(code)
    return code
