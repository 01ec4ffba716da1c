"""The one table figures keep of their own: questions per day and channel."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base

__all__ = ["QuestionTally"]


class QuestionTally(Base):
    """How many questions one channel had on one day (Vietnam time), and how they went.

    Written by the gateway in batches (`office_figures.questions`), never per message.
    """

    __tablename__ = "question_tally"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    questions: Mapped[int] = mapped_column(Integer, default=0)
    # Rasa did not understand (nlu_fallback, or no intent).
    fallbacks: Mapped[int] = mapped_column(Integer, default=0)
    # Rasa could not answer at all: the citizen got the apology.
    failures: Mapped[int] = mapped_column(Integer, default=0)
