from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import sqlalchemy as sa
from pydantic import ConfigDict, field_validator
from pydantic import Field as PydanticField
from pydantic.json_schema import SkipJsonSchema
from sqlmodel import Field, SQLModel

from circles.json_types import JSON_INTEGER
from circles.schema import UTCDateTime, utc_now
from circles.talking_piece.model import Role
from circles.text import Line

SEAT_MAX = 9999
SeatNumber = Annotated[int, PydanticField(ge=0, le=SEAT_MAX), JSON_INTEGER]


class ParticipantBase(SQLModel):
    display_name: Line = Field(min_length=1, max_length=80, sa_type=sa.String(80))
    role: Role = Field(
        default=Role.MEMBER,
        sa_type=sa.String(8),
        description="keeper facilitates; member shares; witness listens and never holds the piece.",
    )
    seat: SeatNumber | None = Field(default=None, description="Position around the circle; default: after the highest.")
    external_id: Line | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        sa_type=sa.String(200),
        description="The app's own id for the person (e.g. a Zoom participant UUID); unique in the circle.",
    )


class Participant(ParticipantBase, table=True):
    __table_args__ = (
        sa.Index(
            "uq_participant_seat_present",
            "circle_id",
            "seat",
            unique=True,
            sqlite_where=sa.text("left_at IS NULL"),
            postgresql_where=sa.text("left_at IS NULL"),
        ),
        sa.Index(
            "uq_participant_external_id_present",
            "circle_id",
            "external_id",
            unique=True,
            sqlite_where=sa.text("left_at IS NULL AND external_id IS NOT NULL"),
            postgresql_where=sa.text("left_at IS NULL AND external_id IS NOT NULL"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    circle_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("circle.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    seat: int = Field(nullable=False)  # type: ignore[assignment]
    token_hash: str = Field(sa_type=sa.String(64), unique=True)
    joined_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    left_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    agreed_version: int | None = None
    agreed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ParticipantCreate(ParticipantBase):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]


class ParticipantUpdate(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    # Left out: unchanged; none of these may be null.
    display_name: Line | SkipJsonSchema[None] = Field(default=None, min_length=1, max_length=80)
    role: Role | SkipJsonSchema[None] = None
    seat: SeatNumber | SkipJsonSchema[None] = None

    @field_validator("display_name", "role", "seat", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("may be left out, but not set to null")
        return value


class ParticipantInLog(ParticipantBase):
    """A participant as the event log describes them: presence is not in the log."""

    id: uuid.UUID
    circle_id: uuid.UUID
    seat: int  # type: ignore[assignment]
    joined_at: datetime
    agreed_version: int | None = Field(description="The version of the circle's agreements they accepted, if any.")
    agreed_at: datetime | None = Field(description="When they accepted it.")


class ParticipantPublic(ParticipantInLog):
    online: bool = Field(default=False, description="Has a live connection now.")


class ParticipantDetail(ParticipantPublic):
    """One participant as they themselves, a keeper or the app read them: with where they stand on the
    circle's agreements as they are now."""

    agreements_version: int = Field(description="The circle's current agreements_version: the one to accept.")
    agreed_to_current: bool = Field(
        description="Whether they accepted the circle's current agreements_version (true when the circle has no "
        "agreements). Without it they are passed over (`not_agreed`) when the piece would come to them."
    )


class ParticipantWithToken(ParticipantPublic):
    token: str = Field(description="The participant's credential. Shown once; only its hash is kept.")


class ParticipantPage(SQLModel):
    items: list[ParticipantPublic]
    next_cursor: str | None


class AgreementAccept(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    agreements_version: int = Field(
        description="The circle's agreements_version the participant read and accepts; a stale one is 409."
    )
