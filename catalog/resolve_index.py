"""The resolver's index over every procedure name: built once per catalog version.

Each name, alias and short form of a national name (`catalog.name_forms`) becomes a
`Choice` (its words, folded); two procedures with the same words keep only the more
popular one, so "Đính chính Giấy chứng nhận" published by five provinces is one choice.
A message is scored in two passes: an inverted index (word → choices) adds up, for
every choice sharing a word with the message, an upper bound of its score; only the
best `SHORTLIST` bounds are scored exactly (coverage, word order, what the message
explains). That keeps a message at a few milliseconds over 5,670 procedures.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

from catalog.accents import written_forms
from catalog.fuzzy_words import Vocabulary
from catalog.name_families import (
    answering_codes,
    common_words,
    default_positions,
    listed_actions,
    repeated_pairs,
)
from catalog.name_forms import short_forms
from catalog.queries import ProcedureNames
from catalog.textnorm import GENERIC, is_stop_word, words

__all__ = ["Choice", "NameIndex", "Query", "Score", "SHORTLIST", "is_weak"]

GENERIC_WEIGHT = 0.6
LEADING_STOP_WEIGHT = 0.3  # "mất" of "mất sổ đỏ" still tells it from "sổ đỏ"
SHORT_FORM = 0.97  # a short form explains a little less than the name itself
SHORTLIST = 32  # choices scored exactly per message
BUDGET = 400  # about this many choices get an upper bound per message
SHORTEST = 12  # ... and, past the budget, this many of each unit's shortest names
PAIR_BONUS = 2.0  # a pair of neighbouring words tells more than its count says


@dataclass(frozen=True)
class Choice:
    """One name (or alias, or short form) of one procedure, as words with weights."""

    code: str
    tokens: tuple[str, ...]
    weights: tuple[float, ...]
    total: float
    generic: float  # weight of the generic words: an upper bound needs no lookup of them
    # Consecutive pairs of non-generic words, as indexes into `tokens`.
    pairs: tuple[tuple[int, int], ...]
    factor: float = 1.0
    weight_of: dict[str, float] = field(default_factory=dict, compare=False, repr=False)
    # Per word: it never matches alone (generic, stop word, listed action).
    weak: tuple[bool, ...] = ()
    # Per word: whether it tells the name apart when typed: None, no; (), alone (in few
    # official names: "hủy"; not "chứng nhận"); else with one of these words of the name
    # typed too (its pair is in few names: "hưu trí", "thoát nghèo"; not "lưu động" of
    # "đồng" alone).
    rare: tuple[tuple[int, ...] | None, ...] = ()
    written: tuple[str | None, ...] = ()  # per word, as the name writes it (`catalog.accents`)
    alias: bool = False  # a local alias (a citizen's words), not an official name
    defaults: frozenset[int] = frozenset()  # its words in `DEFAULT_WORDS` ("lần đầu")


@dataclass
class Score:
    """A choice's score for one message, and what it is made of."""

    value: float
    coverage: float
    explained: float
    covered: float  # weight of the choice's words the message names
    positions: frozenset[int] = frozenset()  # the message's content words it explains
    content_coverage: float = 0.0  # share of the choice's own content words named
    telling: frozenset[int] = frozenset()  # positions typed exactly as a rare word of it
    unsaid: int = 0  # its words marking a variant ("cấp lại") the message does not type


@dataclass
class Query:
    """A message's words and, per catalog word, where and how closely it matched."""

    tokens: list[str]
    # catalog word -> [(position in the message, content rank, similarity)]; the rank
    # counts only non-generic words, so "xoa dang ky thuong tru" has "xoa" next to "thuong".
    matches: dict[str, list[tuple[int, int, float]]] = field(default_factory=dict)
    content_positions: frozenset[int] = frozenset()
    # Consecutive words as typed, stop words kept: "làm hộ chiếu" has ("lam", "ho").
    raw_pairs: frozenset[tuple[str, str]] = frozenset()
    written: tuple[str | None, ...] = ()  # per word, as typed with diacritics, if it was


def is_weak(token: str) -> bool:
    """Generic and stop words: part of a name, but they never match it alone."""
    return token in GENERIC or is_stop_word(token)


def _choice(
    code: str,
    text: str,
    factor: float = 1.0,
    common: tuple[frozenset[str], frozenset[tuple[str, str]]] = (frozenset(), frozenset()),
    *,
    alias: bool = False,
) -> Choice | None:
    tokens = tuple(words(text, keep_stop_words=True))
    common_word, common_pair = common
    listed = listed_actions(text, common_word) if common_word else 0
    if all(index < listed or is_weak(token) for index, token in enumerate(tokens)):
        return None
    # A message drops a leading stop word ("làm hộ chiếu", "xin phép"; see `textnorm.words`)
    # unless a name pairs it with the word before: in a name it stays, weighing little.
    # Words a name repeats as a pair ("xác định, xác định lại", "di sản mà di sản") count
    # once; a single word may repeat by folding ("cấp lại giấy phép lái xe").
    repeated = repeated_pairs(tokens)
    default = default_positions(tokens)
    weights = tuple(
        0.0
        if index in repeated
        else LEADING_STOP_WEIGHT
        if index < listed or index in default or (index == 0 and is_stop_word(token))
        else GENERIC_WEIGHT
        if token in GENERIC
        else 1.0
        for index, token in enumerate(tokens)
    )
    # A word repeated as a pair, like a listed action, never counts as named alone.
    weak = tuple(
        index < listed or index in repeated or index in default or is_weak(token)
        for index, token in enumerate(tokens)
    )
    generic = sum(w for t, w in zip(tokens, weights, strict=True) if is_weak(t))
    # Word order counts stop words that are part of the name: "tặng cho" before "đất".
    content = [index for index, token in enumerate(tokens) if token not in GENERIC]
    pairs = tuple(zip(content, content[1:], strict=False))
    weight_of: dict[str, float] = {}  # a default word at its full weight: typed, it counts
    for index, (token, weight) in enumerate(zip(tokens, weights, strict=True)):
        weight_of[token] = weight_of.get(token, 0.0) + (1.0 if index in default else weight)
    rare_pairs = {
        index
        for index, pair in enumerate(itertools.pairwise(tokens))
        if pair not in common_pair and not weak[index] and not weak[index + 1]
    }
    rare = tuple(
        None
        if weak[index]
        else ()
        if token not in common_word
        else tuple(j for j in (index - 1, index + 1) if min(index, j) in rare_pairs) or None
        for index, token in enumerate(tokens)
    )
    written = written_forms(text, tokens, marked_only=False)
    terms = (weights, sum(weights), generic, pairs, factor, weight_of, weak, rare, written)
    return Choice(code, tokens, *terms, alias=alias, defaults=frozenset(default))


class NameIndex:
    """Choices, the word → choices index and the vocabulary, for one catalog version."""

    def __init__(self, procedures: Iterable[ProcedureNames]) -> None:
        ordered = list(procedures)
        self.names = {p.code: p.name for p in ordered}
        self.popularity = {p.code: p.popularity for p in ordered}
        # Two procedures with the same words: the more popular keeps them, then the one
        # whose own name (not a short form) they are, then the shorter (more general) name.
        # A short form also yields to a name with its words but for generic ones ("cấp").
        # A name another, more popular procedure has too answers for that one.
        answering = answering_codes(ordered)
        forms = [
            (-p.popularity, rank, len(p.name), answering[p.code], text, factor, rank > 0)
            for p in ordered
            for rank, (text, factor) in enumerate(
                [*((text, 1.0) for text in (p.name, *p.aliases))]
                + [(text, SHORT_FORM) for text in short_forms(p.name)]
            )
        ]
        common = common_words(p.name for p in ordered)
        self.choices: list[Choice] = []
        seen: set[tuple[str, ...]] = set()
        seen_content: set[tuple[str, ...]] = set()
        for *_, code, text, factor, alias in sorted(forms):
            choice = _choice(code, text, factor, common, alias=alias and factor == 1.0)
            if choice is None:
                continue
            content = tuple(token for token in choice.tokens if token not in GENERIC)
            if choice.tokens in seen or (factor < 1.0 and content in seen_content):
                continue
            seen.add(choice.tokens)
            seen_content.add(content)
            self.choices.append(choice)
        self._by_code: dict[str, list[int]] = {}
        for number, choice in enumerate(self.choices):
            self._by_code.setdefault(choice.code, []).append(number)
        # word -> choices (rare words only); (word, next content word) -> choices.
        self._postings: dict[str, list[int]] = {}
        self._pair_postings: dict[tuple[str, str], list[int]] = {}
        for number, choice in enumerate(self.choices):
            for token in choice.weight_of:
                if not is_weak(token):
                    self._postings.setdefault(token, []).append(number)
            for a, b in dict.fromkeys(choice.pairs):
                pair = (choice.tokens[a], choice.tokens[b])
                self._pair_postings.setdefault(pair, []).append(number)
        # Shortest choices first: when a message has only common words, the first
        # `BUDGET` of a long list are the names it can cover best.
        for postings in (*self._postings.values(), *self._pair_postings.values()):
            postings.sort(key=lambda number: self.choices[number].total)
        self.pairs = frozenset(
            (a, b) for choice in self.choices for a, b in itertools.pairwise(choice.tokens)
        )
        self.vocabulary = Vocabulary(token for choice in self.choices for token in choice.tokens)
        self.known = self.vocabulary.known
        # What `shortlist` reads of each choice, in one tuple (no attribute lookups there).
        self._bound_terms = [
            (c.weight_of, c.total, c.factor, self.popularity[c.code]) for c in self.choices
        ]

    def choices_of(self, code: str) -> list[int]:
        """The choices (names, aliases, short forms) that answer for `code`."""
        return self._by_code.get(code, [])

    def similar(self, token: str) -> tuple[tuple[str, float], ...]:
        """Catalog words `token` may stand for, with a similarity in (0, 1]."""
        return self.vocabulary.similar(token)

    def split_joined(self, tokens: list[str]) -> list[str]:
        """Split words typed together ("khaisinh") when both halves are catalog words."""
        return self.vocabulary.split_joined(tokens, self.pairs)

    def _touched(self, query: Query) -> set[int]:
        """Choices sharing the message's most telling words or word pairs.

        Units (a word, or two neighbouring words) are taken rarest first, exact matches
        before fuzzy ones, until about `BUDGET` choices are touched, then only their
        shortest names: "đăng ký hộ kinh doanh" reaches its procedures through "hộ kinh",
        not through every "đăng ký".
        """
        by_rank: dict[int, list[tuple[str, float]]] = {}
        units: list[tuple[float, list[int]]] = []
        for word, found in query.matches.items():
            if is_weak(word):
                continue
            similarity = max(s for _, _, s in found)
            for _, rank, _ in found:
                by_rank.setdefault(rank, []).append((word, similarity))
            if postings := self._postings.get(word):
                units.append((len(postings) / similarity, postings))
        for rank, firsts in by_rank.items():
            for gap in (1, 2):
                for second, s2 in by_rank.get(rank + gap, ()):
                    for first, s1 in firsts:
                        if postings := self._pair_postings.get((first, second)):
                            units.append((len(postings) / (s1 * s2) / PAIR_BONUS, postings))
        units.sort(key=lambda unit: unit[0])
        touched: set[int] = set()
        for _, postings in units:
            # Every unit brings at least its shortest names ("nhập khẩu" among the imports).
            touched.update(postings[: max(SHORTEST, BUDGET - len(touched))])
        return touched

    def shortlist(self, query: Query) -> list[tuple[float, int]]:
        """(upper bound of the score, choice) of the best `SHORTLIST` bounds, best first."""
        # (word, best similarity, counts as a hit), in the message's order: worked out once,
        # not once per choice.
        matched = [
            (word, max(s for _, _, s in found), not is_weak(word))
            for word, found in query.matches.items()
        ]
        content = max(1, len(query.content_positions))
        bound_terms = self._bound_terms
        bounds: list[tuple[float, int, int]] = []
        for number in self._touched(query):
            weight_of, total, factor, popularity = bound_terms[number]
            covered = 0.0
            hits = 0
            for word, similarity, strong in matched:
                if (weight := weight_of.get(word)) is not None:
                    covered += weight * similarity
                    hits += strong
            value = covered / total * (0.65 + 0.35 * min(1.0, hits / content)) * factor
            bounds.append((value, popularity, number))
        return [(bound, number) for bound, _, number in heapq.nlargest(SHORTLIST, bounds)]
