"""webhooks: endpoints, secrets, cursors, attempts, leases and the messages outside the log

An app's webhook endpoints (webhook_endpoint), their signing secrets (webhook_secret: the previous one keeps
signing for a while after a roll), one cursor per endpoint and circle (the last seq its receiver
acknowledged: the log is the outbox), the tries (webhook_attempt: never a body), the lease that says which
instance works an endpoint's queue (webhook_lease), and what is sent outside the log (webhook_message).

Revision ID: 20ce6d2b10b0
Revises: 7d5a1e0c9b21
Create Date: 2026-12-05 21:15:41.300934
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20ce6d2b10b0"
down_revision: str | None = "7d5a1e0c9b21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "webhook_endpoint",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("app_id", sa.Uuid(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("events", sa.JSON(), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("disabled_reason", sa.String(length=32), nullable=True),
        sa.Column("failing_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["app_id"], ["app.id"], name=op.f("fk_webhook_endpoint_app_id_app"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_endpoint")),
    )
    with op.batch_alter_table("webhook_endpoint", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_webhook_endpoint_app_id"), ["app_id"], unique=False)

    op.create_table(
        "webhook_attempt",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("endpoint_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("circle_id", sa.Uuid(), nullable=True),
        sa.Column("seq", sa.BigInteger(), nullable=True),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["endpoint_id"],
            ["webhook_endpoint.id"],
            name=op.f("fk_webhook_attempt_endpoint_id_webhook_endpoint"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_attempt")),
    )
    with op.batch_alter_table("webhook_attempt", schema=None) as batch_op:
        batch_op.create_index("ix_webhook_attempt_endpoint_id_at", ["endpoint_id", "at"], unique=False)

    op.create_table(
        "webhook_cursor",
        sa.Column("endpoint_id", sa.Uuid(), nullable=False),
        sa.Column("circle_id", sa.Uuid(), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["circle_id"], ["circle.id"], name=op.f("fk_webhook_cursor_circle_id_circle"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["endpoint_id"],
            ["webhook_endpoint.id"],
            name=op.f("fk_webhook_cursor_endpoint_id_webhook_endpoint"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("endpoint_id", "circle_id", name=op.f("pk_webhook_cursor")),
    )
    with op.batch_alter_table("webhook_cursor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_webhook_cursor_circle_id"), ["circle_id"], unique=False)

    op.create_table(
        "webhook_lease",
        sa.Column("endpoint_id", sa.Uuid(), nullable=False),
        sa.Column("holder", sa.String(length=64), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["endpoint_id"],
            ["webhook_endpoint.id"],
            name=op.f("fk_webhook_lease_endpoint_id_webhook_endpoint"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("endpoint_id", name=op.f("pk_webhook_lease")),
    )
    op.create_table(
        "webhook_message",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("endpoint_id", sa.Uuid(), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("circle_id", sa.Uuid(), nullable=True),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["endpoint_id"],
            ["webhook_endpoint.id"],
            name=op.f("fk_webhook_message_endpoint_id_webhook_endpoint"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_message")),
    )
    with op.batch_alter_table("webhook_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_webhook_message_endpoint_id"), ["endpoint_id"], unique=False)

    op.create_table(
        "webhook_secret",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("endpoint_id", sa.Uuid(), nullable=False),
        sa.Column("secret", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["endpoint_id"],
            ["webhook_endpoint.id"],
            name=op.f("fk_webhook_secret_endpoint_id_webhook_endpoint"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_secret")),
    )
    with op.batch_alter_table("webhook_secret", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_webhook_secret_endpoint_id"), ["endpoint_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("webhook_secret", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_secret_endpoint_id"))

    op.drop_table("webhook_secret")
    with op.batch_alter_table("webhook_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_message_endpoint_id"))

    op.drop_table("webhook_message")
    op.drop_table("webhook_lease")
    with op.batch_alter_table("webhook_cursor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_cursor_circle_id"))

    op.drop_table("webhook_cursor")
    with op.batch_alter_table("webhook_attempt", schema=None) as batch_op:
        batch_op.drop_index("ix_webhook_attempt_endpoint_id_at")

    op.drop_table("webhook_attempt")
    with op.batch_alter_table("webhook_endpoint", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_endpoint_app_id"))

    op.drop_table("webhook_endpoint")
