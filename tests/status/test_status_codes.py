"""Dossier codes in free text: found in every shape people type, near misses flagged."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from status_client.codes import (
    EXAMPLE_CODE,
    InvalidDossierCode,
    canonicalize,
    find_dossier_code,
    find_dossier_codes,
    is_canonical,
    looks_like_code_but_invalid,
)

CANONICAL = "000.00.06.H56-231027-0361"


@pytest.mark.parametrize(
    "text",
    [
        "hồ sơ 000.00.06.h56-231027-0361 của tôi",
        "000 00 06 H56 231027 0361",
        "0000006H56-231027-0361",
        "0000006h562310270361",
        "Mã hồ sơ:000.00.06.H56–231027–0361, đến đâu rồi?",
        "tra cuu ho so 000.00.06.H56 - 231027 - 0361 giup em",
        "０００.００.０６.Ｈ５６-２３１０２７-０３６１",  # full-width, from some phone keyboards
    ],
)
def test_codes_are_found_in_the_shapes_people_type(text: str) -> None:
    assert find_dossier_code(text) == CANONICAL


@pytest.mark.parametrize(
    "text",
    [
        "000.00.06.H56-231027-036",  # a digit short
        "000.00.06.H56-231027-03611",  # a digit too many
        "00.00.06.H56-231027-0361",
        "000.00.06.H56-231327-0361",  # month 13
        "000.00.06.H56-231027-0000",  # sequences start at 0001
        "hồ sơ 000.00.06.H56-2310270-361 của tôi",
    ],
)
def test_near_misses_are_rejected_and_recognised(text: str) -> None:
    assert find_dossier_codes(text) == []
    assert looks_like_code_but_invalid(text)


@pytest.mark.parametrize(
    "text", ["thủ tục khai sinh cần gì", "ngày 12 tháng 3 năm 2024", "gọi 0905123456", ""]
)
def test_ordinary_text_is_neither_code_nor_near_miss(text: str) -> None:
    assert find_dossier_code(text) is None
    assert not looks_like_code_but_invalid(text)


def test_several_codes_in_order_without_repeats() -> None:
    text = f"hs 000.17.22.H56-210531-0001 và {CANONICAL}, lại {CANONICAL.lower()}"
    assert find_dossier_codes(text) == ["000.17.22.H56-210531-0001", CANONICAL]


def test_canonicalize_accepts_one_code_and_rejects_the_rest() -> None:
    assert canonicalize(" 000 00 06 h56 231027 0361 ") == CANONICAL
    assert is_canonical(EXAMPLE_CODE)
    with pytest.raises(InvalidDossierCode, match="YYMMDD"):
        canonicalize("000.00.06.H56-231027")


def test_codes_module_needs_no_third_party_package() -> None:
    probe = (
        "import sys; import status_client.codes; "
        "bad = {'httpx', 'pydantic', 'fastapi'} & set(sys.modules); assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", probe], check=True)


_unit = st.tuples(
    st.integers(0, 999), st.integers(0, 99), st.integers(0, 99),
    st.sampled_from("ABGHKXT"), st.integers(0, 99),
)  # fmt: skip
_receipt = st.dates(date(2015, 1, 1), date(2039, 12, 31))
_sequence = st.integers(1, 9999)
_separator = st.sampled_from(["", ".", " ", "-", " - ", "–", "_", "/"])
_around = st.sampled_from(["", "hồ sơ ", "Mã HS: ", "cho mình hỏi hs ", "tra cứu "])
_after = st.sampled_from(["", " của tôi", " đến đâu rồi?", ".", " ạ", "!"])


@given(
    unit=_unit, receipt=_receipt, sequence=_sequence, seps=st.lists(_separator, min_size=6,
    max_size=6), upper=st.booleans(), before=_around, after=_after,
)  # fmt: skip
def test_any_typed_shape_gives_the_canonical_code(
    unit: tuple[int, int, int, str, int],
    receipt: date,
    sequence: int,
    seps: list[str],
    upper: bool,
    before: str,
    after: str,
) -> None:
    a, b, c, letter, d = unit
    canonical = f"{a:03d}.{b:02d}.{c:02d}.{letter}{d:02d}-{receipt:%y%m%d}-{sequence:04d}"
    groups = [f"{a:03d}", f"{b:02d}", f"{c:02d}", letter if upper else letter.lower()]
    typed = "".join(g + s for g, s in zip(groups, seps[:3] + [""], strict=True))
    typed += f"{d:02d}{seps[3]}{receipt:%y%m%d}{seps[4]}{sequence:04d}"
    assert is_canonical(canonical)
    assert find_dossier_codes(before + typed + after) == [canonical]
    assert canonicalize(typed) == canonical


@given(unit=_unit, receipt=_receipt, sequence=_sequence, drop=st.integers(0, 18))
def test_a_dropped_digit_is_a_near_miss_never_a_code(
    unit: tuple[int, int, int, str, int], receipt: date, sequence: int, drop: int
) -> None:
    a, b, c, letter, d = unit
    canonical = f"{a:03d}.{b:02d}.{c:02d}.{letter}{d:02d}-{receipt:%y%m%d}-{sequence:04d}"
    digit_positions = [i for i, ch in enumerate(canonical) if ch.isdigit()]
    cut = digit_positions[drop]
    broken = canonical[:cut] + canonical[cut + 1 :]
    assert find_dossier_codes(f"hồ sơ {broken} của tôi") == []
    assert looks_like_code_but_invalid(f"hồ sơ {broken} của tôi")
