from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from circles.schema import UTCDateTime, utc_now


class App(SQLModel, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(sa_type=sa.String(120))
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class AppKey(SQLModel, table=True):
    __tablename__ = "app_key"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    app_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("app.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    key_hash: str = Field(sa_type=sa.String(64), unique=True)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AppKeyPublic(SQLModel):
    id: uuid.UUID
    created_at: datetime
    revoked_at: datetime | None


class AppKeyCreated(AppKeyPublic):
    key: str = Field(description="The new key. Shown once; only its hash is kept.")


class AppKeyPage(SQLModel):
    items: list[AppKeyPublic]
