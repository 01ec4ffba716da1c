"""Realistic Vietnamese applicants: names (họ + đệm + tên), +84 mobiles, CCCD numbers."""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = ["Applicant", "make_applicant"]

# Family names with rough population shares (percent).
_FAMILY = (
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Huỳnh", 4), ("Hoàng", 3),
    ("Phan", 4), ("Võ", 4), ("Vũ", 2), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 1), ("Hồ", 1),
    ("Ngô", 1), ("Dương", 1), ("Lý", 1), ("Trương", 1), ("Đinh", 1),
)  # fmt: skip
_FAMILY_NAMES = [name for name, _ in _FAMILY]
_FAMILY_WEIGHTS = [weight for _, weight in _FAMILY]
_MIDDLE_MALE = ("Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Đình", "Gia", "Anh")
_MIDDLE_FEMALE = ("Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Thùy", "Bảo", "Phương", "Minh")
_GIVEN_MALE = (
    "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hùng", "Huy", "Khoa", "Khánh", "Long",
    "Minh", "Nam", "Nghĩa", "Phúc", "Quang", "Sơn", "Tài", "Thắng", "Thành", "Trung", "Tuấn",
    "Việt", "Vinh",
)  # fmt: skip
_GIVEN_FEMALE = (
    "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan", "Linh", "Mai",
    "My", "Nga", "Ngân", "Nhung", "Oanh", "Phương", "Quyên", "Tâm", "Thảo", "Trang", "Uyên",
    "Vy", "Yến",
)  # fmt: skip
# Mobile prefixes after the 2018 renumbering (Viettel, MobiFone, VinaPhone, Vietnamobile).
_MOBILE_PREFIXES = (
    "32", "33", "34", "35", "36", "37", "38", "39", "86", "96", "97", "98",
    "70", "76", "77", "78", "79", "89", "90", "93",
    "81", "82", "83", "84", "85", "88", "91", "94", "56", "58", "92",
)  # fmt: skip
_PROVINCE = "056"  # Khánh Hòa's code in CCCD numbers


@dataclass(frozen=True, slots=True)
class Applicant:
    """The applicant (chủ hồ sơ) of a dossier."""

    full_name: str
    id_number: str
    phone: str


def make_applicant(rng: random.Random) -> Applicant:
    """A random adult citizen: name, 12-digit CCCD and +84 mobile number."""
    female = rng.random() < 0.5
    family = rng.choices(_FAMILY_NAMES, _FAMILY_WEIGHTS)[0]
    middle = rng.choice(_MIDDLE_FEMALE if female else _MIDDLE_MALE)
    given = rng.choice(_GIVEN_FEMALE if female else _GIVEN_MALE)
    birth_year = rng.randint(1950, 2006)
    # CCCD: province (3), gender/century digit, birth year (2), 6 random digits.
    century = 0 if birth_year < 2000 else 2
    id_number = (
        f"{_PROVINCE}{century + int(female)}{birth_year % 100:02d}{rng.randrange(1_000_000):06d}"
    )
    phone = f"+84{rng.choice(_MOBILE_PREFIXES)}{rng.randrange(10_000_000):07d}"
    return Applicant(f"{family} {middle} {given}", id_number, phone)
