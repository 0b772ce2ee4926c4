from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import ConfigDict
from pydantic import Field as PydanticField
from sqlmodel import Field, SQLModel

from circles.records.round.models import RoundCreate, RoundWithTurns
from circles.schema import UTCDateTime

MAX_STEPS = 30


class Phase(enum.StrEnum):
    """Where a planned round sits in the gathering."""

    OPENING = "opening"
    CHECK_IN = "check_in"
    ROUND = "round"
    CHECK_OUT = "check_out"
    CLOSING = "closing"


class Gathering(SQLModel, table=True):
    """One planned sequence of rounds. A circle's current gathering is the one not replaced."""

    __table_args__ = (
        sa.Index(
            "uq_gathering_current",
            "circle_id",
            unique=True,
            sqlite_where=sa.text("replaced_at IS NULL"),
            postgresql_where=sa.text("replaced_at IS NULL"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    circle_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("circle.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    created_at: datetime = Field(sa_type=UTCDateTime)
    replaced_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PlannedRound(SQLModel, table=True):
    __tablename__ = "planned_round"
    __table_args__ = (sa.UniqueConstraint("gathering_id", "position"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    gathering_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("gathering.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    position: int
    phase: Phase = Field(sa_type=sa.String(16))
    prompt: str | None = Field(default=None, sa_type=sa.String(500))
    round_options: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    round_id: uuid.UUID | None = Field(
        default=None, sa_column=sa.Column(sa.Uuid, sa.ForeignKey("round.id", ondelete="SET NULL"), nullable=True)
    )
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PlannedRoundCreate(RoundCreate):
    """A round as POST /rounds takes it (its options left out: the circle's), and where it sits."""

    phase: Phase = Field(default=Phase.ROUND, description="opening, check_in, round, check_out or closing.")


class GatheringCreate(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    rounds: Annotated[list[PlannedRoundCreate], PydanticField(min_length=1, max_length=MAX_STEPS)] = Field(
        description="The rounds, in the order they will be started."
    )


class GatheringNext(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    position: int | None = Field(
        default=None,
        ge=0,
        le=MAX_STEPS,
        description="The position the caller believes is next; if another is, nothing starts (409). "
        "Two keepers pressing 'next' at once can never start two rounds.",
    )


class PlannedRoundPublic(SQLModel):
    id: uuid.UUID
    position: int = Field(description="0 for the first round of the gathering.")
    phase: Phase
    prompt: str | None
    round_options: dict[str, Any] = Field(
        description="The round's options as planned, as POST /rounds takes them; those left out are the circle's."
    )
    round_id: uuid.UUID | None = Field(description="The round it started; null until then.")
    started_at: datetime | None


class GatheringPublic(SQLModel):
    id: uuid.UUID
    circle_id: uuid.UUID
    created_at: datetime
    next_position: int | None = Field(description="The planned round that starts next; null when all have.")
    rounds: list[PlannedRoundPublic]


class GatheringAdvanced(SQLModel):
    gathering: GatheringPublic
    round: RoundWithTurns = Field(description="The round the planned round started.")
