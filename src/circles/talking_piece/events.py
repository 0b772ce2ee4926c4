"""What the talking piece records when it changes: the service turns these into the circle's event log.

Each event carries a copy of what it speaks of, taken when it happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from circles.talking_piece.model import EndReason, LowerReason, Turn


@dataclass(frozen=True, slots=True)
class RoundStarted:
    round_id: UUID


@dataclass(frozen=True, slots=True)
class RoundPaused:
    round_id: UUID
    paused_at: datetime


@dataclass(frozen=True, slots=True)
class RoundResumed:
    round_id: UUID
    resumed_at: datetime
    turn: Turn | None  # the open turn with its moved deadline, if any


@dataclass(frozen=True, slots=True)
class RoundEnded:
    round_id: UUID
    ended_at: datetime
    reason: EndReason


@dataclass(frozen=True, slots=True)
class TurnStarted:
    round_id: UUID
    turn: Turn


@dataclass(frozen=True, slots=True)
class TurnEnded:
    round_id: UUID
    turn: Turn


@dataclass(frozen=True, slots=True)
class TurnOvertime:
    round_id: UUID
    turn: Turn


@dataclass(frozen=True, slots=True)
class TurnAccepted:
    """The offered piece was taken: the clock starts (the turn's new deadline)."""

    round_id: UUID
    turn: Turn


@dataclass(frozen=True, slots=True)
class TurnAway:
    """Absence rounds: the holder's last connection dropped; the piece waits for them until `turn.away_until`."""

    round_id: UUID
    turn: Turn


@dataclass(frozen=True, slots=True)
class TurnBack:
    """Absence rounds: the holder came back within the grace period and keeps the piece."""

    round_id: UUID
    turn: Turn


@dataclass(frozen=True, slots=True)
class HandRaised:
    round_id: UUID
    participant_id: UUID
    hands: tuple[UUID, ...]  # the queue after the hand went up, first in line first


@dataclass(frozen=True, slots=True)
class HandLowered:
    round_id: UUID
    participant_id: UUID
    reason: LowerReason
    hands: tuple[UUID, ...]  # the queue after the hand came down


@dataclass(frozen=True, slots=True)
class HandCalled:
    """A keeper or the app called on a raised hand out of order: it is now first in line."""

    round_id: UUID
    participant_id: UUID
    hands: tuple[UUID, ...]


DomainEvent = (
    RoundStarted
    | RoundPaused
    | RoundResumed
    | RoundEnded
    | TurnStarted
    | TurnEnded
    | TurnOvertime
    | TurnAccepted
    | TurnAway
    | TurnBack
    | HandRaised
    | HandLowered
    | HandCalled
)
