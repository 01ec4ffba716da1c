"""One-time-code challenges remember who asked (a hash of the client address), so the
per-dossier cap counts per requesting conversation and per client address: one stranger
reaches their own cap before the owner's codes are used up.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_code_requester"
down_revision = "0006_utc_times"


def upgrade() -> None:
    op.add_column(
        "notifier_subscription_challenge", sa.Column("client", sa.String(64), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("notifier_subscription_challenge", "client")
