"""Staff console: accounts, server-side sessions, login throttles, audit log, FAQ entries.

Revision ID: 0015_console
Revises: 0014_import_review
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0015_console"
down_revision = "0014_import_review"

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TABLES = ("faq_entry", "audit_entry", "login_throttle", "staff_session", "staff_account")


def _required(**types: sa.types.TypeEngine[Any]) -> list[sa.Column[Any]]:
    """NOT NULL columns, by name and type, in order."""
    return [sa.Column(name, type_, nullable=False) for name, type_ in types.items()]


def upgrade() -> None:
    staff_id = sa.ForeignKey(
        "staff_account.id", ondelete="CASCADE", name="fk_staff_session_staff_id_staff_account"
    )
    op.create_table(
        "staff_account",
        sa.Column("id", sa.Integer(), primary_key=True),
        *_required(username=sa.String(64), password_hash=sa.String(256), role=sa.String(16)),
        *_required(active=sa.Boolean(), created_at=sa.DateTime(), updated_at=sa.DateTime()),
        sa.UniqueConstraint("username", name="uq_staff_account_username"),
    )
    op.create_table(
        "staff_session",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("staff_id", sa.Integer(), staff_id, nullable=False),
        *_required(created_at=sa.DateTime(), last_seen_at=sa.DateTime()),
        *_required(expires_at=sa.DateTime(), client_address=sa.String(64)),
    )
    op.create_index("ix_staff_session_staff_id", "staff_session", ["staff_id"])
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(128), primary_key=True),
        *_required(failures=sa.Integer(), last_failure_at=sa.DateTime()),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
    )
    op.create_table(
        "audit_entry",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        *_required(at=sa.DateTime()),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        *_required(actor_name=sa.String(64), entity=sa.String(32), entity_id=sa.String(128)),
        *_required(action=sa.String(32)),
        *[sa.Column(name, sa.JSON(), nullable=True) for name in ("before", "after")],
        sa.Column("reverted_by_id", BIG_ID, nullable=True),
    )
    op.create_index("ix_audit_entry_at", "audit_entry", ["at"])
    op.create_table(
        "faq_entry",
        sa.Column("id", sa.Integer(), primary_key=True),
        *_required(questions=sa.JSON(), answer=sa.Text()),
        sa.Column("procedure_code", sa.String(32), nullable=True),
        *_required(state=sa.String(16), version=sa.Integer()),
        *_required(created_at=sa.DateTime(), created_by=sa.String(64)),
        *_required(updated_at=sa.DateTime(), updated_by=sa.String(64)),
    )
    op.create_index("ix_faq_entry_state", "faq_entry", ["state"])
    op.create_index("ix_faq_entry_updated_at", "faq_entry", ["updated_at"])


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
