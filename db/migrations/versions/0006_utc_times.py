"""One time convention: the catalog's `procedure.updated_at` becomes naive UTC like
every other time column (it was the one `timestamp with time zone` on PostgreSQL).

SQLite stores both kinds alike (the UTC wall time as text): nothing to do there.
"""

from __future__ import annotations

from alembic import op

revision = "0006_utc_times"
down_revision = "0005_code_limits"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE procedure ALTER COLUMN updated_at TYPE timestamp without time zone "
            "USING updated_at AT TIME ZONE 'UTC'"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE procedure ALTER COLUMN updated_at TYPE timestamp with time zone "
            "USING updated_at AT TIME ZONE 'UTC'"
        )
