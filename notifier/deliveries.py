"""Delivery reports: Twilio's status callbacks recorded against the outbox row they concern."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Table, bindparam, literal, or_, update
from sqlalchemy.orm import Session

from notifier.models import OutboxMessage

__all__ = ["record_delivery"]

_TABLE: Table = OutboxMessage.__table__  # type: ignore[assignment]
_FINAL_DELIVERY = {"delivered", "undelivered", "failed"}


def record_delivery(
    session: Session, *, provider_id: str, status: str, error_code: str | None, now: datetime
) -> bool:
    """Record a provider's delivery report; False when no row carries `provider_id`."""
    values: dict[str, object] = {"delivery_status": status}
    if status == "delivered":
        values["delivered_at"] = now
    if status in _FINAL_DELIVERY and error_code:
        values["error_code"] = error_code
    # Callbacks may arrive out of order: a final status is never overwritten by "sent".
    not_final = or_(
        _TABLE.c.delivery_status.is_(None), _TABLE.c.delivery_status.not_in(_FINAL_DELIVERY)
    )
    statement = (
        update(_TABLE)
        .where(_TABLE.c.provider_id == bindparam("pid"))
        .where(not_final if status not in _FINAL_DELIVERY else literal(True))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(session.execute(statement, {"pid": provider_id}).rowcount)  # type: ignore[attr-defined]
