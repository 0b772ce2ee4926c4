"""zoom apps

An app's Zoom App (its client id, and its client secret sealed with CIRCLES_SECRET_KEY), and the Zoom
meeting a circle is bound to (unique among an app's circles; null: none).

Revision ID: 7a3c9e51d2b8
Revises: 0b1b49259583
Create Date: 2026-12-05 21:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7a3c9e51d2b8"
down_revision: str | None = "0b1b49259583"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "zoom_app",
        sa.Column("app_id", sa.Uuid(), nullable=False),
        sa.Column("client_id", sa.String(length=100), nullable=False),
        sa.Column("sealed_secret", sa.Text(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["app_id"], ["app.id"], name=op.f("fk_zoom_app_app_id_app"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("app_id", name=op.f("pk_zoom_app")),
        sa.UniqueConstraint("client_id", name=op.f("uq_zoom_app_client_id")),
    )
    with op.batch_alter_table("circle", schema=None) as batch_op:
        batch_op.add_column(sa.Column("zoom_meeting_uuid", sa.String(length=200), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_circle_app_id_zoom_meeting_uuid"), ["app_id", "zoom_meeting_uuid"]
        )


def downgrade() -> None:
    with op.batch_alter_table("circle", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_circle_app_id_zoom_meeting_uuid"), type_="unique")
        batch_op.drop_column("zoom_meeting_uuid")
    op.drop_table("zoom_app")
