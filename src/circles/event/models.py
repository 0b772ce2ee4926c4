from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from circles.schema import UTCDateTime


class Event(SQLModel, table=True):
    circle_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("circle.id", ondelete="CASCADE"), primary_key=True)
    )
    seq: int = Field(primary_key=True)
    name: str = Field(sa_type=sa.String(32))
    at: datetime = Field(sa_type=UTCDateTime)
    data: dict[str, Any] = Field(sa_type=sa.JSON)


class EventPublic(SQLModel):
    seq: int
    name: str
    at: datetime
    data: dict[str, Any] = Field(
        description="Its fields are set by `name`: see the live protocol's AsyncAPI document (/docs/live)."
    )


class EventPage(SQLModel):
    items: list[EventPublic]
    next_after: int | None = Field(description="Pass as `after` for more; null when these are the newest.")
    last_seq: int = Field(description="The circle's newest seq when this page was read.")
