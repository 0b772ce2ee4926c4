from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Annotated

import sqlalchemy as sa
from pydantic import ConfigDict, StringConstraints, field_validator
from pydantic import Field as PydanticField
from pydantic.json_schema import SkipJsonSchema
from sqlmodel import Field, SQLModel

from circles.json_types import JSON_INTEGER
from circles.records.support.resources import SupportResources
from circles.schema import UTCDateTime, utc_now
from circles.talking_piece.model import TimeLimit
from circles.text import FreeText, Line

# A Zoom meeting UUID (`mid` in a Zoom app context): base64 text, which may hold `/`, `+` and `=`.
ZoomMeetingUuid = Annotated[str, StringConstraints(pattern=r"^[\x21-\x7e]+$", min_length=1, max_length=200)]

Agreement = Annotated[Line, StringConstraints(min_length=1, max_length=300)]
Agreements = Annotated[list[Agreement], PydanticField(max_length=20)]
TurnSeconds = Annotated[int, PydanticField(ge=5, le=3600), JSON_INTEGER]


class CircleStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class CircleKind(enum.StrEnum):
    CIRCLE = "circle"
    SUPPORT_DATE = "support_date"  # the circle of a support date: exactly its two people (circles.support_date)


KIND_DESCRIPTION = "circle, or support_date: the circle of a support date, seating exactly its two people."


class CircleBase(SQLModel):
    name: Line = Field(min_length=1, max_length=120, sa_type=sa.String(120))
    intention: FreeText = Field(default="", max_length=2000, sa_type=sa.Text, description="Why we gather.")
    agreements: Agreements = Field(
        default_factory=list,
        sa_type=sa.JSON,
        description="Short agreements such as 'What is shared here stays here'.",
    )
    turn_seconds: TurnSeconds | None = Field(
        default=None, description="Default time per turn in seconds; null for no limit."
    )
    time_limit: TimeLimit = Field(
        default=TimeLimit.SOFT,
        sa_type=sa.String(8),
        description="soft: the speaker is told time is up; hard: the piece moves on.",
    )
    support_resources: SupportResources = Field(
        default_factory=list,
        sa_type=sa.JSON,
        description="Crisis lines and links (label, and text or url) every screen can show.",
    )
    zoom_meeting_uuid: ZoomMeetingUuid | None = Field(
        default=None,
        sa_type=sa.String(200),
        description="The Zoom meeting this circle is bound to (its meeting UUID, `mid` in a Zoom app context): "
        "POST /v1/zoom/session seats that meeting's Zoom users here. Unique among the app's circles.",
    )


class Circle(CircleBase, table=True):
    __table_args__ = (sa.UniqueConstraint("app_id", "zoom_meeting_uuid"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    app_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("app.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    status: CircleStatus = Field(default=CircleStatus.OPEN, sa_type=sa.String(8))
    kind: CircleKind = Field(default=CircleKind.CIRCLE, sa_type=sa.String(16))
    last_seq: int = Field(default=0, description="The seq of the circle's newest event.")
    agreements_version: int = Field(default=1, description="Goes up by one each time the agreements change.")
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class CircleCreate(CircleBase):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]


class CircleUpdate(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    # Left out: unchanged. Only turn_seconds may be null (no limit); the schema says so.
    name: Line | SkipJsonSchema[None] = Field(default=None, min_length=1, max_length=120)
    intention: FreeText | SkipJsonSchema[None] = Field(default=None, max_length=2000)
    agreements: Agreements | SkipJsonSchema[None] = None
    turn_seconds: TurnSeconds | None = Field(default=None, description="null removes the limit.")
    time_limit: TimeLimit | SkipJsonSchema[None] = None
    support_resources: SupportResources | SkipJsonSchema[None] = None
    zoom_meeting_uuid: ZoomMeetingUuid | None = Field(default=None, description="null unbinds the Zoom meeting.")

    @field_validator("name", "intention", "agreements", "time_limit", "support_resources", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("may be left out, but not set to null")
        return value


class CirclePublic(CircleBase):
    id: uuid.UUID
    agreements_version: int = Field(
        description="Goes up by one each time the agreements change; participants accept a version, and must "
        "accept again after a change before they can hold the piece (when there are agreements)."
    )
    status: CircleStatus
    kind: CircleKind = Field(default=CircleKind.CIRCLE, description=KIND_DESCRIPTION)
    created_at: datetime
    closed_at: datetime | None


class CirclePage(SQLModel):
    items: list[CirclePublic]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last.")
