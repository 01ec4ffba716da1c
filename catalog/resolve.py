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

from collections.abc import Iterable
from dataclasses import dataclass

from catalog.accents import written_forms
from catalog.colloquial import official_words
from catalog.popularity import LOCAL_FLOOR
from catalog.queries import ProcedureNames
from catalog.resolve_index import NameIndex, Query, Score
from catalog.resolve_score import score_choice
from catalog.resolve_specific import (
    FAMILY_MARGIN,
    LOOSE_VERBS,
    MIN_SCORE,
    TELLING_MARGIN,
    most_specific,
)
from catalog.textnorm import GENERIC, is_stop_word, national_codes, words
from catalog.textnorm import tokens as tokens_of

__all__ = ["Candidate", "Resolution", "ProcedureResolver"]

SUGGEST_SCORE = 0.35  # weak matches are offered as suggestions only
MARGIN = 0.05  # candidates this close to the best are ambiguous
FULL_MATCH = 0.85  # coverage of a name that counts as "named in full"
MAX_WORDS = 40
MAX_CANDIDATES = 4
POPULAR_GAP = 3  # popularity ahead of every other contender that settles a near tie
HALF_NAMED = 0.5  # a best match names more than half of its own words
# Resolutions kept per resolver (one catalog version): citizens ask the same things in the
# same words all day. Emptied when full; a resolver is immutable, so none goes stale.
RESOLVED_TEXTS = 4096


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


class ProcedureResolver:
    """Resolves free text to a national procedure code; build once, call often."""

    def __init__(
        self, procedures: Iterable[ProcedureNames], *, remember: int = RESOLVED_TEXTS
    ) -> None:
        """`remember`: how many texts' resolutions to keep (0: score every text afresh)."""
        self._remember = remember
        self._index = NameIndex(procedures)
        self._names = self._index.names
        self._codes = frozenset(self._names)
        self._resolved: dict[str, Resolution] = {}

    @property
    def codes(self) -> frozenset[str]:
        """Every national code the resolver knows (made once: asked on every answer)."""
        return self._codes

    def name_of(self, code: str) -> str | None:
        """The official name of `code`, or None when unknown."""
        return self._names.get(code)

    def resolve(self, text: str, mention: str | None = None) -> Resolution:
        """The procedure `text` means; `mention` (Rasa's entity) helps when the text alone
        does not settle it.

        The whole message wins when it names one procedure: Rasa's span is often a
        fragment of a national name ("giấy xác" of "giấy xác nhận khuyết tật", "xét hộ
        thoát" of "hộ thoát nghèo") that alone names something else.
        """
        whole = self._resolve_one(text or "")
        if not mention:
            return whole
        resolution = self._resolve_one(mention)
        if resolution.ambiguous:
            # "hộ kinh doanh" alone is two procedures; "đăng ký hộ kinh doanh ở đâu" around
            # it may settle which, but not by naming a third ("hộ kinh doanh hay khai sinh").
            # Rasa's span may also be a fragment that alone names nothing in particular
            # ("cấp điều chỉnh" of "cấp điều chỉnh giấy phép xây dựng"): the whole message
            # settles it when its procedure explains every word of the span.
            named = {candidate.code for candidate in resolution.candidates}
            if whole.best is not None and (
                whole.best.code in named or self._explains(whole.best.code, mention)
            ):
                return whole
            return resolution
        if whole.best is not None:
            return whole
        return resolution if resolution.best is not None else whole

    def _explains(self, code: str, text: str) -> bool:
        """Whether a name of `code` covers every content word of `text`."""
        query = self._query(text)
        if not query.content_positions:
            return False
        for number in self._index.choices_of(code):
            score = score_choice(self._index.choices[number], query)
            if score is not None and score.positions >= query.content_positions:
                return True
        return False

    def _resolve_one(self, text: str) -> Resolution:
        resolved = self._resolved.get(text)
        if resolved is None:
            resolved = self._resolve_text(text)
            if len(self._resolved) >= self._remember:
                self._resolved.clear()
            if self._remember:
                self._resolved[text] = resolved
        return resolved

    def _resolve_text(self, text: str) -> Resolution:
        for code in national_codes(text):
            if code in self._names:
                return Resolution(best=Candidate(code, self._names[code], 1.0))
        query = self._query(text)
        if not query.content_positions:
            return Resolution(best=None)
        scores = self._score(query)
        if not scores:
            return Resolution(best=None)
        loose = frozenset(
            position
            for position, token in enumerate(query.tokens)
            if token in LOOSE_VERBS or is_stop_word(token)
        )
        return self._decide(scores, loose)

    def _query(self, text: str) -> Query:
        index = self._index
        typed = tokens_of(text)
        tokens = index.split_joined(words(official_words(typed), pairs=index.pairs))[:MAX_WORDS]
        query = Query(tokens, written=written_forms(text, tokens, marked_only=True))
        content: set[int] = set()
        for position, token in enumerate(tokens):
            if token not in GENERIC:  # a stop word here continues a catalog name
                content.add(position)
            rank = len(content)
            for word, similarity in index.similar(token):
                query.matches.setdefault(word, []).append((position, rank, similarity))
        query.content_positions = frozenset(content)
        raw = typed[: MAX_WORDS * 2]
        query.raw_pairs = frozenset(zip(raw, raw[1:], strict=False))
        return query

    def _score(self, query: Query) -> dict[str, Score]:
        best: dict[str, Score] = {}
        top = 0.0
        for scored, (bound, number) in enumerate(self._index.shortlist(query)):
            if scored >= MAX_CANDIDATES and bound < top - TELLING_MARGIN:
                break  # bounds only fall from here: nothing left can contend or tell more
            choice = self._index.choices[number]
            score = score_choice(choice, query)
            if score is not None and (
                choice.code not in best or score.value > best[choice.code].value
            ):
                best[choice.code] = score
                top = max(top, score.value)
        return best

    def _decide(self, scores: dict[str, Score], loose: frozenset[int]) -> Resolution:
        ranked = sorted(scores.items(), key=lambda item: (-item[1].value, item[0]))
        ranked = most_specific(ranked, loose)
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
        ]
        contenders = self._by_popularity(contenders[:MAX_CANDIDATES])
        candidates = tuple(self._candidate(code, score) for code, score in contenders)
        if len(candidates) > 1:
            return Resolution(best=None, candidates=candidates, ambiguous=True)
        if contenders[0][1].content_coverage <= HALF_NAMED:
            return Resolution(best=None, candidates=candidates)  # a suggestion, no more
        return Resolution(best=candidates[0], candidates=candidates)

    def _by_popularity(self, contenders: list[tuple[str, Score]]) -> list[tuple[str, Score]]:
        """The best-scored contender alone when it is also clearly the most asked about:
        "giấy phép xây dựng" is the house permit, not the railway crossing's."""
        popularity = self._index.popularity
        (top_code, _), *others = contenders
        if others and all(
            popularity[code] < LOCAL_FLOOR  # two the province ranks itself: ask
            and popularity[top_code] >= popularity[code] + POPULAR_GAP
            for code, _ in others
        ):
            return contenders[:1]
        return contenders

    def _candidate(self, code: str, score: Score) -> Candidate:
        return Candidate(code, self._names[code], round(score.value, 3))
