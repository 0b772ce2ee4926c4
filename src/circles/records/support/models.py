"""Asking for support: a private signal to the keepers and the app, and the support resources a circle carries."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Literal

import sqlalchemy as sa
from pydantic import BaseModel
from sqlmodel import Field, SQLModel

from circles.schema import UTCDateTime


class SupportStatus(StrEnum):
    PENDING = "pending"  # no keeper (nor the app) has acknowledged it yet
    ACKNOWLEDGED = "acknowledged"


class SupportSignal(SQLModel, table=True):
    """A participant asked for support: who and when; then who acknowledged it and when. Nothing else is
    kept: a request carries no words."""

    __tablename__ = "support_signal"
    __table_args__ = (sa.Index("ix_support_signal_circle_id_at", "circle_id", "at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    circle_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("circle.id", ondelete="CASCADE"), nullable=False)
    )
    participant_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("participant.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    at: datetime = Field(sa_type=UTCDateTime)
    # Null until acknowledged; then when. `acknowledged_by` is the keeper who did, or null for the app.
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    acknowledged_by: uuid.UUID | None = Field(
        default=None, sa_column=sa.Column(sa.Uuid, sa.ForeignKey("participant.id", ondelete="CASCADE"), nullable=True)
    )

    @property
    def status(self) -> SupportStatus:
        return SupportStatus.PENDING if self.acknowledged_at is None else SupportStatus.ACKNOWLEDGED


class SupportSignalPublic(SQLModel):
    id: uuid.UUID
    participant_id: uuid.UUID = Field(description="Who asked.")
    at: datetime = Field(description="When they asked (server time).")
    status: SupportStatus = Field(description="`pending` until a keeper or the app acknowledges it.")
    acknowledged_at: datetime | None = Field(description="When it was acknowledged; null while pending.")
    acknowledged_by: uuid.UUID | None = Field(
        description="The keeper who acknowledged it; null while pending, or when the app did."
    )


class SupportSignalPage(SQLModel):
    items: list[SupportSignalPublic] = Field(description="Newest first.")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last.")


class SupportFrame(BaseModel):
    """Sent to the keepers' and the app's live sockets only; never in the log, never to anyone else.

    When it is asked for, and again after the catch-up of every keeper's and app's socket while no one has
    acknowledged it."""

    type: Literal["support"] = "support"
    signal_id: uuid.UUID
    participant_id: uuid.UUID
    at: datetime


class SupportAcknowledgedFrame(BaseModel):
    """Sent to the keepers' and the app's live sockets only: a request for support was acknowledged (a screen
    showing it stops)."""

    type: Literal["support_acknowledged"] = "support_acknowledged"
    signal_id: uuid.UUID
    acknowledged_by: uuid.UUID | None  # the keeper; null for the app
    acknowledged_at: datetime
