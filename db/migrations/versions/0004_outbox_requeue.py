"""Outbox: when a failed row was put back by `python -m notifier requeue`.

Give-up is by age, counted from `coalesce(requeued_at, created_at)`, so a re-queued row
gets a fresh allowance while its creation time stays what it was.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_outbox_requeue"
down_revision = "0003_national"


def upgrade() -> None:
    with op.batch_alter_table("notifier_outbox") as batch:
        batch.add_column(sa.Column("requeued_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notifier_outbox") as batch:
        batch.drop_column("requeued_at")
