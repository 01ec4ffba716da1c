"""The FAQ entries clerks keep: validation, reads, changes, snapshots, and the bot's view.

Data functions take the session first and do not commit (the caller's transaction also
holds the audit entry). Every change bumps `version` and `updated_at`, which is what
`faq.matcher.fingerprint` reads, so the bot-side matcher sees a change with one
aggregate query and reloads the published entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.models import Procedure
from catalog.national.models import NationalProcedure
from faq.models import FaqEntry, FaqState
from vntext import fold

__all__ = [
    "MAX_ANSWER",
    "MAX_QUESTION",
    "MAX_QUESTIONS",
    "NO_ANSWER",
    "FaqDraft",
    "FaqInvalid",
    "list_entries",
    "put_snapshot",
    "snapshot",
]

MAX_QUESTIONS = 30
MAX_QUESTION = 300
MAX_ANSWER = 3000  # an SMS of this is already 20 parts; Telegram's limit is 4096


NO_ANSWER = "Câu trả lời không được để trống."


class FaqInvalid(ValueError):
    """An entry that cannot be saved: `problems` names each, in Vietnamese."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class FaqDraft:
    """What a clerk typed, cleaned: question variants, answer, linked procedure."""

    questions: tuple[str, ...]
    answer: str
    procedure_code: str | None

    @classmethod
    def checked(
        cls,
        session: Session,
        questions: list[str],
        answer: str,
        procedure_code: str | None,
        *,
        require_answer: bool = True,
    ) -> FaqDraft:
        """The cleaned draft, or `FaqInvalid` naming everything wrong at once.

        `require_answer=False`: a draft whose answer the clerk writes later (it cannot be
        published until it has one).
        """
        cleaned = _unique(" ".join(question.split()) for question in questions)
        answer = answer.strip()
        code = (procedure_code or "").strip() or None
        problems = _question_problems(cleaned)
        if not answer and require_answer:
            problems.append(NO_ANSWER)
        elif len(answer) > MAX_ANSWER:
            problems.append(f"Câu trả lời dài quá {MAX_ANSWER} ký tự ({len(answer)}).")
        if code is not None and not _known_procedure(session, code):
            problems.append(f"Không có thủ tục nào mã {code[:40]} trong danh mục.")
        if problems:
            raise FaqInvalid(problems)
        return cls(tuple(cleaned), answer, code)


def _unique(questions: Any) -> list[str]:
    seen: dict[str, str] = {}
    for question in questions:
        if question:
            seen.setdefault(question.casefold(), question)
    return list(seen.values())


def _question_problems(questions: list[str]) -> list[str]:
    if not questions:
        return ["Cần ít nhất một câu hỏi (các cách hỏi khác nhau của cùng một ý)."]
    problems = []
    if len(questions) > MAX_QUESTIONS:
        problems.append(f"Nhiều nhất {MAX_QUESTIONS} cách hỏi cho một mục ({len(questions)}).")
    for number, question in enumerate(questions, 1):
        if len(question) > MAX_QUESTION:
            problems.append(f"Câu hỏi số {number} dài quá {MAX_QUESTION} ký tự.")
    return problems


def _known_procedure(session: Session, code: str) -> bool:
    province = select(Procedure.id).where(Procedure.code == code)
    national = select(NationalProcedure.code).where(NationalProcedure.code == code)
    return session.scalar(province) is not None or session.scalar(national) is not None


def snapshot(entry: FaqEntry) -> dict[str, Any]:
    """The entry as the API shows it and the audit log keeps it."""
    return {
        "id": entry.id,
        "questions": list(entry.questions),
        "answer": entry.answer,
        "procedure_code": entry.procedure_code,
        "state": entry.state.value,
    }


def put_snapshot(session: Session, entry_id: int, state: dict[str, Any] | None, by: str) -> None:
    """Make entry `entry_id` exactly `state` (None: no such entry), creating it if gone."""
    entry = session.get(FaqEntry, entry_id)
    now = datetime.now(UTC)
    if state is None:
        if entry is not None:
            session.delete(entry)
            session.flush()
        return
    if entry is None:
        entry = FaqEntry(id=entry_id, version=0, created_at=now, created_by=by)
        session.add(entry)
    entry.questions = list(state["questions"])
    entry.answer = state["answer"]
    entry.procedure_code = state["procedure_code"]
    entry.state = FaqState(state["state"])
    entry.version = (entry.version or 0) + 1
    entry.updated_at = now
    entry.updated_by = by
    session.flush()


def list_entries(
    session: Session, *, state: FaqState | None = None, search: str = ""
) -> list[FaqEntry]:
    """Entries, most recently changed first; `search` finds words in questions or answer.

    The search ignores case and diacritics ("thuong tru" finds "thường trú"); it runs
    over the loaded entries (an office keeps hundreds, not millions).
    """
    query = select(FaqEntry).order_by(FaqEntry.updated_at.desc(), FaqEntry.id.desc())
    if state is not None:
        query = query.where(FaqEntry.state == state)
    entries = list(session.scalars(query))
    wanted = fold(search).split()
    if not wanted:
        return entries
    return [entry for entry in entries if all(word in _haystack(entry) for word in wanted)]


def _haystack(entry: FaqEntry) -> str:
    return fold(" ".join([*entry.questions, entry.answer, entry.procedure_code or ""]))
