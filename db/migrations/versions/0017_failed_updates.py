"""Stored updates that were given up (their reply never went out) are recorded as failed.

A row done with `failed_at` set was not answered: its sends failed on every try (or for
good), instead of being marked done like an answered one.

Revision ID: 0017_failed_updates
Revises: 0016_stored_updates
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_failed_updates"
down_revision = "0016_stored_updates"

_TABLES = ("telegram_update_claim", "zalo_event")


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("failed_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("failed_at")
