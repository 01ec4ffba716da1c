"""Which published FAQ entry answers a citizen's message? Fuzzy, in memory, live.

Questions and messages are read the way the procedure resolver reads them
(`catalog.textnorm.tokens`: diacritics folded, chat abbreviations expanded; typos and
sound-alike initials through `catalog.fuzzy_words.Vocabulary`), but question words stay:
"nộp ở đâu" and "nộp bao lâu" are different questions. A question variant scores by how
much of it the message covers and how much of the message it explains (an F-score of
word weights; pronouns and particles weigh little). Only variants sharing a content word
with the message are scored, so a message costs microseconds over thousands of entries.

`FaqMatcher` holds the index of the published entries and rebuilds it when the FAQ
store changes (a cheap version query at most every `CHECK_INTERVAL_SECONDS`), so a
published entry answers within seconds, with no restart, no retraining and no query per
message.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from catalog.fuzzy_words import Vocabulary
from faq.models import FaqEntry, FaqState
from faq.question_words import FILLER, question_words, word_weight

__all__ = [
    "CHECK_INTERVAL_SECONDS",
    "MATCH_SCORE",
    "FaqIndex",
    "FaqMatch",
    "FaqMatcher",
    "FaqRecord",
    "fingerprint",
    "published_records",
    "match_faq",
    "published_matcher",
]

MATCH_SCORE = 0.72  # below this, no entry answers the message
CHECK_INTERVAL_SECONDS = 1.5
MAX_WORDS = 40
BUDGET = 150  # about this many variants are scored per message
SHORTEST = 8  # ... and, past the budget, this many of each word's shortest variants


@dataclass(frozen=True)
class FaqRecord:
    """What the matcher needs of one published entry."""

    id: int
    questions: tuple[str, ...]
    answer: str
    procedure_code: str | None = None


@dataclass(frozen=True)
class FaqMatch:
    """The entry that answers a message, how well (0-1], and the variant it matched."""

    entry_id: int
    score: float
    answer: str
    procedure_code: str | None
    question: str


@dataclass(frozen=True)
class _Variant:
    record: FaqRecord
    question: str
    weight_of: dict[str, float]  # word -> weight (a repeated word counts once)
    total: float
    content: frozenset[str]  # its words but fillers
    filler: float  # the weight of its fillers


class FaqIndex:
    """Every question variant of the published entries, with a word → variants index."""

    def __init__(self, records: Iterable[FaqRecord]) -> None:
        self.variants: list[_Variant] = []
        self._postings: dict[str, list[int]] = {}
        for record in records:
            for question in record.questions:
                weight_of = {word: word_weight(word) for word in question_words(question)}
                if not any(word not in FILLER for word in weight_of):
                    continue  # a question of fillers only would match anything polite
                number = len(self.variants)
                content = frozenset(word for word in weight_of if word not in FILLER)
                filler = sum(weight_of.values()) - sum(weight_of[word] for word in content)
                self.variants.append(
                    _Variant(record, question, weight_of, sum(weight_of.values()), content, filler)
                )
                for word in weight_of:
                    if word not in FILLER:
                        self._postings.setdefault(word, []).append(number)
        for postings in self._postings.values():
            postings.sort(key=lambda number: self.variants[number].total)
        self.vocabulary = Vocabulary(self._postings.keys() | FILLER)

    def __len__(self) -> int:
        return len(self.variants)

    def match(self, text: str) -> FaqMatch | None:
        """The best entry for `text` when it scores at least `MATCH_SCORE`, else None."""
        if not self.variants:
            return None
        words = self.vocabulary.split_joined(question_words(text))[:MAX_WORDS]
        # index word -> best similarity to any message word, and per message word its hits
        found: dict[str, float] = {}
        hits_of: list[tuple[float, dict[str, float]]] = []
        for word in dict.fromkeys(words):
            hits = dict(self.vocabulary.similar(word))
            hits_of.append((word_weight(word), hits))
            for hit, similarity in hits.items():
                found[hit] = max(similarity, found.get(hit, 0.0))
        best: tuple[float, int] = (0.0, -1)
        for bound, number in self._bounds(found):
            if bound < max(best[0], MATCH_SCORE):
                break  # bounds only fall from here
            score = self._score(self.variants[number], found, hits_of)
            if score > best[0]:
                best = (score, number)
        score, number = best
        if score < MATCH_SCORE:
            return None
        variant = self.variants[number]
        record = variant.record
        return FaqMatch(
            record.id, round(score, 3), record.answer, record.procedure_code, variant.question
        )

    def _candidates(self, found: dict[str, float]) -> set[int]:
        """Variants sharing the message's rarest content words, about `BUDGET` of them.

        A word in every other entry ("thủ tục", "hồ sơ") adds only its shortest variants:
        the message's rarer words have brought the entries it can mean.
        """
        units = sorted(
            (len(postings) / similarity, postings)
            for word, similarity in found.items()
            if (postings := self._postings.get(word))
        )
        touched: set[int] = set()
        for _, postings in units:
            touched.update(postings[: max(SHORTEST, BUDGET - len(touched))])
        return touched

    def _bounds(self, found: dict[str, float]) -> list[tuple[float, int]]:
        """(upper bound of the score, variant) of the candidates, highest bound first.

        The bound takes the variant's fillers as matched and the message as wholly
        explained; most candidates share one common word and fall below `MATCH_SCORE`.
        """
        bounds = []
        for number in self._candidates(found):
            variant = self.variants[number]
            shared = variant.content & found.keys()
            covered = variant.filler + sum(variant.weight_of[w] * found[w] for w in shared)
            recall = covered / variant.total
            bounds.append((2 * recall / (1 + recall), -number))
        bounds.sort(reverse=True)
        return [(bound, -negative) for bound, negative in bounds]

    @staticmethod
    def _score(
        variant: _Variant, found: dict[str, float], hits_of: list[tuple[float, dict[str, float]]]
    ) -> float:
        weight_of = variant.weight_of
        covered = sum(weight * found.get(word, 0.0) for word, weight in weight_of.items())
        recall = covered / variant.total
        explained = total = 0.0
        for weight, hits in hits_of:
            total += weight
            explained += weight * max((s for w, s in hits.items() if w in weight_of), default=0.0)
        precision = explained / total if total else 0.0
        if not recall or not precision:
            return 0.0
        return 2 * recall * precision / (recall + precision)


class FaqMatcher:
    """The index of the published entries, rebuilt when the FAQ store's version changes.

    `load(session)` reads the published entries, `version(session)` a cheap fingerprint
    of the store; the version is read at most every `check_interval` seconds.
    """

    def __init__(
        self,
        load: Callable[[Session], list[FaqRecord]],
        version: Callable[[Session], Hashable],
        check_interval: float = CHECK_INTERVAL_SECONDS,
    ) -> None:
        self._load = load
        self._version = version
        self._check_interval = check_interval
        self._index: tuple[Hashable, FaqIndex] | None = None
        self._checked_at = float("-inf")
        self._lock = threading.Lock()

    def index(self, session: Session) -> FaqIndex:
        """The current index; at most one version query per check interval."""
        with self._lock:
            now = time.monotonic()
            if self._index is not None and now - self._checked_at < self._check_interval:
                return self._index[1]
            version = self._version(session)
            if self._index is None or self._index[0] != version:
                self._index = (version, FaqIndex(self._load(session)))
            self._checked_at = now
            return self._index[1]

    def match(self, session: Session, text: str) -> FaqMatch | None:
        """The published entry that answers `text`, or None."""
        return self.index(session).match(text)


def published_records(session: Session) -> list[FaqRecord]:
    """What the matcher indexes: every published entry."""
    rows = session.execute(
        select(FaqEntry.id, FaqEntry.questions, FaqEntry.answer, FaqEntry.procedure_code)
        .where(FaqEntry.state == FaqState.PUBLISHED)
        .order_by(FaqEntry.id)
    )
    return [
        FaqRecord(number, tuple(str(question) for question in questions or ()), answer, code)
        for number, questions, answer, code in rows
    ]


def fingerprint(session: Session) -> Hashable:
    """Changes whenever an entry is created, edited, published, unpublished or deleted
    (every change bumps `version` and `updated_at`; a delete changes the count)."""
    row = session.execute(
        select(func.count(), func.max(FaqEntry.updated_at), func.sum(FaqEntry.version))
    ).one()
    return tuple(row)


def published_matcher() -> FaqMatcher:
    """A matcher over the published entries of the session's database."""
    return FaqMatcher(published_records, fingerprint)


_matchers: dict[str, FaqMatcher] = {}


def match_faq(session: Session, text: str) -> FaqMatch | None:
    """The published entry that answers `text`, or None (one matcher per database)."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    database = engine.url.render_as_string(hide_password=True)
    matcher = _matchers.get(database) or _matchers.setdefault(database, published_matcher())
    return matcher.match(session, text)
