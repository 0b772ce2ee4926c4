"""open rounds, raised hands and the keeper's hand

An open round may begin with the piece waiting for a hand, so round.starts_with becomes nullable; the
queue of raised hands gets its own table. A turn records how it came to its holder (turn.how), and a
round whose keeper speaks out of turn records who gets the piece back (round.returns_to).

Revision ID: b7e2c41d9a05
Revises: 1ad1aec71bb3
Create Date: 2026-11-24 22:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7e2c41d9a05"
down_revision: str | None = "1ad1aec71bb3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.alter_column("starts_with", existing_type=sa.Uuid(), nullable=True)
        batch_op.add_column(sa.Column("returns_to", sa.Uuid(), nullable=True))
    with op.batch_alter_table("turn", schema=None) as batch_op:
        batch_op.add_column(sa.Column("how", sa.String(length=16), nullable=False, server_default="in_turn"))
    op.create_table(
        "hand",
        sa.Column("round_id", sa.Uuid(), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("circle_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["circle_id"], ["circle.id"], name=op.f("fk_hand_circle_id_circle"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participant.id"], name=op.f("fk_hand_participant_id_participant"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["round_id"], ["round.id"], name=op.f("fk_hand_round_id_round"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("round_id", "participant_id", name=op.f("pk_hand")),
        sa.UniqueConstraint("round_id", "position", name=op.f("uq_hand_round_id_position")),
    )
    with op.batch_alter_table("hand", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hand_circle_id"), ["circle_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("hand", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hand_circle_id"))
    op.drop_table("hand")
    # Open rounds begun with the piece waiting have no starts_with to keep: the old schema cannot hold them.
    op.execute("DELETE FROM round WHERE starts_with IS NULL")
    with op.batch_alter_table("turn", schema=None) as batch_op:
        batch_op.drop_column("how")
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.drop_column("returns_to")
        batch_op.alter_column("starts_with", existing_type=sa.Uuid(), nullable=False)
