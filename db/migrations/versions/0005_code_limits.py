"""Indexes for the one-time-code caps: challenges per dossier and per phone over time,
inbound texts per phone over time (quiet hours allow a code to a phone that just texted).
"""

from __future__ import annotations

from alembic import op

revision = "0005_code_limits"
down_revision = "0004_outbox_requeue"


def upgrade() -> None:
    op.create_index(
        "ix_notifier_challenge_dossier_time",
        "notifier_subscription_challenge",
        ["dossier_code", "created_at"],
    )
    op.create_index(
        "ix_notifier_challenge_phone_time",
        "notifier_subscription_challenge",
        ["phone", "created_at"],
    )
    op.create_index(
        "ix_notifier_inbound_sms_from_time", "notifier_inbound_sms", ["from_number", "received_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_notifier_inbound_sms_from_time", table_name="notifier_inbound_sms")
    op.drop_index("ix_notifier_challenge_phone_time", table_name="notifier_subscription_challenge")
    op.drop_index(
        "ix_notifier_challenge_dossier_time", table_name="notifier_subscription_challenge"
    )
