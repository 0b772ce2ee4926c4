"""facilitation extras: support signals, a circle's support resources

Revision ID: ea88c0fba802
Revises: 1ad1aec71bb3
Create Date: 2026-11-24 22:13:39.234022
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ea88c0fba802"
down_revision: str | None = "1ad1aec71bb3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "support_signal",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("circle_id", sa.Uuid(), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["circle_id"], ["circle.id"], name=op.f("fk_support_signal_circle_id_circle"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_support_signal_participant_id_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_signal")),
    )
    with op.batch_alter_table("support_signal", schema=None) as batch_op:
        batch_op.create_index("ix_support_signal_circle_id_at", ["circle_id", "at"], unique=False)
        batch_op.create_index(batch_op.f("ix_support_signal_participant_id"), ["participant_id"], unique=False)

    with op.batch_alter_table("circle", schema=None) as batch_op:
        # Circles that existed before carry no resources.
        batch_op.add_column(sa.Column("support_resources", sa.JSON(), nullable=False, server_default=sa.text("'[]'")))


def downgrade() -> None:
    with op.batch_alter_table("circle", schema=None) as batch_op:
        batch_op.drop_column("support_resources")

    with op.batch_alter_table("support_signal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_support_signal_participant_id"))
        batch_op.drop_index("ix_support_signal_circle_id_at")

    op.drop_table("support_signal")
