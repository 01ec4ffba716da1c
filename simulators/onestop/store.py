"""The simulator's in-memory state: dossiers and the changes feed."""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from simulators.onestop.procedures import PROCEDURES_BY_CODE
from simulators.onestop.records import ALLOWED, STATUSES, VIETNAM_TZ, Record, apply_status, fmt
from simulators.onestop.seed import seed_dossiers

__all__ = ["DossierStore", "TransitionError"]


class TransitionError(Exception):
    """A requested status change is unknown or not allowed from the current status."""

    def __init__(self, message: str, *, unknown_status: bool) -> None:
        super().__init__(message)
        self.unknown_status = unknown_status


@dataclass
class DossierStore:
    """Seeded dossiers plus live transitions; `reset()` returns to the seeded state.

    Seeded records are never mutated: a transition copies the record first, so a reset
    is a cheap dictionary copy. Cursors keep increasing across resets, so a reader's
    cursor never points at a different change.
    """

    seed: int
    count: int
    anchor: datetime

    def __post_init__(self) -> None:
        self._pristine = seed_dossiers(self.seed, self.count, self.anchor)
        self._order = sorted(self._pristine, key=lambda code: self._pristine[code]["NgayNopHoSo"])
        self._records = dict(self._pristine)
        self._changes: list[dict[str, Any]] = []
        self._cursor = 0
        self._rng = random.Random(self.seed)

    def reset(self) -> None:
        """Undo every transition and empty the changes feed."""
        self._records = dict(self._pristine)
        self._changes.clear()
        self._rng = random.Random(self.seed)

    @property
    def latest_cursor(self) -> int:
        """The cursor of the latest change (0 before any)."""
        return self._cursor

    def get(self, code: str) -> Record | None:
        """The record with this exact code, or None."""
        return self._records.get(code)

    def page(self, *, status: str | None, limit: int, offset: int) -> tuple[list[Record], int]:
        """Records (oldest submission first), optionally filtered; and the total."""
        codes = self._order
        if status is not None:
            codes = [code for code in codes if self._records[code]["TrangThaiHoSo"] == status]
        return [self._records[code] for code in codes[offset : offset + limit]], len(codes)

    def changes(self, *, since: int, limit: int) -> tuple[list[dict[str, Any]], int]:
        """Changes with cursor > since (oldest first) and the cursor to ask from next."""
        # Cursors are increasing, so a linear scan from the end finds the start quickly.
        start = len(self._changes)
        while start > 0 and self._changes[start - 1]["cursor"] > since:
            start -= 1
        page = self._changes[start : start + limit]
        return page, page[-1]["cursor"] if page else max(since, 0)

    def transition(self, code: str, status: str, *, now: datetime | None = None) -> Record:
        """Move a dossier to `status`, record the change; raise KeyError or TransitionError."""
        current = self._records[code]
        if status not in STATUSES:
            raise TransitionError(f"unknown status {status!r}", unknown_status=True)
        old = current["TrangThaiHoSo"]
        if status not in ALLOWED[old]:
            allowed = ", ".join(sorted(ALLOWED[old])) or "none (final status)"
            raise TransitionError(
                f"{code}: {old} → {status} is not allowed; allowed: {allowed}",
                unknown_status=False,
            )
        moment = now or datetime.now(VIETNAM_TZ)
        record = copy.deepcopy(current)
        procedure = PROCEDURES_BY_CODE[record["MaTTHC"]]
        apply_status(record, procedure, status, moment, "Cán bộ một cửa", self._rng)
        self._records[code] = record
        self._cursor += 1
        self._changes.append(
            {
                "cursor": self._cursor,
                "MaHoSo": code,
                "MaTTHC": record["MaTTHC"],
                "TrangThaiCu": old,
                "TrangThaiMoi": status,
                "ThoiDiem": fmt(moment),
                # The dossier as the change left it: who to tell, and by when, without
                # a lookup per change.
                "TenTTHC": record["TenTTHC"],
                "SoDienThoai": record["SoDienThoai"],
                "NgayHenTra": record["NgayHenTra"],
            }
        )
        return record
