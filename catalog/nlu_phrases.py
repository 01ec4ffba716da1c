"""Which procedure names the generated NLU examples ask about (`catalog.nlu_gen`).

The province's aliases the hand-written data does not name yet, and the heads of national
names a citizen could type, chosen by popularity across the portal's domains; none that
sits inside an out_of_scope example (it would teach both intents).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from catalog.loader import CONTENT_DIR, load_content
from catalog.name_forms import short_forms
from catalog.national.export import NationalExport
from catalog.national.records import CheckedProcedure, check_procedure
from catalog.popularity import default_popularity
from vntext import fold, normalize_spaces

__all__ = [
    "Phrase",
    "citizen_head",
    "collides",
    "interleave",
    "local_phrases",
    "national_phrases",
    "utterance_key",
]

CITIZEN = "Công dân Việt Nam"
_MIN_WORDS, _MAX_WORDS = 2, 8
_LEADING = re.compile(r"^(?:thủ tục|thu tuc)\s+", re.IGNORECASE)
_MARKUP = re.compile(r"\[([^\]]+)\]\([^)]+\)")
# Where a name's qualifier begins, with diacritics: name_forms cuts folded names, where
# "khí" of "vũ khí" reads as "khi" and "trọng" of "tải trọng" as "trong".
_QUALIFIER_WORDS = frozenset(
    {"đối", "thuộc", "trong", "thực", "theo", "giữa", "từ", "ở", "khi", "do", "sau", "trước"}
    | {"cho", "mà", "và", "tại", "cấp"}
)
_PUNCT = re.compile(r"[^\w\s]")


@dataclass(frozen=True)
class Phrase:
    """A name a citizen may use for procedure `code` (lowercase, with diacritics)."""

    text: str
    code: str


def utterance_key(text: str) -> str:
    """How two utterances compare: no markup, folded, no punctuation, spaces collapsed."""
    return normalize_spaces(_PUNCT.sub(" ", fold(_MARKUP.sub(r"\1", text))))


def _accented_head(name: str, folded_head: str) -> str:
    """`folded_head` (a prefix of the folded name) with the name's own diacritics back."""
    nfc = normalize_spaces(unicodedata.normalize("NFC", name))
    # fold() maps each NFC character to one character: offsets carry over.
    return nfc[: len(folded_head)]


def citizen_head(name: str) -> str | None:
    """The shortest plain head of a national name a citizen could type, or None."""
    nfc = normalize_spaces(unicodedata.normalize("NFC", name))
    forms = [fold(nfc), *short_forms(nfc)]
    heads = []
    for form in forms:
        rest = nfc[len(form) :].split()
        if rest and rest[0][0] not in "(,;:" and rest[0].lower() not in _QUALIFIER_WORDS:
            continue  # cut inside a word's folded look-alike: "khai báo vũ" (khí)
        head = _LEADING.sub("", _accented_head(nfc, form)).lower().strip(" ,.;")
        if re.search(r"[,;()/\"“”]", head):  # lists and qualifiers read like a register
            continue
        if _MIN_WORDS <= len(head.split()) <= _MAX_WORDS:
            heads.append(head)
    return min(heads, key=lambda h: (len(h.split()), h)) if heads else None


def collides(phrase: str, avoided: Sequence[str]) -> bool:
    """A name within an out_of_scope example (or one inside the name) would teach both."""
    key = f" {utterance_key(phrase)} "
    words = set(key.split())
    return any(f" {other} " in key or words <= set(other.split()) for other in avoided)


def local_phrases(avoided: Sequence[str], known: Iterable[str] = ()) -> list[Phrase]:
    """The province's aliases the hand-written data does not name yet, most popular first."""
    skipped = set(avoided) | set(known)
    entries = sorted((e.entry for e in load_content(CONTENT_DIR)), key=lambda e: e.code)
    entries.sort(key=lambda e: -(e.popularity or 0))
    return [
        Phrase(normalize_spaces(alias.lower()), entry.code)
        for entry in entries
        for alias in entry.aliases
        if utterance_key(alias) not in skipped and not collides(alias, avoided)
    ]


def national_phrases(
    export: NationalExport, avoided: Sequence[str], known: Iterable[str] = ()
) -> list[Phrase]:
    """Heads of the names of procedures citizens file: half of them from the full records
    (land, civil status, construction, residence: what a commune office handles most),
    half from the whole list, spread across its 280 domains.

    Within a domain (the portal's category) by popularity; across domains, a domain with
    `c` procedures gets its r-th name (from 1) at r / sqrt(c): land comes up far more
    often than civil aviation, but every domain comes up.
    """
    detailed: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    listed: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for code in sorted(export.listing):
        checked = check_procedure(code, export.listing[code], export.details.get(code))
        if not isinstance(checked, CheckedProcedure) or not _for_citizens(checked):
            continue
        popularity = default_popularity(
            name=checked.name,
            level=checked.fields.get("level"),
            kind=checked.fields.get("type"),
            detailed=checked.detailed,
        )
        head = citizen_head(checked.name)
        if head is None or popularity <= 1 or collides(head, avoided):
            continue
        category = (checked.fields.get("categories") or [""])[0]
        (detailed if checked.detailed else listed)[category].append(
            (popularity, code.strip(), head)
        )
    full, other = _spread(detailed), _spread(listed)
    common = min(len(full), len(other))
    phrases = [p for pair in zip(full, other, strict=False) for p in pair]
    phrases += full[common:] + other[common:]
    seen = set(known)  # names the hand-written data already asks about
    unique = []
    for phrase in phrases:
        if utterance_key(phrase.text) not in seen:
            seen.add(utterance_key(phrase.text))
            unique.append(phrase)
    return unique


def _spread(by_category: dict[str, list[tuple[int, str, str]]]) -> list[Phrase]:
    """(popularity, code, head) by domain → one list, most popular first, domains mixed."""
    ranked: list[tuple[float, int, str, str]] = []
    for members in by_category.values():
        members.sort(key=lambda m: (-m[0], m[1]))
        weight = math.sqrt(len(members))
        ranked += [
            ((rank + 1) / weight, -pop, code, head)
            for rank, (pop, code, head) in enumerate(members)
        ]
    return [Phrase(head, code) for _, _, code, head in sorted(ranked)]


def _for_citizens(checked: CheckedProcedure) -> bool:
    return checked.fields.get("type") != "STANDARD_INTERNAL" and CITIZEN in (
        checked.fields.get("target") or []
    )


def interleave(first: Sequence[Phrase], second: Sequence[Phrase]) -> list[Phrase]:
    """Both lists mixed evenly, so every intent gets aliases and national names alike."""
    total = len(first) + len(second)
    marks = sorted(
        [((i + 0.5) / len(first), 0, i) for i in range(len(first))]
        + [((i + 0.5) / len(second), 1, i) for i in range(len(second))]
    )
    return [(first if side == 0 else second)[i] for _, side, i in marks][:total]
