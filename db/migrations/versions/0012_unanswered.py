"""Unanswered questions: masked messages the assistant could not answer, for clerks.

Revision ID: 0012_unanswered
Revises: 0011_zalo_window
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_unanswered"
down_revision = "0011_zalo_window"

# Every column is required; the text is masked, and no column names the sender.
_REQUIRED = (
    ("text", sa.String(500)),
    ("channel", sa.String(16)),
    ("reason", sa.String(24)),
    ("day", sa.Date()),
    ("state", sa.String(16)),
)


def upgrade() -> None:
    big_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "unanswered_question",
        sa.Column("id", big_id, primary_key=True, autoincrement=True),
        *(sa.Column(name, kind, nullable=False) for name, kind in _REQUIRED),
    )
    # The console reads the open questions of recent days.
    op.create_index("ix_unanswered_question_state_day", "unanswered_question", ["state", "day"])


def downgrade() -> None:
    op.drop_index("ix_unanswered_question_state_day", table_name="unanswered_question")
    op.drop_table("unanswered_question")
