from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from circles.schema import UTCDateTime, utc_now


class IdempotencyRecord(SQLModel, table=True):
    """A POST that carried an Idempotency-Key and changed something. Written in the same transaction as
    the change, so a change is never recorded without its key (nor the key without its change); the answer
    is added right after.

    It names, by id, what its answer may be about, as the audit entry does: the circle, the participant who
    sent it, and the object its path names or it created (a participant, a turn...). Erasing a circle deletes
    its records (the foreign key's cascade); erasing a participant deletes those they sent or that are about
    them. So an answer that carried someone's name never outlives their erasure."""

    __tablename__ = "idempotency_record"

    credential_hash: str = Field(sa_type=sa.String(64), primary_key=True)
    key: str = Field(sa_type=sa.String(200), primary_key=True)
    fingerprint: str = Field(sa_type=sa.String(64), description="SHA-256 of method, path, query and body.")
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime, index=True)
    status_code: int | None = None
    content_type: str | None = Field(default=None, sa_type=sa.String(100))
    body: str | None = Field(default=None, sa_type=sa.Text)
    circle_id: uuid.UUID | None = Field(
        default=None, sa_column=sa.Column(sa.Uuid, sa.ForeignKey("circle.id", ondelete="CASCADE"), index=True)
    )
    actor_id: uuid.UUID | None = Field(default=None, index=True, description="The participant who sent it.")
    object_id: uuid.UUID | None = Field(default=None, index=True, description="What its path names, or it created.")


@dataclass
class IdempotencyClaim:
    """What the middleware hands the request's session: record this key with the change."""

    credential_hash: str
    key: str
    fingerprint: str
    recorded: bool = False
