"""agreements accepted

A circle's agreements carry a version that goes up when they change; a participant records which version
they accepted, and when.

Revision ID: c3a9e5f1b2d7
Revises: b7e2c41d9a05
Create Date: 2026-11-24 22:50:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c3a9e5f1b2d7"
down_revision: str | None = "b7e2c41d9a05"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("circle", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agreements_version", sa.Integer(), nullable=False, server_default="1"))
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agreed_version", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("agreed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_column("agreed_at")
        batch_op.drop_column("agreed_version")
    with op.batch_alter_table("circle", schema=None) as batch_op:
        batch_op.drop_column("agreements_version")
