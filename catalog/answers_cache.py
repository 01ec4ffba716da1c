"""Rendered answers kept per catalog version, and which codes the catalog can answer.

An answer takes a national record (a large JSON document) and the province's entry with
its parts to build; the same few procedures are asked about all day. Answers are kept
until the local catalog (its version, as the resolver cache sees it) or the national
import changes. Both are checked on every call with one cheap query.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalog.answers import Aspect
from catalog.answers_service import ProcedureAnswer, answer_about
from catalog.national.models import NationalImport, NationalProcedure
from catalog.successors import current_code

__all__ = ["AnswerCache"]

MAX_ANSWERS = 5000
CHECK_SECONDS = 1.0


class AnswerCache:
    """Answers by (code, aspect, case) and the known national codes, per catalog version."""

    def __init__(
        self,
        limit: int = MAX_ANSWERS,
        *,
        check_seconds: float = CHECK_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._limit = limit
        self._check_seconds = check_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._key: Hashable = None
        self._import: int | None = None  # the newest national import seen ...
        self._import_checked = float("-inf")  # ... and when it was last asked for
        self._answers: dict[tuple[str, Aspect, int | None], ProcedureAnswer | None] = {}
        self._national: frozenset[str] = frozenset()

    def _current(self, session: Session, local_version: Hashable) -> None:
        """Start afresh when the local catalog or the national import changed."""
        now = self._clock()
        if now - self._import_checked >= self._check_seconds:
            self._import = session.scalar(select(func.max(NationalImport.id)))
            self._import_checked = now
        key = (local_version, self._import)
        with self._lock:
            if key == self._key:
                return
        codes = frozenset(session.scalars(select(NationalProcedure.code)))
        with self._lock:
            self._key, self._answers, self._national = key, {}, codes

    def knows(
        self, session: Session, local_version: Hashable, local_codes: Any
    ) -> Callable[[str], bool]:
        """A test of whether `code` (or its successor) is a procedure the catalog holds."""
        self._current(session, local_version)
        national = self._national

        def known(code: str) -> bool:
            current = current_code(code)
            return current in national or current in local_codes

        return known

    def answer(
        self,
        session: Session,
        local_version: Hashable,
        code: str,
        aspect: Aspect,
        case: int | None,
    ) -> ProcedureAnswer | None:
        """The answer about `aspect` of `code` in `case` (rendered once per version)."""
        self._current(session, local_version)
        key = (code, aspect, case)
        with self._lock:
            if key in self._answers:
                return self._answers[key]
        found = answer_about(session, code=code, aspect=aspect, case=case)
        with self._lock:
            if len(self._answers) >= self._limit:
                self._answers.clear()
            self._answers[key] = found
        return found
