"""Deterministic seeding: `count` realistic dossiers received before `anchor`.

The same (seed, count, anchor) always gives the same dossiers. Each dossier is created
at submission and moved through the same `apply_status` steps the API uses, with event
times drawn in working days, so due dates skip weekends and holidays and some dossiers
run late (overdue). Every national status value is represented.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta

from simulators.onestop.people import make_applicant
from simulators.onestop.procedures import PROCEDURES, UNITS, Procedure, Unit
from simulators.onestop.records import (
    STATUSES,
    VIETNAM_TZ,
    Record,
    apply_status,
    fmt,
    new_record,
)
from workdays import add_working_days, is_working_day

__all__ = ["WINDOW_DAYS", "seed_dossiers"]

WINDOW_DAYS = 120  # how far back receipts go
_OFFICERS = ("Trần Thị Hồng", "Lê Văn Phước", "Nguyễn Thị Thu Hà", "Phạm Minh Tâm", "Võ Đức Lộc")
# Status paths used to make sure every status appears, even in a tiny seed.
_PATHS: dict[str, tuple[str, ...]] = {
    "receiving": (),
    "new": ("new",),
    "denied": ("denied",),
    "processing": ("new", "processing"),
    "waiting": ("new", "processing", "waiting"),
    "paying": ("new", "processing", "paying"),
    "cancelled": ("new", "cancelled"),
    "unresolved": ("new", "processing", "unresolved"),
    "releasing": ("new", "processing", "releasing"),
    "done": ("new", "processing", "releasing", "done"),
}


def _office_time(rng: random.Random, day: date) -> datetime:
    minutes = rng.randrange(7 * 60 + 30, 16 * 60 + 45)
    return datetime.combine(day, time(minutes // 60, minutes % 60), VIETNAM_TZ)


def _after(rng: random.Random, start: datetime, working_days: int) -> datetime:
    """A moment `working_days` working days after `start` (later the same day if 0)."""
    if working_days == 0:
        return start + timedelta(minutes=rng.randrange(20, 180))
    return _office_time(rng, add_working_days(start.date(), working_days))


def _plan(rng: random.Random, procedure: Procedure, online: bool) -> list[tuple[str, int]]:
    """The status events a dossier will go through, as (status, working days after previous)."""
    if online and rng.random() < 0.04:
        return [("denied", rng.randint(0, 1))]
    days = procedure.working_days
    events: list[tuple[str, int]] = [("new", rng.randint(0, 1) if online else 0)]
    events.append(("processing", 0 if days <= 1 else rng.randint(0, 1)))
    roll = rng.random()
    if roll < 0.02:
        return [*events, ("cancelled", rng.randint(0, max(1, days)))]
    if roll < 0.04:
        return [*events, ("unresolved", rng.randint(1, max(2, days)))]
    late = rng.random() < 0.18
    finish = days + rng.randint(1, 8) if late else max(0, days - rng.randint(0, days // 2))
    if rng.random() < 0.10:
        wait_at = rng.randint(0, max(0, finish - 1))
        # Citizens take a while to bring documents: some are still waiting.
        events += [("waiting", wait_at), ("processing", rng.randint(1, 20))]
        finish = max(0, finish - wait_at)
    if any(fee.obligation for fee in procedure.fees) and rng.random() < 0.8:
        pay_at = max(0, finish - 2)
        events += [("paying", pay_at), ("processing", rng.randint(1, 12))]
        finish = 1
    events.append(("releasing", finish))
    events.append(("done", rng.choice((0, 0, 1, 1, 2, 3, 5))))
    return events


def _build(
    rng: random.Random,
    code: str,
    unit: Unit,
    procedure: Procedure,
    submitted_at: datetime,
    anchor: datetime,
    forced: str | None = None,
) -> Record:
    online = forced == "receiving" or rng.random() < 0.35
    record = new_record(code, procedure, unit, make_applicant(rng), submitted_at, online=online)
    officer = rng.choice(_OFFICERS)
    if forced is None:
        events = _plan(rng, procedure, online)
    else:
        events = [(status, 0) for status in _PATHS[forced]]
    moment = submitted_at
    for status, working_days in events:
        moment = (
            _after(rng, moment, working_days) if forced is None else moment + timedelta(minutes=1)
        )
        if moment > anchor:
            break
        apply_status(record, procedure, status, moment, officer, rng)
    return record


def seed_dossiers(seed: int, count: int, anchor: datetime) -> dict[str, Record]:
    """`count` dossiers received in the `WINDOW_DAYS` before `anchor`, keyed by code."""
    rng = random.Random(seed)
    first = anchor.date() - timedelta(days=WINDOW_DAYS)
    days = [
        first + timedelta(days=offset)
        for offset in range(WINDOW_DAYS + 1)
        if is_working_day(first + timedelta(days=offset))
    ]
    unit_weights = [unit.weight for unit in UNITS]
    by_kind = {
        kind: [p for p in PROCEDURES if p.unit_kind == kind] for kind in {u.kind for u in UNITS}
    }
    slots: dict[tuple[date, int], int] = defaultdict(int)
    for day, unit_index in zip(
        rng.choices(days, k=count),
        rng.choices(range(len(UNITS)), unit_weights, k=count),
        strict=True,
    ):
        slots[(day, unit_index)] += 1
    records: dict[str, Record] = {}
    for (day, unit_index), how_many in sorted(slots.items()):
        unit = UNITS[unit_index]
        procedures = by_kind[unit.kind]
        weights = [p.weight for p in procedures]
        times = sorted(_office_time(rng, day) for _ in range(how_many))
        for sequence, submitted_at in enumerate(times, start=1):
            submitted_at = min(submitted_at, anchor - timedelta(minutes=how_many - sequence + 1))
            code = f"{unit.code}-{day:%y%m%d}-{sequence:04d}"
            procedure = rng.choices(procedures, weights)[0]
            records[code] = _build(rng, code, unit, procedure, submitted_at, anchor)
    _cover_every_status(rng, records, anchor)
    return records


def _cover_every_status(rng: random.Random, records: dict[str, Record], anchor: datetime) -> None:
    """Rebuild a few dossiers so each status appears at least once (small seeds)."""
    counts = Counter(record["TrangThaiHoSo"] for record in records.values())
    latest = fmt(anchor - timedelta(hours=1))
    codes = sorted(code for code, record in records.items() if record["NgayNopHoSo"] < latest)
    unit_by_code = {unit.code: unit for unit in UNITS}
    procedures = {p.code: p for p in PROCEDURES}
    for status in STATUSES:
        # Only take a dossier whose status would still be represented without it.
        spare = [code for code in codes if counts[records[code]["TrangThaiHoSo"]] > 1]
        if counts[status] or not spare:
            continue
        code = rng.choice(spare)
        codes.remove(code)
        counts[records[code]["TrangThaiHoSo"]] -= 1
        counts[status] += 1
        old = records[code]
        submitted_at = datetime.strptime(old["NgayNopHoSo"], "%Y%m%d%H%M%S").replace(
            tzinfo=VIETNAM_TZ
        )
        records[code] = _build(
            rng, code, unit_by_code[code[:13]], procedures[old["MaTTHC"]], submitted_at, anchor,
            forced=status,
        )  # fmt: skip
