"""A support date: two people of an app meeting one to one, backed by a circle of its own (kind
`support_date`) in which exactly the two of them are seated, so the turn engine, the event log, the live
socket and the page serve it as they serve any circle."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Self

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, StringConstraints, model_validator
from pydantic import Field as PydanticField
from sqlmodel import Field, SQLModel

from circles.json_types import JSON_INTEGER
from circles.records.support_date.schedule import Schedule
from circles.schema import UTCDateTime, utc_now
from circles.talking_piece.model import TimeLimit
from circles.text import Line


class SupportDateKind(StrEnum):
    RECIPROCAL = "reciprocal"  # both speak, for equal time; who starts alternates from one meeting to the next
    MENTORING = "mentoring"  # one speaks (the `speaker`), the other listens


class SupportDateStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"  # one of the two (or the app) ended the arrangement; its circle is closed


class SupportDate(SQLModel, table=True):
    """Who the two are (their participant ids in the date's circle: names live there, and nowhere else),
    how long each speaks, and when they meet. Nothing they say."""

    __tablename__ = "support_date"
    __table_args__ = (
        # The due sweep reads only active dates with an occurrence to announce.
        sa.Index(
            "ix_support_date_next_due_at",
            "next_due_at",
            sqlite_where=sa.text("next_due_at IS NOT NULL"),
            postgresql_where=sa.text("next_due_at IS NOT NULL"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    app_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("app.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    circle_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("circle.id", ondelete="CASCADE"), nullable=False, unique=True)
    )
    kind: SupportDateKind = Field(sa_type=sa.String(16))
    seconds_each: int
    first_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("participant.id", ondelete="CASCADE"), nullable=False)
    )
    second_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("participant.id", ondelete="CASCADE"), nullable=False)
    )
    speaker_id: uuid.UUID | None = None  # mentoring: who speaks (the other listens); null when reciprocal
    next_starts_with: uuid.UUID  # who speaks first at the next meeting (reciprocal: alternates)
    rrule: str | None = Field(default=None, sa_type=sa.String(500))
    local_start: datetime | None = Field(default=None, sa_type=sa.DateTime())  # wall-clock time in `time_zone`
    time_zone: str | None = Field(default=None, sa_type=sa.String(64))
    next_due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # the next occurrence to announce
    status: SupportDateStatus = Field(default=SupportDateStatus.ACTIVE, sa_type=sa.String(8))
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SupportDateDue(SQLModel, table=True):
    """An occurrence announced (`support_date.due`): its key makes the announcement once per occurrence,
    however many instances sweep at once."""

    __tablename__ = "support_date_due"

    support_date_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("support_date.id", ondelete="CASCADE"), primary_key=True)
    )
    occurrence_at: datetime = Field(sa_column=sa.Column(UTCDateTime, primary_key=True))
    announced_at: datetime = Field(sa_type=UTCDateTime)


# What the API takes and answers (the table above is the service's alone).

DateSeconds = Annotated[int, PydanticField(ge=30, le=3600), JSON_INTEGER]


class PersonCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    external_id: Annotated[Line, StringConstraints(min_length=1, max_length=200)] = PydanticField(
        description="The app's own id for the person; the two are different people."
    )
    display_name: Annotated[Line, StringConstraints(min_length=1, max_length=80)] = PydanticField(
        description="The name their partner sees."
    )


class SupportDateCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    people: list[PersonCreate] = PydanticField(
        min_length=2, max_length=2, description="The two. With `reciprocal`, the first starts the first meeting."
    )
    kind: SupportDateKind = PydanticField(
        default=SupportDateKind.RECIPROCAL,
        description="reciprocal: both speak, for equal time, and who starts alternates from one meeting to the "
        "next; mentoring: one speaks (`speaker`), the other listens.",
    )
    seconds_each: DateSeconds = PydanticField(description="Each speaker's time at a meeting, in seconds.")
    speaker: Annotated[Line, StringConstraints(min_length=1, max_length=200)] | None = PydanticField(
        default=None, description="mentoring: the external_id of the one who speaks; left out when reciprocal."
    )
    time_limit: TimeLimit = PydanticField(
        default=TimeLimit.HARD, description="hard (default): at the end of one's time the piece passes; soft: told."
    )
    schedule: Schedule | None = PydanticField(default=None, description="When they meet; null: whenever they like.")

    @model_validator(mode="after")
    def _two_people(self) -> Self:
        first, second = (person.external_id for person in self.people)
        if first == second:
            raise ValueError("people are two different people (two external_ids)")
        if self.kind == SupportDateKind.MENTORING and self.speaker not in (first, second):
            raise ValueError("mentoring names its speaker: the external_id of one of the two people")
        if self.kind == SupportDateKind.RECIPROCAL and self.speaker is not None:
            raise ValueError("speaker is only for mentoring; in a reciprocal date both speak")
        return self


class SupportDatePerson(BaseModel):
    participant_id: uuid.UUID = PydanticField(description="Their id in the date's circle (turns and events name it).")
    external_id: str | None = PydanticField(description="Null once erased.")
    display_name: str
    speaks: bool = PydanticField(description="Whether they hold the piece at a meeting (the listener does not).")
    present: bool = PydanticField(description="False once they left the date (or their part was erased).")


class SupportDateSchedule(BaseModel):
    rrule: str
    start: datetime = PydanticField(description="The first meeting, as the clocks show it in time_zone.")
    time_zone: str


class SupportDatePublic(BaseModel):
    id: uuid.UUID
    circle_id: uuid.UUID = PydanticField(
        description="The date's own circle (kind `support_date`): its live socket, events, rounds and page."
    )
    kind: SupportDateKind
    seconds_each: int
    time_limit: TimeLimit
    status: SupportDateStatus
    people: list[SupportDatePerson] = PydanticField(description="The two, in the order they were given.")
    next_starts_with: uuid.UUID | None = PydanticField(
        description="Who speaks first at the next meeting (participant_id); null once ended."
    )
    schedule: SupportDateSchedule | None
    next_occurrences: list[datetime] = PydanticField(
        description="The next meetings (UTC), soonest first, at most 5; empty without a schedule or once ended."
    )
    created_at: datetime
    ended_at: datetime | None


class SupportDateCreated(SupportDatePublic):
    tokens: dict[str, str] = PydanticField(
        description="Each person's token for the date, by external_id. Shown once; only hashes are kept."
    )


class SupportDatePage(BaseModel):
    items: list[SupportDatePublic]
    next_cursor: str | None = PydanticField(description="Pass as `cursor` for the next page; null on the last.")


class SupportDateToken(BaseModel):
    participant_id: uuid.UUID
    token: str = PydanticField(description="Their new token; the old one stopped working. Shown once.")
