"""National procedure database: the procedures as last imported, and the import runs."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_national"
down_revision = "0002_notifier"


def upgrade() -> None:
    op.create_table(
        "national_procedure",
        sa.Column("code", sa.String(32), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("detailed", sa.Boolean(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("fetched_on", sa.Date(), nullable=False),
        sa.Column("updated_at_source", sa.DateTime(), nullable=True),
    )
    op.create_table(
        "national_import",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("fetched_on", sa.Date(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("applied", sa.Boolean(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("national_import")
    op.drop_table("national_procedure")
