"""Unanswered questions grouped by similarity, with counts and examples, for the console.

Two questions are alike when their folded content words (`faq.question_words.content_words`:
diacritics, abbreviations and fillers such as "cho mình hỏi" aside) are close in any
order (at least `SIMILARITY`, below). Identical keys collapse first;
the most asked key of a group is its representative, and each further key joins the
group whose representative it is most like, or starts its own. "Alike" is the mean of
the token-set ratio (one question's words within the other's: "gửi xe máy" and "gửi xe
máy ở đâu") and the token-sort ratio (the words' overlap as a whole: "khai sinh" stays
apart from "khai sinh cho con ngoài giá thú").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.textnorm import tokens
from faq.masking import without_placeholders
from faq.question_words import content_words
from faq.unanswered import QuestionState, UnansweredQuestion

__all__ = ["MAX_EXAMPLES", "QuestionGroup", "group_questions", "open_groups"]

SIMILARITY = 80
MAX_EXAMPLES = 3
RECENT_DAYS = 90
MAX_QUESTIONS = 5_000


@dataclass(frozen=True)
class QuestionGroup:
    """Questions alike: how many, up to three examples (most asked first), their ids."""

    id: int  # the smallest question id in the group (stable while the group is open)
    count: int
    examples: tuple[str, ...]
    question_ids: tuple[int, ...]
    channels: dict[str, int]
    reasons: dict[str, int]
    first_day: date
    last_day: date

    def as_json(self) -> dict[str, object]:
        """The API's shape of a group."""
        return {
            "id": self.id,
            "count": self.count,
            "examples": list(self.examples),
            "question_ids": list(self.question_ids),
            "channels": self.channels,
            "reasons": self.reasons,
            "first_day": self.first_day.isoformat(),
            "last_day": self.last_day.isoformat(),
        }


def _key(text: str) -> str:
    text = without_placeholders(text)  # "gọi [số điện thoại]" asks what "gọi" alone asks
    return " ".join(content_words(text)) or " ".join(tokens(text))


def group_questions(questions: Iterable[UnansweredQuestion]) -> list[QuestionGroup]:
    """Group `questions`, largest group first."""
    by_key: dict[str, list[UnansweredQuestion]] = {}
    for question in questions:
        by_key.setdefault(_key(question.text), []).append(question)
    ordered = sorted(by_key, key=lambda key: (-len(by_key[key]), key))
    representatives: list[str] = []
    members: list[list[UnansweredQuestion]] = []
    for key in ordered:
        found = _most_alike(key, representatives)
        if found is None:
            representatives.append(key)
            members.append(list(by_key[key]))
        else:
            members[found].extend(by_key[key])
    groups = [_group(group) for group in members]
    return sorted(groups, key=lambda group: (-group.count, group.id))


def _most_alike(key: str, representatives: list[str]) -> int | None:
    """The representative most like `key` (mean of token-set and token-sort ratios)."""
    best: tuple[float, int] | None = None
    # The set ratio bounds the mean from above (it is never below the sort ratio).
    for _, set_ratio, number in process.extract(
        key, representatives, scorer=fuzz.token_set_ratio, score_cutoff=SIMILARITY, limit=None
    ):
        alike = (set_ratio + fuzz.token_sort_ratio(key, representatives[number])) / 2
        if alike >= SIMILARITY and (best is None or alike > best[0]):
            best = (alike, number)
    return None if best is None else best[1]


def _group(questions: list[UnansweredQuestion]) -> QuestionGroup:
    texts = Counter(question.text for question in questions)
    days = [question.day for question in questions]
    ids = sorted(question.id for question in questions)
    return QuestionGroup(
        id=ids[0],
        count=len(questions),
        examples=tuple(text for text, _ in texts.most_common(MAX_EXAMPLES)),
        question_ids=tuple(ids),
        channels=dict(Counter(str(question.channel) for question in questions)),
        reasons=dict(Counter(str(question.reason) for question in questions)),
        first_day=min(days),
        last_day=max(days),
    )


def open_groups(session: Session, *, today: date, days: int = RECENT_DAYS) -> list[QuestionGroup]:
    """The groups of the open questions of the last `days` days (newest `MAX_QUESTIONS`)."""
    rows = session.scalars(
        select(UnansweredQuestion)
        .where(
            UnansweredQuestion.state == QuestionState.OPEN,
            UnansweredQuestion.day > today - timedelta(days=days),
        )
        .order_by(UnansweredQuestion.id.desc())
        .limit(MAX_QUESTIONS)
    )
    return group_questions(rows)
