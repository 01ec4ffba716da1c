"""One answer about one procedure: national record, the province's layer on top, sources.

`answer_about(session, code=..., aspect=...)` follows a replaced code to its successor,
reads the national record (full, or only listed) and the province's entry, and says
for each part where it comes from: "Theo Cổng Dịch vụ công quốc gia, cập nhật …" or the
province's own source when its field overrides the national one. A documents question
about a procedure whose documents differ by situation asks which situation applies
(`ProcedureAnswer.cases`) until one is chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from catalog.answers import ASPECT_PARTS, CAVEAT, MAX_ANSWER_CHARS, Aspect, format_date, hints
from catalog.answers_local import (
    local_documents,
    local_fees,
    local_legal,
    local_office,
    local_online,
    local_steps,
    local_time,
)
from catalog.answers_record import (
    record_documents,
    record_fees,
    record_legal,
    record_online,
    record_steps,
    record_times,
    record_where,
    situation_of,
)
from catalog.models import Procedure
from catalog.national.models import NationalProcedure
from catalog.national.record import NationalRecord, Situation, portal_link, read_record
from catalog.national.text import clip, drop_district
from catalog.queries import find_procedure
from catalog.successors import Replacement, current_code, successor_of

__all__ = ["CaseChoice", "ProcedureAnswer", "Subject", "answer_about", "load_subject", "render"]

NOT_IN_DATA = "Chi tiết chưa có trong dữ liệu của trợ lý"
CASE_TITLE_CHARS = 70
NAME_CHARS = 130
_LEVELS = ((150, True), (90, False), (60, False))  # (document name length, detail)


@dataclass(frozen=True)
class CaseChoice:
    """A situation to offer as a button: its number (1-based) and name."""

    number: int
    name: str


@dataclass(frozen=True)
class ProcedureAnswer:
    """The text; with `cases`, it asks which situation applies instead of answering."""

    code: str
    text: str
    cases: tuple[CaseChoice, ...] = ()
    case: int | None = None


@dataclass(frozen=True)
class Subject:
    """What is known of one procedure: national record and/or the province's entry."""

    code: str
    national: NationalRecord | None
    local: Procedure | None
    replaced: Replacement | None = None

    @property
    def name(self) -> str:
        """The official name (the national one when there is a record)."""
        if self.national is not None:
            return self.national.name
        return self.local.name if self.local is not None else self.code

    @property
    def link(self) -> str:
        """The national portal's page of the procedure."""
        return self.national.link if self.national else portal_link(None, self.code)


def _title(name: str) -> str:
    """A procedure's name as an answer's heading (the portal ends some with a full stop)."""
    return clip(name, NAME_CHARS).rstrip(". ")


def load_subject(session: Session, code: str) -> Subject | None:
    """The procedure `code` (or its successor) as national record and local entry."""
    current = current_code(code)
    row = session.get(NationalProcedure, current)
    local = find_procedure(session, code=current)
    if row is None and local is None:
        return None
    return Subject(current, read_record(row) if row else None, local, successor_of(code))


_LocalPart = Callable[[Procedure, bool], list[str] | None]
_LOCAL: dict[Aspect, _LocalPart] = {
    Aspect.DOCUMENTS: lambda p, detail: local_documents(p, detail=detail),
    Aspect.FEE: lambda p, detail: local_fees(p, detail=detail),
    Aspect.TIME: lambda p, _detail: local_time(p),
    Aspect.WHERE: lambda p, _detail: [f"Nơi nộp: {p.agency}."] if p.agency else None,
    Aspect.ONLINE: lambda p, _detail: local_online(p),
    Aspect.STEPS: lambda p, _detail: local_steps(p),
    Aspect.LEGAL: lambda p, _detail: local_legal(p),
}


def _national_body(
    record: NationalRecord, aspect: Aspect, situation: Situation | None, limit: int, detail: bool
) -> list[str]:
    if aspect is Aspect.DOCUMENTS:
        return record_documents(record, situation, limit=limit)
    if aspect is Aspect.FEE:
        return record_fees(record, detail=detail)
    if aspect is Aspect.TIME:
        return record_times(record)
    if aspect is Aspect.ONLINE:
        return [*record_online(record), f"Trang thủ tục: {record.link}"]
    if aspect is Aspect.STEPS:
        return record_steps(record)
    return record_legal(record)


def _body(
    subject: Subject, aspect: Aspect, situation: Situation | None, level: tuple[int, bool]
) -> tuple[list[str], str]:
    """The lines answering `aspect` and where they come from: local, national or none."""
    if subject.local is not None and (lines := _LOCAL[aspect](subject.local, level[1])):
        return lines, "local"
    record = subject.national
    if record is not None and aspect is Aspect.WHERE:
        return record_where(record), "national"
    if record is not None and record.detailed:
        return _national_body(record, aspect, situation, *level), "national"
    return [], "none"


def _sources(subject: Subject, origin: str, aspect: Aspect) -> list[str]:
    record, local = subject.national, subject.local
    national = (
        f"Theo Cổng Dịch vụ công quốc gia, cập nhật {format_date(record.fetched_on)}."
        if record
        else ""
    )
    lines = []
    if origin == "local" and local is not None:
        checked = format_date(local.checked_on)
        line = f"Theo thông tin của tỉnh ({local.source_url}, kiểm tra {checked})"
        if record is not None and record.detailed:
            line += ", thay cho thông tin trên Cổng Dịch vụ công quốc gia"
        lines.append(line + ".")
        if set(local.unconfirmed or ()) & ASPECT_PARTS[aspect]:
            lines.append(CAVEAT)
    elif national:
        lines.append(national)
    if aspect is Aspect.WHERE and local is not None and local_office(local) and origin != "local":
        lines.append(f"Địa chỉ, giờ làm việc: theo thông tin của tỉnh ({local.source_url}).")
    return lines


def _missing(subject: Subject) -> list[str]:
    record = subject.national
    lines = []
    if record is not None and record.agency:
        lines.append(f"Cơ quan thực hiện: {record.agency}.")
    lines.append(f"{NOT_IN_DATA}; bạn xem đầy đủ trên Cổng Dịch vụ công quốc gia: {subject.link}")
    return lines


def _compose(subject: Subject, aspect: Aspect, situation: Situation | None) -> str:
    for level in _LEVELS:
        lines, origin = _body(subject, aspect, situation, level)
        if origin == "none":
            lines = _missing(subject)
        head = [f"{_title(subject.name)} (mã {subject.code}):"]
        if subject.replaced is not None:
            old = subject.replaced
            head.insert(
                0, f"Thủ tục mã {old.old} đã được thay bằng mã {old.new} (theo {old.decision})."
            )
        if aspect is Aspect.WHERE and subject.local is not None:
            lines = lines + local_office(subject.local)
        if aspect is Aspect.WHERE:
            lines.append(f"Trang thủ tục: {subject.link}")
        if subject.local is not None and subject.local.note:
            lines.append(f"Lưu ý: {subject.local.note}")
        tail = [*_sources(subject, origin, aspect), hints(aspect)]
        text = "\n".join(head + [drop_district(line) for line in lines])
        tail_text = "\n\n" + "\n".join(tail)
        if len(text) + len(tail_text) <= MAX_ANSWER_CHARS:
            break
    room = MAX_ANSWER_CHARS - len(tail_text)
    if len(text) > room:
        text = text[: room - 1].rstrip() + "…"
    return text + tail_text


def _ask_case(subject: Subject, record: NationalRecord) -> ProcedureAnswer:
    cases = tuple(
        CaseChoice(n, clip(s.name, CASE_TITLE_CHARS)) for n, s in enumerate(record.situations, 1)
    )
    lines = [
        f"{_title(subject.name)} (mã {subject.code}): giấy tờ khác nhau tùy trường hợp. "
        "Trường hợp của bạn là trường hợp nào? Bấm chọn một trường hợp:",
        *(f"{case.number}. {case.name}" for case in cases),
        "",
        f"Theo Cổng Dịch vụ công quốc gia, cập nhật {format_date(record.fetched_on)}.",
    ]
    return ProcedureAnswer(subject.code, "\n".join(lines), cases=cases)


def render(subject: Subject, aspect: Aspect, *, case: int | None = None) -> ProcedureAnswer:
    """The answer about `aspect` of `subject` (or the question which situation applies)."""
    record = subject.national
    situation = situation_of(record, case) if record is not None else None
    asks_documents = aspect is Aspect.DOCUMENTS and not (subject.local and subject.local.documents)
    if asks_documents and record is not None and len(record.situations) > 1:
        if situation is None:
            return _ask_case(subject, record)
    else:
        situation = None
    text = _compose(subject, aspect, situation)
    return ProcedureAnswer(subject.code, text, case=case if situation is not None else None)


def answer_about(
    session: Session, *, code: str, aspect: Aspect, case: int | None = None
) -> ProcedureAnswer | None:
    """The answer about `aspect` of procedure `code` (or its successor); None if unknown."""
    subject = load_subject(session, code)
    return render(subject, aspect, case=case) if subject is not None else None
