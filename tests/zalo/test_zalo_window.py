"""Chat notifications to a Zalo user, given when they last wrote (free / paid / closed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from notifier.models import ChallengeState, ChannelName, OutboxMessage, SubscriptionChallenge
from notifier.zalo_window import decide
from zalo_oa.followers import follower_statements
from zalo_oa.models import ZaloWindowChoice

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CODE = "000.00.01.H01-261201-0007"


def _notification(session: Session, user: str) -> int:
    row = OutboxMessage(
        idempotency_key=f"status:{user}",
        channel=ChannelName.ZALO,
        address=user,
        recipient_key=f"zalo:{user}",
        body="Hồ sơ đã có kết quả",
        dossier_code=CODE,
        available_at=NOW,
        created_at=NOW,
    )
    session.add(row)
    session.add(
        SubscriptionChallenge(
            channel=ChannelName.ZALO,
            address=user,
            dossier_code=CODE,
            phone="+84912345678",
            code_hash="x",
            attempts_left=0,
            state=ChallengeState.CONFIRMED,
            expires_at=NOW,
            created_at=NOW,
        )
    )
    session.flush()
    return row.id


@pytest.mark.parametrize(
    ("hours_ago", "paid", "by_zalo", "choice"),
    [
        (1, False, True, ("free", "zalo")),
        (50, True, True, ("paid", "zalo")),
        (50, False, False, ("paid", "sms")),
        (24 * 8, True, False, ("closed", "sms")),
    ],
)
def test_the_window_decides_and_the_choice_is_recorded(
    session: Session, hours_ago: int, paid: bool, by_zalo: bool, choice: tuple[str, str]
) -> None:
    user = f"84{hours_ago}{int(paid)}"
    dialect = session.get_bind().dialect
    for statement in follower_statements(
        dialect, user, now=NOW - timedelta(hours=hours_ago), wrote=True
    ):
        session.execute(statement)
    outbox_id = _notification(session, user)

    assert decide(session, outbox_id, paid=paid, now=NOW) is by_zalo
    recorded = session.scalars(
        select(ZaloWindowChoice).where(ZaloWindowChoice.outbox_id == outbox_id)
    ).one()
    assert (recorded.window, recorded.choice) == choice
    sms = session.scalars(
        select(OutboxMessage).where(OutboxMessage.channel == ChannelName.SMS)
    ).all()
    assert [(m.address, m.body) for m in sms] == (
        [] if by_zalo else [("+84912345678", "Ho so da co ket qua")]
    )
