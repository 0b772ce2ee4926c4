"""idempotency records name what they are about

Each record names its circle (deleted with it), the participant who sent it and the object it was about,
so that erasing a circle or a participant deletes the answers kept for retries. Records kept before this
revision name nothing that erasure could find, so they are dropped: they are kept only for retries anyway
(hours), and a retry across the upgrade at worst acts again rather than hand back someone's name.

Revision ID: 6bba6902993f
Revises: f1c7a3d9e2b4
Create Date: 2026-12-05 14:33:05.325999
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "6bba6902993f"
down_revision: str | None = "f1c7a3d9e2b4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("DELETE FROM idempotency_record")
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("circle_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("actor_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("object_id", sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f("ix_idempotency_record_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_idempotency_record_circle_id"), ["circle_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_idempotency_record_object_id"), ["object_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_idempotency_record_circle_id_circle"), "circle", ["circle_id"], ["id"], ondelete="CASCADE"
        )


def downgrade() -> None:
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_idempotency_record_circle_id_circle"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_idempotency_record_object_id"))
        batch_op.drop_index(batch_op.f("ix_idempotency_record_circle_id"))
        batch_op.drop_index(batch_op.f("ix_idempotency_record_actor_id"))
        batch_op.drop_column("object_id")
        batch_op.drop_column("actor_id")
        batch_op.drop_column("circle_id")
