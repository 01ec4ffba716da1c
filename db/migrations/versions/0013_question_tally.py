"""Questions per day and channel, written in batches by the gateway (office figures).

Revision ID: 0013_question_tally
Revises: 0012_unanswered
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_question_tally"
down_revision = "0012_unanswered"


def upgrade() -> None:
    op.create_table(
        "question_tally",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("channel", sa.String(16), primary_key=True),
        sa.Column("questions", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("fallbacks", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("failures", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_table("question_tally")
