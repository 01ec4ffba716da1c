"""Local layer: the province's catalog entries only add to or override the national record.

`field`, `level` and `agency` become optional (the national record has them), and the
province's own additions get columns: the office's address and hours, and a note.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_local_layer"
down_revision = "0007_code_requester"

_OPTIONAL = (("field", sa.String(200)), ("level", sa.String(100)), ("agency", sa.Text()))
_ADDED = ("office_address", "office_hours", "note")


def upgrade() -> None:
    with op.batch_alter_table("procedure") as table:
        for name, kind in _OPTIONAL:
            table.alter_column(name, existing_type=kind, nullable=True)
        for name in _ADDED:
            table.add_column(sa.Column(name, sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("procedure") as table:
        for name in _ADDED:
            table.drop_column(name)
        for name, kind in _OPTIONAL:
            table.alter_column(name, existing_type=kind, nullable=False, server_default="")
