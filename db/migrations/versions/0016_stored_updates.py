"""Telegram updates and Zalo events stored with their payload until a worker has processed them.

The webhook stores the raw update and answers at once; a worker claims it under a lease.
Rows already there were processed (or lost) by the old in-process path: marked done.

Revision ID: 0016_stored_updates
Revises: 0015_console
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_stored_updates"
down_revision = "0015_console"

# (table, its arrival-time column)
_TABLES = (("telegram_update_claim", "claimed_at"), ("zalo_event", "received_at"))


def upgrade() -> None:
    for table, received in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("payload", sa.Text(), nullable=True))
            batch.add_column(sa.Column("done_at", sa.DateTime(), nullable=True))
            batch.add_column(sa.Column("lease_owner", sa.String(96), nullable=True))
            batch.add_column(sa.Column("lease_until", sa.DateTime(), nullable=True))
            batch.add_column(
                sa.Column("attempts", sa.Integer(), nullable=False, server_default="0")
            )
        op.execute(f"UPDATE {table} SET done_at = {received}")
        op.create_index(f"ix_{table}_done_at", table, ["done_at"])


def downgrade() -> None:
    for table, _ in _TABLES:
        op.drop_index(f"ix_{table}_done_at", table_name=table)
        with op.batch_alter_table(table) as batch:
            for column in ("attempts", "lease_until", "lease_owner", "done_at", "payload"):
                batch.drop_column(column)
