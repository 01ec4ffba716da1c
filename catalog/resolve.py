"""Which procedure does a citizen mean? Fuzzy matching against catalog names and aliases.

Both the message and every name/alias go through `catalog.textnorm.words` (diacritics
folded, abbreviations expanded, question words dropped). Each word of the message is
matched to catalog words exactly or, failing that, within a small edit distance
(rapidfuzz, OSA, so "khia" finds "khai" and "sinhh" finds "sinh"). A name or alias then
scores by how much of it the message covers (generic words such as "đăng ký" weigh
less, and never match alone), whether its words appear next to each other, and how much
of the message it explains. Two procedures that explain the message equally well, with
neither named in full, make the resolution ambiguous.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

from catalog.queries import ProcedureNames
from catalog.textnorm import GENERIC, is_stop_word, national_codes, sound_alikes, words

__all__ = ["Candidate", "Resolution", "ProcedureResolver"]

GENERIC_WEIGHT = 0.6
MIN_SCORE = 0.55  # below this, no procedure is meant
SUGGEST_SCORE = 0.35  # weak matches are offered as suggestions only
MARGIN = 0.05  # candidates this close to the best are ambiguous
FULL_MATCH = 0.85  # coverage of a name that counts as "named in full"
FAMILY_MARGIN = 0.15  # how far a procedure explaining the whole message may trail
MAX_WORDS = 40
MAX_CANDIDATES = 4
SOUND_ALIKE = 0.9  # similarity of a word spelt with a sound-alike initial ("chú"/"trú")


@dataclass(frozen=True)
class Candidate:
    """A procedure the message may mean, with a score in [0, 1]."""

    code: str
    name: str
    score: float


@dataclass(frozen=True)
class Resolution:
    """The outcome: `best` is set only when one procedure is clearly meant."""

    best: Candidate | None
    candidates: tuple[Candidate, ...] = ()
    ambiguous: bool = False


@dataclass(frozen=True)
class _Choice:
    code: str
    tokens: tuple[str, ...]
    weights: tuple[float, ...]
    total: float
    # Consecutive pairs of non-generic words, as indexes into `tokens`.
    pairs: tuple[tuple[int, int], ...]


@dataclass
class _Score:
    value: float
    coverage: float
    explained: float


@dataclass
class _Query:
    tokens: list[str]
    # catalog word -> [(position in the message, content rank, similarity)]; the rank
    # counts only non-generic words, so "xoa dang ky thuong tru" has "xoa" next to "thuong".
    matches: dict[str, list[tuple[int, int, float]]] = field(default_factory=dict)
    content_positions: frozenset[int] = frozenset()


def _choice(code: str, text: str) -> _Choice | None:
    tokens = tuple(words(text, keep_stop_words=True))
    if all(token in GENERIC or is_stop_word(token) for token in tokens):
        return None
    weights = tuple(GENERIC_WEIGHT if token in GENERIC else 1.0 for token in tokens)
    content = [index for index, token in enumerate(tokens) if token not in GENERIC]
    pairs = tuple(zip(content, content[1:], strict=False))
    return _Choice(code, tokens, weights, sum(weights), pairs)


def _max_distance(token: str) -> int:
    if len(token) <= 2:
        return 0
    return 2 if len(token) >= 8 else 1


class ProcedureResolver:
    """Resolves free text to a national procedure code; build once, call often."""

    def __init__(self, procedures: Iterable[ProcedureNames]) -> None:
        self._names: dict[str, str] = {}
        self._choices: list[_Choice] = []
        for procedure in procedures:
            self._names[procedure.code] = procedure.name
            for text in (procedure.name, *procedure.aliases):
                choice = _choice(procedure.code, text)
                if choice is not None:
                    self._choices.append(choice)
        # Only words that can name a procedure lead to it; "cho" in "tặng cho" only adds.
        self._index: dict[str, list[int]] = {}
        for number, choice in enumerate(self._choices):
            for token in set(choice.tokens) - GENERIC:
                if not is_stop_word(token):
                    self._index.setdefault(token, []).append(number)
        self._pairs = frozenset(
            pair for choice in self._choices for pair in itertools.pairwise(choice.tokens)
        )
        self._vocabulary = sorted({token for choice in self._choices for token in choice.tokens})
        self._known = frozenset(self._vocabulary)
        self._token_cache: dict[str, tuple[tuple[str, float], ...]] = {}

    @property
    def codes(self) -> frozenset[str]:
        """Every national code the resolver knows."""
        return frozenset(self._names)

    def name_of(self, code: str) -> str | None:
        """The official name of `code`, or None when unknown."""
        return self._names.get(code)

    def resolve(self, text: str, mention: str | None = None) -> Resolution:
        """The procedure `text` means; `mention` (Rasa's entity) is tried first."""
        if mention:
            resolution = self._resolve_one(mention)
            if resolution.best is not None:
                return resolution
            if resolution.ambiguous:
                # "hộ kinh doanh" alone is two procedures; "đăng ký hộ kinh doanh ở đâu"
                # around it may settle which.
                whole = self._resolve_one(text or "")
                named = {candidate.code for candidate in resolution.candidates}
                return whole if whole.best is not None and whole.best.code in named else resolution
        return self._resolve_one(text or "")

    def _resolve_one(self, text: str) -> Resolution:
        for code in national_codes(text):
            if code in self._names:
                return Resolution(best=Candidate(code, self._names[code], 1.0))
        query = self._query(text)
        if not query.content_positions:
            return Resolution(best=None)
        scores = self._score(query)
        if not scores:
            return Resolution(best=None)
        return self._decide(scores)

    def _similar(self, token: str) -> tuple[tuple[str, float], ...]:
        cached = self._token_cache.get(token)
        if cached is not None:
            return cached
        if token in self._known:
            found: tuple[tuple[str, float], ...] = ((token, 1.0),)
        else:
            alike = [(word, SOUND_ALIKE) for word in sound_alikes(token) if word in self._known]
            typed: list[tuple[str, float]] = []
            if (limit := _max_distance(token)) > 0:
                hits = process.extract(
                    token, self._vocabulary, scorer=OSA.distance, score_cutoff=limit, limit=None
                )
                typed = [
                    (word, 1.0 - distance / max(len(word), len(token)))
                    for word, distance, _ in hits
                    if len(word) >= 3 and distance <= _max_distance(word)
                ]
            best = dict(typed)
            for word, similarity in alike:
                best[word] = max(similarity, best.get(word, 0.0))
            found = tuple(best.items())
        if len(self._token_cache) > 20_000:
            self._token_cache.clear()
        self._token_cache[token] = found
        return found

    def _split_joined(self, tokens: list[str]) -> list[str]:
        """Split words typed together ("khaisinh") when both halves are catalog words."""
        out: list[str] = []
        for token in tokens:
            if len(token) >= 5 and token not in self._known:
                for cut in range(2, len(token) - 1):
                    if token[:cut] in self._known and token[cut:] in self._known:
                        out += [token[:cut], token[cut:]]
                        break
                else:
                    out.append(token)
            else:
                out.append(token)
        return out

    def _query(self, text: str) -> _Query:
        tokens = self._split_joined(words(text, pairs=self._pairs))[:MAX_WORDS]
        query = _Query(tokens)
        content: set[int] = set()
        for position, token in enumerate(tokens):
            if token not in GENERIC:
                content.add(position)
            rank = len(content)
            for word, similarity in self._similar(token):
                query.matches.setdefault(word, []).append((position, rank, similarity))
        query.content_positions = frozenset(content)
        return query

    def _score(self, query: _Query) -> dict[str, _Score]:
        numbers = {
            number
            for word in query.matches
            if word not in GENERIC and not is_stop_word(word)
            for number in self._index.get(word, ())
        }
        best: dict[str, _Score] = {}
        for number in numbers:
            choice = self._choices[number]
            score = _score_choice(choice, query)
            if score is not None and (
                choice.code not in best or score.value > best[choice.code].value
            ):
                best[choice.code] = score
        return best

    def _decide(self, scores: dict[str, _Score]) -> Resolution:
        ranked = sorted(scores.items(), key=lambda item: (-item[1].value, item[0]))
        top_code, top = ranked[0]
        if top.value < MIN_SCORE:
            weak = tuple(
                self._candidate(code, score)
                for code, score in ranked[:3]
                if score.value >= SUGGEST_SCORE
            )
            return Resolution(best=None, candidates=weak)
        contenders = [
            (code, score)
            for code, score in ranked
            if score.value >= MIN_SCORE
            and (
                score.value >= top.value - MARGIN
                or (
                    top.coverage < FULL_MATCH
                    and score.explained >= top.explained - 0.01
                    and score.value >= top.value - FAMILY_MARGIN
                )
            )
        ][:MAX_CANDIDATES]
        candidates = tuple(self._candidate(code, score) for code, score in contenders)
        if len(candidates) > 1:
            return Resolution(best=None, candidates=candidates, ambiguous=True)
        return Resolution(best=self._candidate(top_code, top), candidates=candidates)

    def _candidate(self, code: str, score: _Score) -> Candidate:
        return Candidate(code, self._names[code], round(score.value, 3))


def _score_choice(choice: _Choice, query: _Query) -> _Score | None:
    covered = 0.0
    ranks: list[list[int]] = []
    explained: set[int] = set()
    content_hit = False
    for token, weight in zip(choice.tokens, choice.weights, strict=True):
        hits = query.matches.get(token, ())
        ranks.append([rank for _, rank, _ in hits])
        if hits:
            covered += weight * max(similarity for _, _, similarity in hits)
            explained.update(position for position, _, _ in hits)
            content_hit = content_hit or token not in GENERIC
    if not content_hit:
        return None
    coverage = covered / choice.total
    matched_pairs = [(a, b) for a, b in choice.pairs if ranks[a] and ranks[b]]
    adjacent = sum(
        1 for a, b in matched_pairs if any(0 < rb - ra <= 2 for ra in ranks[a] for rb in ranks[b])
    )
    adjacency = adjacent / len(matched_pairs) if matched_pairs else 1.0
    content = query.content_positions
    explained_share = len(explained & content) / len(content)
    # Multiplicative, so that a half-covered name never passes on other merits.
    value = coverage * (0.35 + 0.65 * adjacency) * (0.65 + 0.35 * explained_share)
    return _Score(value=value, coverage=coverage, explained=explained_share)
