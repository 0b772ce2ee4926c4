"""What the airtime reads answer: metadata about who held the piece and for how long, never content."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BeforeValidator
from sqlmodel import Field, SQLModel

from circles.talking_piece.model import Outcome, RoundStatus

BALANCE_DESCRIPTION = (
    "How evenly airtime was shared: 1 − the Gini coefficient normalized for the number of people (1: all "
    "equal; 0: one person held all of it). 1 for a single person; null when no one held the piece for any time."
)


_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _written_out(value: object) -> object:
    """Pydantic would read a bare number as seconds since 1970; a window's ends are written dates."""
    if isinstance(value, int | float) or (isinstance(value, str) and _NUMBER.fullmatch(value.strip())):
        raise ValueError("must be a date and time with a time zone (RFC 3339), not a number")
    return value


def _in_utc_range(value: datetime) -> datetime:
    """A time the database can hold: its UTC must fall in years 1 to 9999 (0001-01-01T00:00:00+14:00 and
    9999-12-31T23:59:59-14:00 are dates Python reads but cannot convert to UTC)."""
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise ValueError("must be a date and time whose UTC falls in years 1 to 9999") from None
    return value


# An end of an airtime window: an RFC 3339 date and time with its time zone.
WindowEnd = Annotated[AwareDatetime, BeforeValidator(_written_out), AfterValidator(_in_utc_range)]


class TurnAirtime(SQLModel):
    turn_id: uuid.UUID
    participant_id: uuid.UUID
    started_at: datetime
    ended_at: datetime | None = Field(description="Null while the turn is open.")
    held_seconds: float = Field(description="Time held while the round was not paused (so far, if open).")
    outcome: Outcome | None = Field(description="How the turn ended; null while it is open.")


class PersonAirtime(SQLModel):
    participant_id: uuid.UUID
    held_seconds: float
    share: float | None = Field(description="This person's part of all the airtime (0 to 1); null if none.")
    turns: int = Field(description="How many turns they held.")
    outcomes: dict[Outcome, int] = Field(description="How many of their ended turns ended each way.")


class RoundAirtime(SQLModel):
    round_id: uuid.UUID
    status: RoundStatus
    started_at: datetime
    ended_at: datetime | None
    total_seconds: float = Field(description="All the airtime in the round.")
    balance: float | None = Field(description=BALANCE_DESCRIPTION)
    people: list[PersonAirtime] = Field(description="Everyone who held the piece, most airtime first.")
    turns: list[TurnAirtime] = Field(description="Every turn, in the order they were held.")


class RoundAirtimeSummary(SQLModel):
    round_id: uuid.UUID
    status: RoundStatus
    started_at: datetime
    ended_at: datetime | None
    total_seconds: float
    balance: float | None = Field(description=BALANCE_DESCRIPTION)


class GatheringAirtime(SQLModel):
    """Airtime over several rounds: a gathering's (the rounds its plan started), or a time window's (the
    circle's rounds that started in [since, until))."""

    gathering_id: uuid.UUID | None = Field(default=None, description="The gathering; null for a time window.")
    since: datetime | None = Field(default=None, description="Rounds that started at or after this; null: no bound.")
    until: datetime | None = Field(default=None, description="Rounds that started before this; null: no bound.")
    as_of: datetime = Field(description="The server's clock when this was read (open turns count up to it).")
    total_seconds: float
    balance: float | None = Field(description=BALANCE_DESCRIPTION)
    people: list[PersonAirtime] = Field(description="Everyone who held the piece in these rounds, most first.")
    rounds: list[RoundAirtimeSummary] = Field(description="The rounds, oldest first.")
