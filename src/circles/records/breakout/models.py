"""A breakout's tables and public models. Who sat with whom and when each held the piece; never what was said.

One row per breakout, one per group (with the app's `external_ref`, e.g. a Zoom breakout room), and one per
person in a group: their turn in it (its position is the order the piece passes in)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Literal

import sqlalchemy as sa
from pydantic import AfterValidator, AwareDatetime, ConfigDict, StrictBool
from pydantic import Field as PydanticField
from sqlmodel import Field, SQLModel

from circles.json_types import JSON_INTEGER
from circles.schema import UTCDateTime
from circles.talking_piece.groups import BreakoutEndReason, BreakoutOutcome, Grouping
from circles.text import Line

_MAX_SECONDS = 3600


class Breakout(SQLModel, table=True):
    __table_args__ = (
        # At most one breakout under way per circle, held by the database as well as the service.
        sa.Index(
            "uq_breakout_unended",
            "circle_id",
            unique=True,
            sqlite_where=sa.text("ended_at IS NULL"),
            postgresql_where=sa.text("ended_at IS NULL"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    circle_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("circle.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    prompt: str | None = Field(default=None, sa_type=sa.String(500))
    size: int
    seconds_each: int
    grouping: Grouping = Field(sa_type=sa.String(16))
    keepers_float: bool = False
    started_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    end_reason: BreakoutEndReason | None = Field(default=None, sa_type=sa.String(16))


class BreakoutGroup(SQLModel, table=True):
    __tablename__ = "breakout_group"
    __table_args__ = (sa.UniqueConstraint("breakout_id", "index"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    breakout_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("breakout.id", ondelete="CASCADE"), nullable=False)
    )
    circle_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("circle.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    index: int
    external_ref: str | None = Field(default=None, sa_type=sa.String(200))
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class BreakoutTurn(SQLModel, table=True):
    __tablename__ = "breakout_turn"
    __table_args__ = (sa.UniqueConstraint("group_id", "position"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    group_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("breakout_group.id", ondelete="CASCADE"), nullable=False)
    )
    breakout_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("breakout.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    circle_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("circle.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    participant_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("participant.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    position: int
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    deadline: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    outcome: BreakoutOutcome | None = Field(default=None, sa_type=sa.String(16))


Seconds = Annotated[int, PydanticField(ge=10, le=_MAX_SECONDS), JSON_INTEGER]


def _in_utc_range(value: datetime) -> datetime:
    """A time the database can hold: its UTC must fall in years 1 to 9999."""
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise ValueError("must be a date and time whose UTC falls in years 1 to 9999") from None
    return value


Moment = Annotated[AwareDatetime, AfterValidator(_in_utc_range)]


class BreakoutCreate(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    size: Literal[2, 3] = Field(default=2, description="People in a group: 2 (pairs) or 3. Nobody is ever alone.")
    seconds_each: Seconds = Field(description="How long each person speaks, in seconds (a hard limit).")
    prompt: Line | None = Field(default=None, max_length=500, description="The question the groups take up.")
    grouping: Grouping = Field(
        default=Grouping.RANDOM,
        description="random: shuffled; by_seat: neighbours around the circle together; explicit: as `groups` says.",
    )
    groups: list[list[uuid.UUID]] | None = Field(
        default=None,
        max_length=500,
        description="With grouping explicit: the groups, each 2 or 3 participant ids, in the order each speaks. "
        "Every present member in one; keepers not listed float.",
    )
    keepers_float: StrictBool = Field(
        default=False, description="Keepers stay out of the groups and may look in on any of them."
    )
    ends_at: Moment | None = Field(
        default=None,
        description="When everyone comes back to the circle, whether the groups are done or not (with a time zone).",
    )
    duration_seconds: Annotated[int, PydanticField(ge=10, le=4 * _MAX_SECONDS), JSON_INTEGER] | None = Field(
        default=None, description="As ends_at, counted from now; give one or neither."
    )


class BreakoutTurnPublic(SQLModel):
    id: uuid.UUID
    participant_id: uuid.UUID
    position: int = Field(description="0 speaks first in the group, then 1, ...")
    started_at: datetime | None = Field(description="When the piece came to them; null before (or never).")
    deadline: datetime | None = Field(description="When their time is up (server time).")
    ended_at: datetime | None
    outcome: BreakoutOutcome | None = Field(
        description="spoke, passed, timed_out (their time ran out), ended (the breakout ended first), left "
        "(they left the circle or became a witness), moved (nobody else was left in the group before they spoke "
        "there: they speak in another group, or with none open are back in the circle; a turn cut short so "
        "does not count), or listener (they joined this group, having spoken in theirs, only to listen; never "
        "started, ended when they joined)."
    )


class BreakoutGroupPublic(SQLModel):
    id: uuid.UUID
    index: int = Field(description="0, 1, ...: the group's number in the breakout.")
    external_ref: str | None = Field(description="The app's own name for the group (e.g. a Zoom breakout room).")
    members: list[uuid.UUID] = Field(
        description="Who is in the group, in the order they speak (someone who joined it comes last). A person's "
        "group is the one not done that lists them without a `left` or `moved` turn."
    )
    holder: uuid.UUID | None = Field(description="Whose turn it is in the group now; null when the group is done.")
    done_at: datetime | None = Field(description="When everyone in the group had spoken (or the breakout ended).")
    turns: list[BreakoutTurnPublic]


class BreakoutPublic(SQLModel):
    id: uuid.UUID
    circle_id: uuid.UUID
    prompt: str | None
    size: int
    seconds_each: int
    grouping: Grouping
    keepers_float: bool
    started_at: datetime
    ends_at: datetime | None = Field(description="When everyone comes back, at the latest; null: when all are done.")
    ended_at: datetime | None = Field(description="When everyone came back to the circle; null while under way.")
    end_reason: BreakoutEndReason | None = Field(
        description="completed (every group done), time_up (ends_at came), ended (by a keeper or the app), "
        "or circle_closed."
    )
    groups: list[BreakoutGroupPublic]


class GroupUpdate(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    external_ref: Line | None = Field(
        default=None, min_length=1, max_length=200, description="The app's own name for the group; null clears it."
    )


class BreakoutTurnFinish(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    outcome: Literal[BreakoutOutcome.SPOKE, BreakoutOutcome.PASSED] = Field(
        default=BreakoutOutcome.SPOKE, description="spoke (done) or passed."
    )
