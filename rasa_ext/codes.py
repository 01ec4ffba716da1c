"""Recognise dossier codes and national procedure codes in the shapes people type.

Pure Python (no rasa import) so the gateway's tests can use it too.

Dossier code (TT 01/2018/TT-VPCP): `V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX`, e.g.
`000.00.06.H56-231027-0361`; typed as `000 00 06 h56 231027 0361`,
`0000006H562310270361`, with dots missing or spaces around the dashes.
National procedure code: `1.001193`; a province's entry `1.001193.000.00.00.H37`
names the same procedure.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = [
    "DOSSIER_CODE_PATTERN",
    "PROCEDURE_CODE_PATTERN",
    "CodeMatch",
    "find_dossier_codes",
    "find_procedure_codes",
    "normalize_dossier_code",
]

_SEP = r"[\s.\-_/]*"
DOSSIER_CODE_PATTERN = (
    r"(?<![0-9A-Za-z])(\d{3})"
    + _SEP
    + r"(\d{2})"
    + _SEP
    + r"(\d{2})"
    + _SEP
    + r"([A-Za-z])\s*(\d{2})"
    + _SEP
    + r"(\d{6})"
    + _SEP
    + r"(\d{4})(?![0-9A-Za-z])"
)
PROCEDURE_CODE_PATTERN = (
    r"(?<![\d.])([12])\.(\d{6})(?:\.\d{3}\.\d{2}\.\d{2}\.[A-Za-z]\d{2})?(?![\d])"
)
_DOSSIER = re.compile(DOSSIER_CODE_PATTERN)
_PROCEDURE = re.compile(PROCEDURE_CODE_PATTERN)


class CodeMatch(NamedTuple):
    """A code found in a message: canonical value and where the raw text was."""

    value: str
    start: int
    end: int
    text: str


def _canonical_dossier(match: re.Match[str]) -> str:
    v, z, y, m, x, date, seq = match.groups()
    return f"{v}.{z}.{y}.{m.upper()}{x}-{date}-{seq}"


def normalize_dossier_code(text: str) -> str | None:
    """The canonical form of a dossier code typed in any common shape, else None."""
    match = _DOSSIER.fullmatch(text.strip())
    return _canonical_dossier(match) if match else None


def find_dossier_codes(text: str) -> list[CodeMatch]:
    """Every dossier code in a message, canonicalised."""
    return [
        CodeMatch(_canonical_dossier(m), m.start(), m.end(), m.group(0))
        for m in _DOSSIER.finditer(text)
    ]


def find_procedure_codes(text: str) -> list[CodeMatch]:
    """Every national procedure code (`1.001193`) in a message."""
    return [
        CodeMatch(f"{m.group(1)}.{m.group(2)}", m.start(), m.end(), m.group(0))
        for m in _PROCEDURE.finditer(text)
    ]
