"""offers and silences

A round may offer the piece first (offer_seconds) and rest it between speakers (pause_seconds); a turn
records when its offer was taken (accepted_at) and when its moment of silence ends (silent_until).

Revision ID: d4b8f2a6c1e9
Revises: c3a9e5f1b2d7
Create Date: 2026-11-24 22:45:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d4b8f2a6c1e9"
down_revision: str | None = "c3a9e5f1b2d7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.add_column(sa.Column("offer_seconds", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("pause_seconds", sa.Integer(), nullable=True))
    with op.batch_alter_table("turn", schema=None) as batch_op:
        batch_op.add_column(sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("silent_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("turn", schema=None) as batch_op:
        batch_op.drop_column("silent_until")
        batch_op.drop_column("accepted_at")
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.drop_column("pause_seconds")
        batch_op.drop_column("offer_seconds")
