"""Words typed together are split into the words of the index (catalog.fuzzy_words)."""

from __future__ import annotations

from catalog.fuzzy_words import Vocabulary


def test_words_typed_together_split_into_the_likeliest_known_neighbours() -> None:
    vocabulary = Vocabulary(["dang", "ky", "ke", "ket", "hon", "thon", "can", "cuoc", "doi"])
    pairs = frozenset({("dang", "ky"), ("ky", "ket"), ("ket", "hon")})
    assert vocabulary.split_joined(["dangkykethon", "xa"], pairs) == [
        *("dang", "ky", "ket", "hon"),
        "xa",
    ]
    assert vocabulary.split_joined(["doicancuoc"]) == ["doi", "can", "cuoc"]


def test_known_unsplittable_or_overlong_words_stay_whole() -> None:
    vocabulary = Vocabulary(["dang", "ky", "hon"])
    assert vocabulary.split_joined(["dangky"]) == ["dang", "ky"]
    assert vocabulary.split_joined(["hon", "dangxy", "dangky" * 6]) == [
        "hon",
        "dangxy",
        "dangky" * 6,
    ]
