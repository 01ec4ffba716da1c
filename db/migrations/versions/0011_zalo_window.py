"""Zalo: how each chat notification was sent given the user's 48-hour / 7-day window."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_zalo_window"
down_revision = "0010_zalo_oa"


def upgrade() -> None:
    op.create_table(
        "zalo_window_choice",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("outbox_id", sa.BigInteger(), nullable=False),
        sa.Column("window", sa.String(8), nullable=False),
        sa.Column("choice", sa.String(8), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_zalo_window_choice_outbox_id", "zalo_window_choice", ["outbox_id"])


def downgrade() -> None:
    op.drop_index("ix_zalo_window_choice_outbox_id", table_name="zalo_window_choice")
    op.drop_table("zalo_window_choice")
