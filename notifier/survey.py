"""The satisfaction survey: asked once when a dossier is returned, answered 1 to 5.

The watcher opens a `SurveyRequest` (and queues the question) in the same transaction as
the "done" notification. A reply of a single digit 1–5 on the channel where it was asked
answers the most recent open question of that address within a week.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from notifier.models import ChannelName, SurveyRequest

__all__ = ["ANSWER_WINDOW", "SurveyAnswer", "parse_rating", "record_answer", "survey_results"]

ANSWER_WINDOW = timedelta(days=7)
_RATING = re.compile(r"^\s*([1-5])\s*(?:/\s*5|sao|\*)?\s*[.!]?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class SurveyAnswer:
    """A recorded answer."""

    dossier_code: str
    rating: int


def parse_rating(text: str) -> int | None:
    """1–5 when `text` is just a rating ("4", "5/5", "3 sao"), else None."""
    match = _RATING.match(text)
    return int(match[1]) if match else None


def record_answer(
    session: Session, *, channel: ChannelName, address: str, text: str, now: datetime
) -> SurveyAnswer | None:
    """Store `text` as the answer to the open question of `address`, if it is one."""
    rating = parse_rating(text)
    if rating is None:
        return None
    survey = session.scalars(
        select(SurveyRequest)
        .where(
            SurveyRequest.channel == channel,
            SurveyRequest.address == address,
            SurveyRequest.rating.is_(None),
            SurveyRequest.asked_at >= now - ANSWER_WINDOW,
        )
        .order_by(SurveyRequest.asked_at.desc())
        .limit(1)
    ).first()
    if survey is None:
        return None
    survey.rating, survey.answered_at = rating, now
    return SurveyAnswer(survey.dossier_code, rating)


def survey_results(session: Session, *, since: datetime | None = None) -> list[SurveyRequest]:
    """Answered surveys (for staff), newest first."""
    query = select(SurveyRequest).where(SurveyRequest.rating.is_not(None))
    if since is not None:
        query = query.where(SurveyRequest.answered_at >= since)
    return list(session.scalars(query.order_by(SurveyRequest.answered_at.desc())))
