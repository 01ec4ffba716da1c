"""Find and canonicalise dossier codes (mã hồ sơ) in free text.

The national format (Thông tư 01/2018/TT-VPCP, Điều 19) is
`V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX`: the receiving unit's code, the receipt date and a
4-digit sequence restarting each day, e.g. `000.00.06.H56-231027-0361`. People type it
in any case, with spaces instead of dots and dashes, or with no separators at all.

Standard library only (the Rasa environment, Python 3.10, may import this module).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import NamedTuple

__all__ = [
    "CODE_FORMAT",
    "EXAMPLE_CODE",
    "CodeSpan",
    "InvalidDossierCode",
    "canonicalize",
    "find_dossier_code",
    "find_dossier_code_spans",
    "find_dossier_codes",
    "is_canonical",
    "looks_like_code_but_invalid",
    "strip_dossier_codes",
]

EXAMPLE_CODE = "000.00.06.H56-231027-0361"
CODE_FORMAT = "mã đơn vị (000.00.06.H56) - ngày tiếp nhận (YYMMDD) - số thứ tự (4 chữ số)"

# Characters people put between the groups: dots, dashes of every kind, spaces, slashes.
_SEP = r"[\s.\-_/\u2010-\u2015\u2212]{0,3}"
_STRICT = re.compile(
    rf"(?<!\d)(\d{{3}}){_SEP}(\d{{2}}){_SEP}(\d{{2}}){_SEP}([A-Za-z]){_SEP}(\d{{2}})"
    rf"{_SEP}(\d{{6}}){_SEP}(\d{{4}})(?!\d)",
    re.ASCII,
)
# Something code-shaped: digits, one letter, digits (separators allowed in between).
_SEP_CHARS = r"\s.\-_/\u2010-\u2015\u2212"
_LOOSE = re.compile(rf"(?<![\dA-Za-z])\d[\d{_SEP_CHARS}]*[A-Za-z][\d{_SEP_CHARS}]*\d", re.ASCII)
_CANONICAL = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4}$")


class InvalidDossierCode(ValueError):
    """The text is not a dossier code in the national format."""


class CodeSpan(NamedTuple):
    """A dossier code found in a message: canonical value and where its raw text was."""

    value: str
    start: int
    end: int
    text: str


def _prepare(text: str) -> str:
    # NFKC turns full-width digits and letters into ASCII; lengths may change, which is
    # fine because callers get canonical codes back, not offsets.
    return unicodedata.normalize("NFKC", text)


def _valid_date(yymmdd: str) -> bool:
    try:
        date(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:]))
    except ValueError:
        return False
    return True


def _from_match(match: re.Match[str]) -> str | None:
    unit_a, unit_b, unit_c, letter, unit_d, received, sequence = match.groups()
    if not _valid_date(received) or sequence == "0000":
        return None
    return f"{unit_a}.{unit_b}.{unit_c}.{letter.upper()}{unit_d}-{received}-{sequence}"


def find_dossier_codes(text: str) -> list[str]:
    """All valid dossier codes in `text`, canonical, in order of appearance, no repeats."""
    found: list[str] = []
    for span in find_dossier_code_spans(text):
        if span.value not in found:
            found.append(span.value)
    return found


def find_dossier_code_spans(text: str) -> list[CodeSpan]:
    """Every valid dossier code in `text` with its offsets in `text` (entity extraction).

    Each character is normalised on its own, so offsets map back to the original text
    even where NFKC changes lengths (full-width digits stay one character each).
    """
    prepared: list[str] = []
    origin: list[int] = []  # origin[i]: index in `text` of prepared character i
    for index, character in enumerate(text):
        normalised = unicodedata.normalize("NFKC", character)
        prepared.append(normalised)
        origin += [index] * len(normalised)
    spans: list[CodeSpan] = []
    for match in _STRICT.finditer("".join(prepared)):
        code = _from_match(match)
        if code is not None:
            start, end = origin[match.start()], origin[match.end() - 1] + 1
            spans.append(CodeSpan(code, start, end, text[start:end]))
    return spans


def find_dossier_code(text: str) -> str | None:
    """The first valid dossier code in `text`, canonical, or None."""
    codes = find_dossier_codes(text)
    return codes[0] if codes else None


def strip_dossier_codes(text: str) -> str:
    """`text` with every code-shaped run blanked out (to look for other numbers in it)."""
    prepared = _prepare(text)
    prepared = _STRICT.sub(" ", prepared)
    return _LOOSE.sub(" ", prepared)


def canonicalize(code: str) -> str:
    """The canonical form of a code typed by a person; raises InvalidDossierCode."""
    prepared = _prepare(code).strip()
    match = _STRICT.fullmatch(prepared)
    canonical = _from_match(match) if match else None
    if canonical is None:
        raise InvalidDossierCode(
            f"{code!r} is not a dossier code; expected {CODE_FORMAT}, e.g. {EXAMPLE_CODE}"
        )
    return canonical


def is_canonical(code: str) -> bool:
    """True when `code` is already in the canonical national form with a real date."""
    return bool(_CANONICAL.match(code)) and _valid_date(code[14:20]) and code[-4:] != "0000"


def looks_like_code_but_invalid(text: str) -> bool:
    """True when `text` holds something code-shaped but no valid code (a near miss).

    Near misses: a digit too many or too few, an impossible date, sequence 0000. Used to
    answer with the format and an example instead of a generic "I did not understand".
    """
    prepared = _prepare(text)
    if find_dossier_codes(prepared):
        return False
    for match in _LOOSE.finditer(prepared):
        compact = re.sub(r"[^\dA-Za-z]", "", match.group())
        head, _, tail = compact.partition(next(c for c in compact if c.isalpha()))
        if 5 <= len(head) <= 9 and 8 <= len(tail) <= 15:
            return True
    return False
