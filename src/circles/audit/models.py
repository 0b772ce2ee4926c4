from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from circles.schema import UTCDateTime, utc_now


class AuditEntry(SQLModel, table=True):
    """One change someone made through the API, written in the same transaction as the change."""

    __tablename__ = "audit_entry"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    app_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("app.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime, index=True)
    actor: str = Field(sa_type=sa.String(16), description="app, keeper, member or witness")
    actor_id: uuid.UUID | None = Field(default=None, description="The participant; null for the app.")
    action: str = Field(sa_type=sa.String(64), description="The operation, e.g. finish_turn.")
    circle_id: uuid.UUID | None = Field(default=None, index=True)
    object_id: uuid.UUID | None = Field(default=None, description="The round, turn, participant or key acted on.")
    request_id: str = Field(sa_type=sa.String(64))


class AuditEntryPublic(SQLModel):
    id: uuid.UUID
    at: datetime
    actor: str
    actor_id: uuid.UUID | None
    action: str
    circle_id: uuid.UUID | None
    object_id: uuid.UUID | None
    request_id: str


class AuditPage(SQLModel):
    items: list[AuditEntryPublic]
    next_cursor: str | None
