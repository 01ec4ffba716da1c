"""Zalo Official Account: the OA token pair, webhook events seen, followers."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_zalo_oa"
down_revision = "0009_telegram_updates"


def upgrade() -> None:
    op.create_table(
        "zalo_oa_token",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("access_token", sa.Text(), nullable=False),
        sa.Column("refresh_token", sa.Text(), nullable=False),
        sa.Column("access_expires_at", sa.DateTime(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("refresh_started_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "zalo_event",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("event_key", sa.String(160), nullable=False),
        sa.Column("event_name", sa.String(48), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("event_key", name="uq_zalo_event_event_key"),
    )
    op.create_index("ix_zalo_event_received_at", "zalo_event", ["received_at"])
    op.create_table(
        "zalo_follower",
        sa.Column("user_id", sa.String(64), primary_key=True),
        sa.Column("last_message_at", sa.DateTime(), nullable=True),
        sa.Column("following", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("zalo_follower")
    op.drop_index("ix_zalo_event_received_at", table_name="zalo_event")
    op.drop_table("zalo_event")
    op.drop_table("zalo_oa_token")
