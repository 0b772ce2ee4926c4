"""the core schema

Revision ID: 4f465a30ea7b
Revises: (none)
Create Date: 2026-11-23 18:48:19.897447
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4f465a30ea7b"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "app",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app")),
    )
    op.create_table(
        "app_key",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("app_id", sa.Uuid(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["app_id"], ["app.id"], name=op.f("fk_app_key_app_id_app"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_key")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_app_key_key_hash")),
    )
    with op.batch_alter_table("app_key", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_app_key_app_id"), ["app_id"], unique=False)

    op.create_table(
        "circle",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("intention", sa.Text(), nullable=False),
        sa.Column("agreements", sa.JSON(), nullable=False),
        sa.Column("turn_seconds", sa.Integer(), nullable=True),
        sa.Column("time_limit", sa.String(length=8), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("app_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["app_id"], ["app.id"], name=op.f("fk_circle_app_id_app"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_circle")),
    )
    with op.batch_alter_table("circle", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_circle_app_id"), ["app_id"], unique=False)

    op.create_table(
        "event",
        sa.Column("circle_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["circle_id"], ["circle.id"], name=op.f("fk_event_circle_id_circle"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("circle_id", "seq", name=op.f("pk_event")),
    )
    op.create_table(
        "participant",
        sa.Column("display_name", sa.String(length=80), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("circle_id", sa.Uuid(), nullable=False),
        sa.Column("seat", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["circle_id"], ["circle.id"], name=op.f("fk_participant_circle_id_circle"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_participant_token_hash")),
    )
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_participant_circle_id"), ["circle_id"], unique=False)
        batch_op.create_index(
            "uq_participant_external_id_present",
            ["circle_id", "external_id"],
            unique=True,
            sqlite_where=sa.text("left_at IS NULL AND external_id IS NOT NULL"),
            postgresql_where=sa.text("left_at IS NULL AND external_id IS NOT NULL"),
        )
        batch_op.create_index(
            "uq_participant_seat_present",
            ["circle_id", "seat"],
            unique=True,
            sqlite_where=sa.text("left_at IS NULL"),
            postgresql_where=sa.text("left_at IS NULL"),
        )

    op.create_table(
        "round",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("circle_id", sa.Uuid(), nullable=False),
        sa.Column("prompt", sa.String(length=500), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("turn_seconds", sa.Integer(), nullable=True),
        sa.Column("time_limit", sa.String(length=8), nullable=False),
        sa.Column("pass_back", sa.Boolean(), nullable=False),
        sa.Column("starts_with", sa.Uuid(), nullable=False),
        sa.Column("origin_seat", sa.Integer(), nullable=False),
        sa.Column("cursor_seat", sa.Integer(), nullable=False),
        sa.Column("phase", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("paused_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["circle_id"], ["circle.id"], name=op.f("fk_round_circle_id_circle"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round")),
    )
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_round_circle_id"), ["circle_id"], unique=False)
        batch_op.create_index(
            "uq_round_unended",
            ["circle_id"],
            unique=True,
            sqlite_where=sa.text("status != 'ended'"),
            postgresql_where=sa.text("status != 'ended'"),
        )

    op.create_table(
        "turn",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Uuid(), nullable=False),
        sa.Column("circle_id", sa.Uuid(), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("overtime_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["circle_id"], ["circle.id"], name=op.f("fk_turn_circle_id_circle"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participant.id"], name=op.f("fk_turn_participant_id_participant"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["round_id"], ["round.id"], name=op.f("fk_turn_round_id_round"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_turn")),
        sa.UniqueConstraint("round_id", "position", name=op.f("uq_turn_round_id_position")),
    )
    with op.batch_alter_table("turn", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_turn_circle_id"), ["circle_id"], unique=False)
        batch_op.create_index(
            "ix_turn_open_deadline",
            ["deadline"],
            unique=False,
            sqlite_where=sa.text("ended_at IS NULL"),
            postgresql_where=sa.text("ended_at IS NULL"),
        )
        batch_op.create_index(batch_op.f("ix_turn_round_id"), ["round_id"], unique=False)
        batch_op.create_index(
            "uq_turn_open",
            ["round_id"],
            unique=True,
            sqlite_where=sa.text("ended_at IS NULL"),
            postgresql_where=sa.text("ended_at IS NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("turn", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_turn_open", sqlite_where=sa.text("ended_at IS NULL"), postgresql_where=sa.text("ended_at IS NULL")
        )
        batch_op.drop_index(batch_op.f("ix_turn_round_id"))
        batch_op.drop_index(
            "ix_turn_open_deadline",
            sqlite_where=sa.text("ended_at IS NULL"),
            postgresql_where=sa.text("ended_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_turn_circle_id"))

    op.drop_table("turn")
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_round_unended", sqlite_where=sa.text("status != 'ended'"), postgresql_where=sa.text("status != 'ended'")
        )
        batch_op.drop_index(batch_op.f("ix_round_circle_id"))

    op.drop_table("round")
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_participant_seat_present",
            sqlite_where=sa.text("left_at IS NULL"),
            postgresql_where=sa.text("left_at IS NULL"),
        )
        batch_op.drop_index(
            "uq_participant_external_id_present",
            sqlite_where=sa.text("left_at IS NULL AND external_id IS NOT NULL"),
            postgresql_where=sa.text("left_at IS NULL AND external_id IS NOT NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_participant_circle_id"))

    op.drop_table("participant")
    op.drop_table("event")
    with op.batch_alter_table("circle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_circle_app_id"))

    op.drop_table("circle")
    with op.batch_alter_table("app_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_app_key_app_id"))

    op.drop_table("app_key")
    op.drop_table("app")
