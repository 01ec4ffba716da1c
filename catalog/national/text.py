"""Make the portal's long texts fit a chat or an SMS: clip, first sentences, short steps.

The record's texts carry list markers ("- ", "+ ", "(i)", "a)") inside one string and
whole paragraphs per step. Answers show a few short numbered steps instead. Since
1 July 2025 there is no district level: a sentence that still sends a citizen to a
"cấp huyện" office is dropped from what is shown (the record itself is kept as is).
"""

from __future__ import annotations

import re

__all__ = ["clip", "drop_district", "first_sentences", "sentence", "short_steps", "MAX_STEPS"]

MAX_STEPS = 7
STEP_CHARS = 170
_DISTRICT = re.compile(r"cấp huyện|huyện,|quận, huyện", re.IGNORECASE)
_MARKER = re.compile(
    r"^\s*(?:[-+•*.]+|\(?[ivx]+\)|\(?[a-zđ]\)|\(?\d+(?:\.\d+)*[.)])\s*", re.IGNORECASE
)
_STEP_HEAD = re.compile(r"^\s*bước\s*\d+\s*[:.\-–]?\s*", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+")
_EMPTY = frozenset({"mặc định", "bước", "nộp hồ sơ:", "trình tự thực hiện"})
_SUB_ITEM = re.compile(r"^\s*(?:[+]|\(?[ivx]+\)|\(?[a-zđ]\))\s", re.IGNORECASE)


def clip(text: str, limit: int) -> str:
    """`text` on one line, cut at a word boundary to at most `limit` characters."""
    text = " ".join(text.replace("\xa0", " ").split())
    text = _MARKER.sub("", text, count=1).strip()
    if len(text) <= limit:
        return text.rstrip(" ;,:")
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ;,:(") + "…"


def sentence(text: str) -> str:
    """`text` ended with one full stop, whatever stops it had (a clipped text keeps its "…")."""
    text = text.rstrip(". ")
    return text if text.endswith(("…", "!", "?")) else text + "."


def drop_district(text: str) -> str:
    """`text` without the sentences that name a district-level ("cấp huyện") office."""
    if not _DISTRICT.search(text):
        return text
    kept = [part for part in _SENTENCE_END.split(text) if not _DISTRICT.search(part)]
    return " ".join(kept)


def first_sentences(text: str, limit: int) -> str:
    """The first sentences of `text` that fit in `limit` characters (at least a clipped one)."""
    text = drop_district(" ".join(text.replace("\xa0", " ").split()))
    shown = ""
    for sentence in _SENTENCE_END.split(text):
        if shown and len(shown) + 1 + len(sentence) > limit:
            break
        shown = f"{shown} {sentence}".strip()
    return clip(shown, limit)


def _step_lines(text: str) -> list[str]:
    """Top-level items of one step text: its lines and "Bước n" parts, sub-items dropped."""
    text = re.sub(r"(?i)\s*(?=bước\s*\d+\s*[:.])", "\n", text.replace("\t", " "))
    items = []
    for line in text.split("\n"):
        if not line.strip() or _SUB_ITEM.match(line):
            continue
        items.append(_STEP_HEAD.sub("", line))
    return items


def short_steps(texts: tuple[str, ...] | list[str], limit: int = MAX_STEPS) -> list[str]:
    """The steps as short lines (first sentences, no list markers), at most `limit`."""
    steps: list[str] = []
    for text in texts:
        for item in _step_lines(text):
            line = first_sentences(_MARKER.sub("", item, count=1), STEP_CHARS)
            if len(line) > 3 and line.casefold() not in _EMPTY and not _DISTRICT.search(line):
                steps.append(line[0].upper() + line[1:])
    return steps[:limit]
