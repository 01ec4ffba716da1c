"""Typo-tolerant lookup of a typed word among the words of an index (folded text).

A word matches itself, else words within a small edit distance (rapidfuzz, OSA, so
"khia" finds "khai" and "sinhh" finds "sinh"), and words spelt with a sound-alike
initial consonant ("chú" for "trú"). The procedure resolver and the FAQ matcher share it.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from catalog.textnorm import sound_alikes

__all__ = ["SOUND_ALIKE", "Vocabulary"]

SOUND_ALIKE = 0.9  # similarity of a word spelt with a sound-alike initial ("chú"/"trú")
_TOKEN_CACHE = 20_000


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

    def split_joined(self, tokens: list[str]) -> list[str]:
        """Split words typed together ("khaisinh") when both halves are known words."""
        out: list[str] = []
        for token in tokens:
            if len(token) >= 5 and token not in self.known:
                for cut in range(2, len(token) - 1):
                    if token[:cut] in self.known and token[cut:] in self.known:
                        out += [token[:cut], token[cut:]]
                        break
                else:
                    out.append(token)
            else:
                out.append(token)
        return out
