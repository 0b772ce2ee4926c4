from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from circles.db import UTCDateTime, utc_now


class IdempotencyRecord(SQLModel, table=True):
    """A POST that carried an Idempotency-Key and changed something. Written in the same transaction as
    the change, so a change is never recorded without its key (nor the key without its change); the answer
    is added right after."""

    __tablename__ = "idempotency_record"

    credential_hash: str = Field(sa_type=sa.String(64), primary_key=True)
    key: str = Field(sa_type=sa.String(200), primary_key=True)
    fingerprint: str = Field(sa_type=sa.String(64), description="SHA-256 of method, path, query and body.")
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime, index=True)
    status_code: int | None = None
    content_type: str | None = Field(default=None, sa_type=sa.String(100))
    body: str | None = Field(default=None, sa_type=sa.Text)


@dataclass
class IdempotencyClaim:
    """What the middleware hands the request's session: record this key with the change."""

    credential_hash: str
    key: str
    fingerprint: str
    recorded: bool = False
