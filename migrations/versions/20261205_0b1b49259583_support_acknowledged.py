"""support acknowledged

A request for support stays pending until a keeper or the app acknowledges it: when (acknowledged_at) and
which keeper (acknowledged_by; null for the app). Requests already stored were never acknowledged, so they
are pending.

Revision ID: 0b1b49259583
Revises: 6bba6902993f
Create Date: 2026-12-05 17:18:17.413211
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0b1b49259583"
down_revision: str | None = "6bba6902993f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("support_signal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("acknowledged_by", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_support_signal_acknowledged_by_participant"),
            "participant",
            ["acknowledged_by"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("support_signal", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_support_signal_acknowledged_by_participant"), type_="foreignkey")
        batch_op.drop_column("acknowledged_by")
        batch_op.drop_column("acknowledged_at")
