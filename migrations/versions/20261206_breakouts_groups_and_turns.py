"""breakouts: groups and turns

A breakout splits a circle into pairs or threes: the breakout, its groups (with the app's external_ref) and each
person's turn in their group (who, in what order, when; never what was said).

Revision ID: b7e2a1c4d9f0
Revises: 20ce6d2b10b0
Create Date: 2026-12-05 21:16:05.109240
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7e2a1c4d9f0"
down_revision: str | None = "20ce6d2b10b0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "breakout",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("circle_id", sa.Uuid(), nullable=False),
        sa.Column("prompt", sa.String(length=500), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("seconds_each", sa.Integer(), nullable=False),
        sa.Column("grouping", sa.String(length=16), nullable=False),
        sa.Column("keepers_float", sa.Boolean(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["circle_id"], ["circle.id"], name=op.f("fk_breakout_circle_id_circle"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_breakout")),
    )
    with op.batch_alter_table("breakout", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_breakout_circle_id"), ["circle_id"], unique=False)
        batch_op.create_index(
            "uq_breakout_unended",
            ["circle_id"],
            unique=True,
            sqlite_where=sa.text("ended_at IS NULL"),
            postgresql_where=sa.text("ended_at IS NULL"),
        )

    op.create_table(
        "breakout_group",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("breakout_id", sa.Uuid(), nullable=False),
        sa.Column("circle_id", sa.Uuid(), nullable=False),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("external_ref", sa.String(length=200), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["breakout_id"], ["breakout.id"], name=op.f("fk_breakout_group_breakout_id_breakout"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["circle_id"], ["circle.id"], name=op.f("fk_breakout_group_circle_id_circle"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_breakout_group")),
        sa.UniqueConstraint("breakout_id", "index", name=op.f("uq_breakout_group_breakout_id_index")),
    )
    with op.batch_alter_table("breakout_group", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_breakout_group_circle_id"), ["circle_id"], unique=False)

    op.create_table(
        "breakout_turn",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("breakout_id", sa.Uuid(), nullable=False),
        sa.Column("circle_id", sa.Uuid(), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["breakout_id"], ["breakout.id"], name=op.f("fk_breakout_turn_breakout_id_breakout"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["circle_id"], ["circle.id"], name=op.f("fk_breakout_turn_circle_id_circle"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["breakout_group.id"],
            name=op.f("fk_breakout_turn_group_id_breakout_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_breakout_turn_participant_id_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_breakout_turn")),
        sa.UniqueConstraint("group_id", "position", name=op.f("uq_breakout_turn_group_id_position")),
    )
    with op.batch_alter_table("breakout_turn", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_breakout_turn_breakout_id"), ["breakout_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_breakout_turn_circle_id"), ["circle_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_breakout_turn_participant_id"), ["participant_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("breakout_turn", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_breakout_turn_participant_id"))
        batch_op.drop_index(batch_op.f("ix_breakout_turn_circle_id"))
        batch_op.drop_index(batch_op.f("ix_breakout_turn_breakout_id"))

    op.drop_table("breakout_turn")
    with op.batch_alter_table("breakout_group", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_breakout_group_circle_id"))

    op.drop_table("breakout_group")
    with op.batch_alter_table("breakout", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_breakout_unended",
            sqlite_where=sa.text("ended_at IS NULL"),
            postgresql_where=sa.text("ended_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_breakout_circle_id"))

    op.drop_table("breakout")
