from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

import sqlalchemy as sa
from pydantic import BaseModel
from sqlmodel import Field, SQLModel

from circles.db import UTCDateTime


class SupportSignal(SQLModel, table=True):
    """A participant asked for support. Who and when: nothing else is kept."""

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


class SupportSignalPublic(SQLModel):
    id: uuid.UUID
    participant_id: uuid.UUID = Field(description="Who asked.")
    at: datetime = Field(description="When they asked (server time).")


class SupportSignalPage(SQLModel):
    items: list[SupportSignalPublic] = Field(description="Newest first.")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last.")


class SupportFrame(BaseModel):
    """Sent to the keepers' and the app's live sockets only; never in the log, never to anyone else."""

    type: Literal["support"] = "support"
    signal_id: uuid.UUID
    participant_id: uuid.UUID
    at: datetime
