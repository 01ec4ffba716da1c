"""Import review: a staged national import, its changes one by one, held or published.

`national_import.status` says what a run is (applied at once, dry run, review waiting,
published); `revised_at` moves whenever stored national records change through it
(publish, release of a held change) so that readers see a new catalog version.
`national_staged` keeps the staged records of added and changed procedures until the
review is published and its held changes are released.

Revision ID: 0014_import_review
Revises: 0013_question_tally
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_import_review"
down_revision = "0013_question_tally"


def upgrade() -> None:
    with op.batch_alter_table("national_import") as table:
        table.add_column(
            sa.Column("status", sa.String(12), nullable=False, server_default="applied")
        )
        table.add_column(sa.Column("revised_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE national_import SET status = 'dry_run' WHERE NOT applied")
    op.execute("UPDATE national_import SET revised_at = imported_at WHERE applied")

    def import_id(*, key: bool) -> sa.Column:  # type: ignore[type-arg]
        foreign = sa.ForeignKey("national_import.id", ondelete="CASCADE")
        return sa.Column(
            "import_id", sa.Integer(), foreign, primary_key=key, nullable=False, index=not key
        )

    required = (("name", sa.Text()), ("detailed", sa.Boolean()), ("fields", sa.JSON()))
    op.create_table(
        "national_staged",
        import_id(key=True),
        sa.Column("code", sa.String(32), primary_key=True),
        *(sa.Column(name, kind, nullable=False) for name, kind in required),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("updated_at_source", sa.DateTime(), nullable=True),
    )
    strings = (("code", 32), ("kind", 8), ("state", 12))
    op.create_table(
        "national_change",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        import_id(key=False),
        *(sa.Column(name, sa.String(length), nullable=False) for name, length in strings),
        sa.Column("field", sa.String(40), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("national_change")
    op.drop_table("national_staged")
    with op.batch_alter_table("national_import") as table:
        table.drop_column("revised_at")
        table.drop_column("status")
