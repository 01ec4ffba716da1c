"""Catalog: procedures, aliases, required documents, fees, steps and bundle members."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_catalog"
down_revision = None


def _procedure_fk() -> sa.Column[int]:
    return sa.Column("procedure_id", sa.Integer(), nullable=False)


def _child_columns(column: str = "procedure_id") -> list[sa.Column[int]]:
    """An ordered child row's own id, its parent's id and its place in the parent's list."""
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(column, sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
    ]


def _child_keys(table: str, column: str = "procedure_id") -> list[sa.Constraint]:
    return [
        sa.ForeignKeyConstraint(
            [column], ["procedure.id"], name=f"fk_{table}_{column}_procedure", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
        sa.UniqueConstraint(column, "position", name=f"uq_{table}_position"),
    ]


def upgrade() -> None:
    op.create_table(
        "procedure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("field", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=100), nullable=False),
        sa.Column("agency", sa.Text(), nullable=False),
        sa.Column("processing_days", sa.Float(), nullable=True),
        sa.Column("processing_note", sa.Text(), nullable=True),
        sa.Column("online_level", sa.String(length=20), nullable=True),
        sa.Column("legal_basis", sa.JSON(), nullable=False),
        sa.Column("source_url", sa.String(length=1000), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("unconfirmed", sa.JSON(), nullable=False),
        sa.Column("unconfirmed_note", sa.Text(), nullable=True),
        sa.Column("popularity", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "online_level IS NULL OR online_level IN ('toan_trinh', 'mot_phan', 'truc_tiep')",
            name="ck_procedure_online_level",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_procedure"),
        sa.UniqueConstraint("code", name="uq_procedure_code"),
    )
    op.create_table(
        "procedure_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        _procedure_fk(),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["procedure_id"],
            ["procedure.id"],
            name="fk_procedure_alias_procedure_id_procedure",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_procedure_alias"),
        sa.UniqueConstraint("procedure_id", "text", name="uq_procedure_alias_text"),
    )
    op.create_table(
        "procedure_document",
        *_child_columns(),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("form", sa.String(length=300), nullable=True),
        sa.Column("condition", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('original', 'copy', 'either', 'shown')", name="ck_procedure_document_kind"
        ),
        sa.CheckConstraint("count >= 0", name="ck_procedure_document_count"),
        *_child_keys("procedure_document"),
    )
    op.create_table(
        "procedure_fee",
        *_child_columns(),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("amount_vnd", sa.Integer(), nullable=True),
        sa.Column("condition", sa.Text(), nullable=True),
        *_child_keys("procedure_fee"),
    )
    op.create_table(
        "procedure_step",
        *_child_columns(),
        sa.Column("text", sa.Text(), nullable=False),
        *_child_keys("procedure_step"),
    )
    op.create_table(
        "procedure_bundle_member",
        *_child_columns("bundle_id"),
        sa.Column("member_code", sa.String(length=32), nullable=True),
        sa.Column("member_name", sa.String(length=500), nullable=False),
        sa.Column("agency", sa.String(length=300), nullable=True),
        *_child_keys("procedure_bundle_member", "bundle_id"),
    )
    for table, column in (
        ("procedure_alias", "procedure_id"),
        ("procedure_document", "procedure_id"),
        ("procedure_fee", "procedure_id"),
        ("procedure_step", "procedure_id"),
        ("procedure_bundle_member", "bundle_id"),
    ):
        op.create_index(f"ix_{table}_{column}", table, [column], unique=False)


def downgrade() -> None:
    for table, column in (
        ("procedure_bundle_member", "bundle_id"),
        ("procedure_step", "procedure_id"),
        ("procedure_fee", "procedure_id"),
        ("procedure_document", "procedure_id"),
        ("procedure_alias", "procedure_id"),
    ):
        op.drop_index(f"ix_{table}_{column}", table_name=table)
        op.drop_table(table)
    op.drop_table("procedure")
