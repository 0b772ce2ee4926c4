"""support dates

A circle has a kind: `circle`, or `support_date` for the circle of a support date (every circle already
stored is a circle). A support date (`support_date`) names the two people seated in its circle, their time
each and its schedule; `support_date_due` holds each meeting announced, once.

Revision ID: 7d5a1e0c9b21
Revises: 7a3c9e51d2b8
Create Date: 2026-12-06 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "7d5a1e0c9b21"
down_revision: str | None = "7a3c9e51d2b8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("circle", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=16), nullable=False, server_default="circle"))
    op.create_table(
        "support_date",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("app_id", sa.Uuid(), nullable=False),
        sa.Column("circle_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("seconds_each", sa.Integer(), nullable=False),
        sa.Column("first_id", sa.Uuid(), nullable=False),
        sa.Column("second_id", sa.Uuid(), nullable=False),
        sa.Column("speaker_id", sa.Uuid(), nullable=True),
        sa.Column("next_starts_with", sa.Uuid(), nullable=False),
        sa.Column("rrule", sa.String(length=500), nullable=True),
        sa.Column("local_start", sa.DateTime(), nullable=True),
        sa.Column("time_zone", sa.String(length=64), nullable=True),
        sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["app_id"], ["app.id"], name=op.f("fk_support_date_app_id_app"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["circle_id"], ["circle.id"], name=op.f("fk_support_date_circle_id_circle"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["first_id"], ["participant.id"], name=op.f("fk_support_date_first_id_participant"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["second_id"], ["participant.id"], name=op.f("fk_support_date_second_id_participant"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_date")),
        sa.UniqueConstraint("circle_id", name=op.f("uq_support_date_circle_id")),
    )
    with op.batch_alter_table("support_date", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_support_date_app_id"), ["app_id"], unique=False)
        batch_op.create_index(
            "ix_support_date_next_due_at",
            ["next_due_at"],
            unique=False,
            sqlite_where=sa.text("next_due_at IS NOT NULL"),
            postgresql_where=sa.text("next_due_at IS NOT NULL"),
        )
    op.create_table(
        "support_date_due",
        sa.Column("support_date_id", sa.Uuid(), nullable=False),
        sa.Column("occurrence_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("announced_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["support_date_id"],
            ["support_date.id"],
            name=op.f("fk_support_date_due_support_date_id_support_date"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("support_date_id", "occurrence_at", name=op.f("pk_support_date_due")),
    )


def downgrade() -> None:
    op.drop_table("support_date_due")
    with op.batch_alter_table("support_date", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_support_date_next_due_at",
            sqlite_where=sa.text("next_due_at IS NOT NULL"),
            postgresql_where=sa.text("next_due_at IS NOT NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_support_date_app_id"))
    op.drop_table("support_date")
    with op.batch_alter_table("circle", schema=None) as batch_op:
        batch_op.drop_column("kind")
