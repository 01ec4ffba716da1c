"""Notifier: outbox, watcher cursor, opt-outs, subscriptions and their challenges, surveys,
inbound SMS de-duplication.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_notifier"
down_revision = "0001_catalog"

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "notifier_outbox",
        sa.Column("id", _BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("recipient_key", sa.String(96), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("dossier_code", sa.String(64), nullable=True),
        sa.Column("dossier_status", sa.String(16), nullable=True),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("outcome_unknown", sa.Boolean(), nullable=False),
        sa.Column("available_at", sa.DateTime(), nullable=False),
        sa.Column("lease_owner", sa.String(64), nullable=True),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("first_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("provider_id", sa.String(64), nullable=True),
        sa.Column("error_code", sa.String(32), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("delivery_status", sa.String(16), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifier_outbox")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_notifier_outbox_idempotency_key")),
    )
    op.create_index("ix_notifier_outbox_recipient", "notifier_outbox", ["recipient_key", "id"])
    op.create_index("ix_notifier_outbox_due", "notifier_outbox", ["state", "id"])
    op.create_index(op.f("ix_notifier_outbox_provider_id"), "notifier_outbox", ["provider_id"])

    op.create_table(
        "notifier_cursor",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("position", sa.String(128), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_notifier_cursor")),
    )
    op.create_table(
        "notifier_opt_out",
        sa.Column("phone", sa.String(32), nullable=False),
        sa.Column("opted_out", sa.Boolean(), nullable=False),
        sa.Column("keyword", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("phone", name=op.f("pk_notifier_opt_out")),
    )
    op.create_table(
        "notifier_subscription",
        sa.Column("id", _BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("dossier_code", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifier_subscription")),
        sa.UniqueConstraint("dossier_code", "channel", "address", name="uq_notifier_subscription"),
    )
    op.create_index(
        op.f("ix_notifier_subscription_dossier_code"), "notifier_subscription", ["dossier_code"]
    )
    op.create_table(
        "notifier_subscription_challenge",
        sa.Column("id", _BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("dossier_code", sa.String(64), nullable=False),
        sa.Column("phone", sa.String(32), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("attempts_left", sa.SmallInteger(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifier_subscription_challenge")),
    )
    op.create_index(
        "ix_notifier_challenge_conversation",
        "notifier_subscription_challenge",
        ["channel", "address"],
    )
    op.create_table(
        "notifier_survey",
        sa.Column("dossier_code", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("asked_at", sa.DateTime(), nullable=False),
        sa.Column("rating", sa.SmallInteger(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("dossier_code", name=op.f("pk_notifier_survey")),
    )
    op.create_index(op.f("ix_notifier_survey_address"), "notifier_survey", ["address"])
    op.create_table(
        "notifier_inbound_sms",
        sa.Column("message_sid", sa.String(64), nullable=False),
        sa.Column("from_number", sa.String(32), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("message_sid", name=op.f("pk_notifier_inbound_sms")),
    )


def downgrade() -> None:
    op.drop_table("notifier_inbound_sms")
    op.drop_index(op.f("ix_notifier_survey_address"), table_name="notifier_survey")
    op.drop_table("notifier_survey")
    op.drop_index(
        "ix_notifier_challenge_conversation", table_name="notifier_subscription_challenge"
    )
    op.drop_table("notifier_subscription_challenge")
    op.drop_index(op.f("ix_notifier_subscription_dossier_code"), table_name="notifier_subscription")
    op.drop_table("notifier_subscription")
    op.drop_table("notifier_opt_out")
    op.drop_table("notifier_cursor")
    op.drop_index(op.f("ix_notifier_outbox_provider_id"), table_name="notifier_outbox")
    op.drop_index("ix_notifier_outbox_due", table_name="notifier_outbox")
    op.drop_index("ix_notifier_outbox_recipient", table_name="notifier_outbox")
    op.drop_table("notifier_outbox")
