from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

import sqlalchemy as sa
from pydantic import ConfigDict, StrictBool
from pydantic import Field as PydanticField
from sqlmodel import Field, SQLModel

from circles.json_types import JSON_INTEGER
from circles.records.circle.models import TurnSeconds
from circles.schema import UTCDateTime
from circles.talking_piece.model import EndReason, HowGiven, Lap, Outcome, RoundKind, RoundStatus, TimeLimit
from circles.text import Line


class Round(SQLModel, table=True):
    __table_args__ = (
        # At most one round that has not ended per circle, held by the database as well as the service.
        sa.Index(
            "uq_round_unended",
            "circle_id",
            unique=True,
            sqlite_where=sa.text("status != 'ended'"),
            postgresql_where=sa.text("status != 'ended'"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    circle_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("circle.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    prompt: str | None = Field(default=None, sa_type=sa.String(500))
    kind: RoundKind = Field(sa_type=sa.String(16))
    status: RoundStatus = Field(sa_type=sa.String(8))
    turn_seconds: int | None = None
    time_limit: TimeLimit = Field(sa_type=sa.String(8))
    pass_back: bool = False
    starts_with: uuid.UUID | None = None
    origin_seat: int
    cursor_seat: int
    phase: Lap = Field(sa_type=sa.String(16))
    started_at: datetime = Field(sa_type=UTCDateTime)
    paused_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    end_reason: EndReason | None = Field(default=None, sa_type=sa.String(16))
    returns_to: uuid.UUID | None = None  # a keeper speaks out of turn: who gets the piece back after
    offer_seconds: int | None = None
    pause_seconds: int | None = None
    absence: bool = False


class Turn(SQLModel, table=True):
    __table_args__ = (
        # At most one open turn per round (and so per circle, with one unended round).
        sa.Index(
            "uq_turn_open",
            "round_id",
            unique=True,
            sqlite_where=sa.text("ended_at IS NULL"),
            postgresql_where=sa.text("ended_at IS NULL"),
        ),
        sa.UniqueConstraint("round_id", "position"),
        # The deadline sweep looks only at open turns.
        sa.Index(
            "ix_turn_open_deadline",
            "deadline",
            sqlite_where=sa.text("ended_at IS NULL"),
            postgresql_where=sa.text("ended_at IS NULL"),
        ),
    )

    id: uuid.UUID = Field(primary_key=True)
    position: int = Field(description="0 for the round's first turn, 1 for the next, ...")
    round_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("round.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    circle_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("circle.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    participant_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("participant.id", ondelete="CASCADE"), nullable=False)
    )
    started_at: datetime = Field(sa_type=UTCDateTime)
    deadline: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    outcome: Outcome | None = Field(default=None, sa_type=sa.String(16))
    overtime_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    how: HowGiven = Field(default=HowGiven.IN_TURN, sa_type=sa.String(16))
    accepted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    silent_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    away_until: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Hand(SQLModel, table=True):
    """A raised hand in an open round's queue; its row goes when the hand comes down."""

    __table_args__ = (sa.UniqueConstraint("round_id", "position"),)

    round_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("round.id", ondelete="CASCADE"), primary_key=True)
    )
    participant_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True)
    )
    circle_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("circle.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    position: int = Field(description="0 for the first in line, 1 for the next, ...")
    raised_at: datetime = Field(sa_type=UTCDateTime)


class RoundCreate(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    prompt: Line | None = Field(default=None, max_length=500, description="The question for this round.")
    kind: RoundKind = Field(
        default=RoundKind.SEQUENTIAL,
        description="sequential: around the circle by seat. open: to whoever raises a hand, in the order hands "
        "went up; it waits for a hand when none is up, and ends only when a keeper or the app ends it.",
    )
    turn_seconds: TurnSeconds | None = Field(
        default=None, description="Left out: the circle's turn_seconds. null: no limit."
    )
    time_limit: TimeLimit | None = Field(default=None, description="Left out or null: the circle's.")
    pass_back: StrictBool = Field(
        default=False, description="Offer the piece once more to those who passed (sequential rounds only)."
    )
    offer_seconds: Annotated[int, PydanticField(ge=5, le=600), JSON_INTEGER] | None = Field(
        default=None,
        description="Offer the piece first: the next person takes it when ready (POST .../turns/{id}/accept) and "
        "the clock starts then; not taken within this many seconds, it passes on (outcome not_taken). null: no offer.",
    )
    pause_seconds: Annotated[int, PydanticField(ge=1, le=120), JSON_INTEGER] | None = Field(
        default=None, description="A moment of silence between speakers, in seconds; null: none."
    )
    absence: StrictBool = Field(
        default=False,
        description="Pass over whoever has no live connection when the piece reaches them (outcome absent; they "
        "keep their seat), and give a holder whose last connection drops a grace period to come back "
        "(CIRCLES_AWAY_GRACE_SECONDS) before the piece moves on. For circles whose members are connected.",
    )
    starts_with: uuid.UUID | None = Field(
        default=None,
        description="Who holds the piece first; default: the first keeper, else the lowest seat. In an open "
        "round the default is no one: the piece waits for the first hand.",
    )


class TurnPublic(SQLModel):
    id: uuid.UUID
    round_id: uuid.UUID
    participant_id: uuid.UUID
    started_at: datetime
    deadline: datetime | None = Field(description="When time is up (server time); null with no limit.")
    ended_at: datetime | None
    outcome: Outcome | None
    overtime_at: datetime | None = Field(description="When a soft limit's turn.overtime was sent.")
    accepted_at: datetime | None = Field(description="Offer rounds: when the holder took the offered piece.")
    silent_until: datetime | None = Field(
        description="With pause_seconds: the moment of silence ends here; the offer or the clock runs from then."
    )
    away_until: datetime | None = Field(
        default=None,
        description="Absence rounds: the holder's last connection dropped; not back by then, the turn ends absent.",
    )
    how: HowGiven = Field(
        description="in_turn: by the round's own order (or the first hand); given: a keeper or the app gave it "
        "(it counts as their turn); out_of_turn: a keeper speaking out of turn (it does not)."
    )


class RoundPublic(SQLModel):
    id: uuid.UUID
    circle_id: uuid.UUID
    prompt: str | None
    kind: RoundKind
    status: RoundStatus
    turn_seconds: int | None
    time_limit: TimeLimit
    pass_back: bool
    starts_with: uuid.UUID | None = Field(description="Who held the piece first; null in an open round begun waiting.")
    started_at: datetime
    paused_at: datetime | None
    ended_at: datetime | None
    end_reason: EndReason | None
    returns_to: uuid.UUID | None = Field(
        description="While a keeper speaks out of turn: who gets the piece back when they are done."
    )
    offer_seconds: int | None = Field(description="How long an offer of the piece stands; null: no offers.")
    pause_seconds: int | None = Field(description="The moment of silence between speakers; null: none.")
    absence: bool = Field(
        default=False, description="Whoever is offline is passed over; a holder who drops has a grace period."
    )


class RoundWithTurns(RoundPublic):
    turns: list[TurnPublic]
    hands: list[uuid.UUID] = Field(description="Raised hands in queue order (open rounds); empty once ended.")


class TurnFinish(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    outcome: Literal[Outcome.SPOKE, Outcome.PASSED] = Field(description="spoke or passed.")


class PieceGive(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    participant_id: uuid.UUID = Field(description="A seated member or keeper: who gets the piece now.")
    turn_id: uuid.UUID | None = Field(
        description="The open turn the piece is taken from (its holder's turn ends skipped); null when the piece "
        "is free. A turn that is no longer open is 409 turn_not_open."
    )


class OutOfTurn(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    turn_id: uuid.UUID = Field(description="The open turn the keeper interrupts; it ends interrupted.")
