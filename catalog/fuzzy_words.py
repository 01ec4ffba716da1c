"""Typo-tolerant lookup of a typed word among the words of an index (folded text).

A word matches itself, else words within a small edit distance (rapidfuzz, OSA, so
"khia" finds "khai" and "sinhh" finds "sinh"), and words spelt with a sound-alike
initial consonant ("chú" for "trú"). The procedure resolver and the FAQ matcher share it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

from rapidfuzz import process
from rapidfuzz.distance import OSA

from catalog.textnorm import sound_alikes

__all__ = ["SOUND_ALIKE", "Vocabulary"]

SOUND_ALIKE = 0.9  # similarity of a word spelt with a sound-alike initial ("chú"/"trú")
_TOKEN_CACHE = 20_000
MAX_JOINED = 30  # longer typed words are not split (they are not words typed together)
MAX_PARTS = 5  # words typed together that one typed word may be split into


def _max_distance(token: str) -> int:
    if len(token) <= 2:
        return 0
    return 2 if len(token) >= 8 else 1


class Vocabulary:
    """The words of one index, by length, with a cache of typed words already looked up."""

    def __init__(self, words: Iterable[str]) -> None:
        self.known = frozenset(words)
        self._by_length: dict[int, list[str]] = {}
        for word in sorted(self.known):
            self._by_length.setdefault(len(word), []).append(word)
        self._token_cache: dict[str, tuple[tuple[str, float], ...]] = {}

    def similar(self, token: str) -> tuple[tuple[str, float], ...]:
        """Words of the index `token` may stand for, with a similarity in (0, 1]."""
        cached = self._token_cache.get(token)
        if cached is not None:
            return cached
        if token in self.known:
            found: tuple[tuple[str, float], ...] = ((token, 1.0),)
        else:
            best: dict[str, float] = {}
            if (limit := _max_distance(token)) > 0:
                nearby = [
                    word
                    for size in range(len(token) - limit, len(token) + limit + 1)
                    for word in self._by_length.get(size, ())
                ]
                hits = process.extract(
                    token, nearby, scorer=OSA.distance, score_cutoff=limit, limit=None
                )
                for word, distance, _ in hits:
                    if len(word) >= 3 and distance <= _max_distance(word):
                        best[word] = 1.0 - distance / max(len(word), len(token))
            for word in sound_alikes(token):
                if word in self.known:
                    best[word] = max(SOUND_ALIKE, best.get(word, 0.0))
            found = tuple(best.items())
        if len(self._token_cache) > _TOKEN_CACHE:
            self._token_cache.clear()
        self._token_cache[token] = found
        return found

    def split_joined(
        self, tokens: list[str], pairs: frozenset[tuple[str, str]] = frozenset()
    ) -> list[str]:
        """Split words typed together ("khaisinh", "dangkythuongtru") into known words of
        two letters or more, at most `MAX_PARTS`: the split with the most neighbours that
        are `pairs` (consecutive words of names: "ket hon", not "ke thon"), then the fewest."""
        out: list[str] = []
        for token in tokens:
            joined = token not in self.known and 5 <= len(token) <= MAX_JOINED
            splits = list(self._splits(token, MAX_PARTS)) if joined else []
            if not splits:
                out.append(token)
                continue
            likeliest = min(splits, key=lambda parts: _rank(parts, pairs))
            out += likeliest
        return out

    def _splits(self, token: str, most: int) -> Iterator[list[str]]:
        if most < 2:
            return
        for cut in range(2, len(token) - 1):
            if (head := token[:cut]) in self.known:
                if (rest := token[cut:]) in self.known:
                    yield [head, rest]
                for parts in self._splits(rest, most - 1):
                    yield [head, *parts]


def _rank(parts: list[str], pairs: frozenset[tuple[str, str]]) -> tuple[int, int]:
    """Lower is likelier: parts that are not known neighbours, then parts."""
    return len(parts) - sum(pair in pairs for pair in itertools.pairwise(parts)), len(parts)
