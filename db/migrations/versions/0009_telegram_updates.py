"""Telegram updates taken on, by bot and update_id (each handled once across replicas)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_telegram_updates"
down_revision = "0008_local_layer"


def upgrade() -> None:
    op.create_table(
        "telegram_update_claim",
        sa.Column("bot_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("bot_id", "update_id", name=op.f("pk_telegram_update_claim")),
    )
    op.create_index("ix_telegram_update_claim_claimed_at", "telegram_update_claim", ["claimed_at"])


def downgrade() -> None:
    op.drop_index("ix_telegram_update_claim_claimed_at", table_name="telegram_update_claim")
    op.drop_table("telegram_update_claim")
