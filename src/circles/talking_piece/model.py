"""The talking piece's own vocabulary: who sits where, rounds, turns, who acts.

Plain dataclasses and enums: no I/O, no framework. The service maps its rows to these, asks the engine
(`circles.talking_piece.engine`) to apply a command, and maps the result back.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID


class Role(enum.StrEnum):
    KEEPER = "keeper"
    MEMBER = "member"
    WITNESS = "witness"


class RoundKind(enum.StrEnum):
    SEQUENTIAL = "sequential"  # around the circle by seat
    OPEN = "open"  # to whoever raises a hand, in the order hands went up


class RoundStatus(enum.StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


class TimeLimit(enum.StrEnum):
    SOFT = "soft"
    HARD = "hard"


class Outcome(enum.StrEnum):
    SPOKE = "spoke"
    PASSED = "passed"
    SKIPPED = "skipped"
    TIMED_OUT = "timed_out"
    LEFT = "left"
    INTERRUPTED = "interrupted"  # a keeper spoke out of turn; the holder is given the piece back after
    NOT_AGREED = "not_agreed"  # passed over: they have not accepted the circle's agreements
    NOT_TAKEN = "not_taken"  # the piece was offered and not taken in time: it passed on
    ABSENT = "absent"  # absence rounds: offline when the piece reached them, or away past the grace


class HowGiven(enum.StrEnum):
    """How a turn came to its holder."""

    IN_TURN = "in_turn"  # the piece came to them by the round's own order (or the first hand in line)
    GIVEN = "given"  # a keeper or the app gave it to them; it counts as their turn
    OUT_OF_TURN = "out_of_turn"  # a keeper spoke out of turn; it is not their turn in the round


class Lap(enum.StrEnum):
    """Which time around a sequential round is on: the first lap goes around once; with pass-back, a second
    lap offers the piece to those who passed."""

    FIRST = "first"
    PASS_BACK = "pass_back"


class LowerReason(enum.StrEnum):
    """Why a hand came down."""

    LOWERED = "lowered"  # its owner, a keeper or the app lowered it
    GIVEN_PIECE = "given_piece"  # its owner was given the piece
    LEFT = "left"  # its owner left the circle or became a witness


class EndReason(enum.StrEnum):
    COMPLETED = "completed"  # everyone owed a turn had one
    ENDED = "ended"  # a keeper or the app ended it
    CIRCLE_CLOSED = "circle_closed"


@dataclass(frozen=True, slots=True)
class Seat:
    """A participant who is in the circle now (joined and not left)."""

    participant_id: UUID
    seat: int
    role: Role
    agreed: bool = True  # has accepted the circle's current agreements (or the circle has none)
    online: bool = True  # has a live connection now (only absence rounds look at it)

    @property
    def may_hold(self) -> bool:
        return self.role is not Role.WITNESS


@dataclass(slots=True)
class Turn:
    id: UUID
    participant_id: UUID
    started_at: datetime
    deadline: datetime | None
    ended_at: datetime | None = None
    outcome: Outcome | None = None
    overtime_at: datetime | None = None
    how: HowGiven = HowGiven.IN_TURN
    accepted_at: datetime | None = None  # offer rounds: when the holder took the offered piece
    silent_until: datetime | None = None  # a moment of silence before the piece is offered or its clock runs
    away_until: datetime | None = None  # absence rounds: the holder went offline; not back by then, it passes on

    def is_offered(self, the_round: Round) -> bool:
        """Offered and not yet taken: its deadline is when the offer lapses, not when time is up."""
        return the_round.offer_seconds is not None and self.accepted_at is None and self.is_open

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    @property
    def counts(self) -> bool:
        """Whether this turn is its holder's turn in the round (what they were owed)."""
        return self.how is not HowGiven.OUT_OF_TURN and self.outcome is not Outcome.INTERRUPTED


@dataclass(frozen=True, slots=True)
class Hand:
    """A raised hand in an open round's queue."""

    participant_id: UUID
    raised_at: datetime


@dataclass(slots=True)
class Round:
    id: UUID
    kind: RoundKind
    status: RoundStatus
    turn_seconds: int | None
    time_limit: TimeLimit
    pass_back: bool
    starts_with: UUID | None  # None only in an open round that began with the piece waiting for a hand
    origin_seat: int  # the seat starts_with held when the round began: where "around" starts
    started_at: datetime
    cursor_seat: int  # the seat of the last holder: the piece moves on clockwise from here
    phase: Lap = Lap.FIRST
    paused_at: datetime | None = None
    ended_at: datetime | None = None
    end_reason: EndReason | None = None
    turns: list[Turn] = field(default_factory=list)
    hands: list[Hand] = field(default_factory=list)  # open rounds: the queue, first in line first
    returns_to: UUID | None = None  # a keeper is speaking out of turn: who gets the piece back after
    offer_seconds: int | None = None  # the piece is first offered; not taken in this long, it passes on
    pause_seconds: int | None = None  # a moment of silence between speakers
    absence: bool = False  # those offline are passed over, and a holder who drops has a grace period

    @property
    def open_turn(self) -> Turn | None:
        for turn in reversed(self.turns):
            if turn.is_open:
                return turn
        return None


@dataclass(frozen=True, slots=True)
class Actor:
    """Who sends a command: the app (participant_id None), or a participant with a role."""

    participant_id: UUID | None
    role: Role | None

    @classmethod
    def app(cls) -> Actor:
        return cls(participant_id=None, role=None)

    @property
    def is_app(self) -> bool:
        return self.participant_id is None

    @property
    def may_keep(self) -> bool:
        return self.is_app or self.role is Role.KEEPER
