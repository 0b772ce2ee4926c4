"""facilitation extras: support signals, a circle's support resources, planned gatherings

Revision ID: ea88c0fba802
Revises: d4b8f2a6c1e9
Create Date: 2026-11-24 22:13:39.234022
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ea88c0fba802"
down_revision: str | None = "d4b8f2a6c1e9"
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

    op.create_table(
        "gathering",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("circle_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["circle_id"], ["circle.id"], name=op.f("fk_gathering_circle_id_circle"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gathering")),
    )
    with op.batch_alter_table("gathering", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gathering_circle_id"), ["circle_id"], unique=False)
        batch_op.create_index(
            "uq_gathering_current",
            ["circle_id"],
            unique=True,
            sqlite_where=sa.text("replaced_at IS NULL"),
            postgresql_where=sa.text("replaced_at IS NULL"),
        )

    op.create_table(
        "planned_round",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("gathering_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("phase", sa.String(length=16), nullable=False),
        sa.Column("prompt", sa.String(length=500), nullable=True),
        sa.Column("round_options", sa.JSON(), nullable=False),
        sa.Column("round_id", sa.Uuid(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["gathering_id"], ["gathering.id"], name=op.f("fk_planned_round_gathering_id_gathering"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["round.id"], name=op.f("fk_planned_round_round_id_round"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planned_round")),
        sa.UniqueConstraint("gathering_id", "position", name=op.f("uq_planned_round_gathering_id_position")),
    )
    with op.batch_alter_table("planned_round", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_planned_round_gathering_id"), ["gathering_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("planned_round", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_planned_round_gathering_id"))

    op.drop_table("planned_round")
    with op.batch_alter_table("gathering", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_gathering_current",
            sqlite_where=sa.text("replaced_at IS NULL"),
            postgresql_where=sa.text("replaced_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_gathering_circle_id"))

    op.drop_table("gathering")

    with op.batch_alter_table("circle", schema=None) as batch_op:
        batch_op.drop_column("support_resources")

    with op.batch_alter_table("support_signal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_support_signal_participant_id"))
        batch_op.drop_index("ix_support_signal_circle_id_at")

    op.drop_table("support_signal")
