"""An app's webhook endpoints and what their delivery keeps.

The event log is the outbox: what a webhook delivers is read from it, and each endpoint keeps one cursor per
circle (the last seq its receiver acknowledged). What is not in the log (a request for support, a test, an
endpoint's disabling) waits in `webhook_message`, written in the same transaction as what caused it. An
attempt is logged with its status, duration and error, never a body.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from circles.schema import UTCDateTime, utc_now


class WebhookEndpoint(SQLModel, table=True):
    __tablename__ = "webhook_endpoint"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    app_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("app.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    url: str = Field(sa_type=sa.String(2048))
    events: list[str] | None = Field(default=None, sa_type=sa.JSON, description="null: every event (no signals)")
    enabled: bool = True
    description: str = Field(default="", sa_type=sa.String(500))
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    disabled_reason: str | None = Field(default=None, sa_type=sa.String(32))
    # The current run of failures: since when, how many, and when the next try is due (all null when healthy).
    failing_since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    failures: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WebhookSecret(SQLModel, table=True):
    """A signing secret. Kept as it is (an HMAC key must be, to sign); never shown again after it was made.
    After a roll the previous one keeps signing until `expires_at`."""

    __tablename__ = "webhook_secret"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    endpoint_id: uuid.UUID = Field(
        sa_column=sa.Column(
            sa.Uuid, sa.ForeignKey("webhook_endpoint.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    secret: str = Field(sa_type=sa.String(64))
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WebhookCursor(SQLModel, table=True):
    """The last seq of a circle's log that an endpoint's receiver acknowledged."""

    __tablename__ = "webhook_cursor"

    endpoint_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("webhook_endpoint.id", ondelete="CASCADE"), primary_key=True)
    )
    circle_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("circle.id", ondelete="CASCADE"), primary_key=True, index=True)
    )
    last_seq: int = Field(default=0, sa_type=sa.BigInteger)


class WebhookMessage(SQLModel, table=True):
    """A message for one endpoint that is not in any log: sent in `id` order, then deleted."""

    __tablename__ = "webhook_message"

    id: int | None = Field(
        default=None,
        sa_column=sa.Column(sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    )
    endpoint_id: uuid.UUID = Field(
        sa_column=sa.Column(
            sa.Uuid, sa.ForeignKey("webhook_endpoint.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    message_id: str = Field(sa_type=sa.String(64))
    circle_id: uuid.UUID | None = None
    name: str = Field(sa_type=sa.String(32))
    at: datetime = Field(sa_type=UTCDateTime)
    data: dict[str, Any] = Field(sa_type=sa.JSON)


class WebhookAttempt(SQLModel, table=True):
    """One try at delivering one message: never its body, nor the receiver's."""

    __tablename__ = "webhook_attempt"
    __table_args__ = (sa.Index("ix_webhook_attempt_endpoint_id_at", "endpoint_id", "at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    endpoint_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("webhook_endpoint.id", ondelete="CASCADE"), nullable=False)
    )
    at: datetime = Field(sa_type=UTCDateTime)
    message_id: str = Field(sa_type=sa.String(64))
    name: str = Field(sa_type=sa.String(32))
    circle_id: uuid.UUID | None = None
    seq: int | None = Field(default=None, sa_type=sa.BigInteger)
    status_code: int | None = None
    duration_ms: int
    error: str | None = Field(default=None, sa_type=sa.String(200))


class WebhookLease(SQLModel, table=True):
    """Which instance works an endpoint's queue, until when. One row per endpoint, made with it."""

    __tablename__ = "webhook_lease"

    endpoint_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("webhook_endpoint.id", ondelete="CASCADE"), primary_key=True)
    )
    holder: str | None = Field(default=None, sa_type=sa.String(64))
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


# Names a webhook carries beyond the log's events. A request for support, and its acknowledgement, go only to
# endpoints that name them; `endpoint.disabled` to the app's other endpoints; `webhook.test` to the one tested.
SUPPORT_REQUESTED = "support.requested"
SUPPORT_ACKNOWLEDGED = "support.acknowledged"
ENDPOINT_DISABLED = "endpoint.disabled"
WEBHOOK_TEST = "webhook.test"
SIGNALS = frozenset({SUPPORT_REQUESTED, SUPPORT_ACKNOWLEDGED})
