"""absence rounds and away holders

A round may pass over whoever is offline (absence); a turn records until when the piece waits for a
holder whose last connection dropped (away_until). Rounds already stored are not absence rounds.

Revision ID: f1c7a3d9e2b4
Revises: ea88c0fba802
Create Date: 2026-11-24 23:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f1c7a3d9e2b4"
down_revision: str | None = "ea88c0fba802"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.add_column(sa.Column("absence", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("turn", schema=None) as batch_op:
        batch_op.add_column(sa.Column("away_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("turn", schema=None) as batch_op:
        batch_op.drop_column("away_until")
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.drop_column("absence")
