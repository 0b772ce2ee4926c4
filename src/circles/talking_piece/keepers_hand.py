"""The keeper's hand: giving the piece to a chosen person, and speaking out of turn.

- **Give** (a keeper or the app): the piece goes to the chosen seated member or keeper now. The holder's
  turn, if any, ends `skipped`. The given turn counts as the chosen person's turn in the round, but the
  round's own order is not moved: what is left of it goes on from where it was. In an absence round the
  chosen person must be online (else `offline`).
- **Speak out of turn** (a keeper, for themselves, in a sequential round): the holder's turn ends
  `interrupted` and does not count; the keeper's turn does not count either. When the keeper is done the
  piece goes back to the one interrupted (`round.returns_to`: a fresh turn, as they held it before: in the
  round's order or given), and the round goes on as if nothing happened. If they left meanwhile, the
  round simply goes on.

Both name the open turn they take the piece from, so a stale command is refused and changes nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from circles.talking_piece import absence, errors, hands
from circles.talking_piece.events import DomainEvent
from circles.talking_piece.model import Actor, HowGiven, LowerReason, Outcome, Round, RoundKind, RoundStatus, Seat, Turn


class TalkingPiece(Protocol):
    """The engine (`engine.TalkingPiece`) as the keeper's hand moves it: its round, what it records, and its
    turns opened and closed the engine's way. Named here so the engine may call in without a loop of imports."""

    round: Round
    events: list[DomainEvent]

    def seat_of(self, participant_id: UUID) -> Seat | None: ...

    def end_turn(self, turn: Turn, outcome: Outcome, now: datetime) -> None: ...

    def start_turn(self, seat: Seat, now: datetime, how: HowGiven = HowGiven.IN_TURN) -> None: ...


def give(piece: TalkingPiece, participant_id: UUID, turn_id: UUID | None, actor: Actor, now: datetime) -> None:
    if not actor.may_keep:
        raise errors.KeeperOnly()
    holding = _taken_from(piece, turn_id)
    seat = piece.seat_of(participant_id)
    if seat is None or not seat.may_hold:
        raise errors.CannotHold()
    if holding is not None and holding.participant_id == participant_id:
        raise errors.AlreadyHolds()
    if not seat.agreed:
        raise errors.AgreementsNotAccepted()
    if absence.passes_over(piece.round, seat, HowGiven.GIVEN):
        raise errors.Offline()
    if holding is not None:
        piece.end_turn(holding, Outcome.SKIPPED, now)
    if participant_id in hands.in_line(piece.round):
        hands.take_out(piece.round, participant_id, LowerReason.GIVEN_PIECE, piece.events)
    piece.start_turn(seat, now, HowGiven.GIVEN)


def speak_out_of_turn(piece: TalkingPiece, turn_id: UUID, actor: Actor, now: datetime) -> None:
    if actor.participant_id is None:
        raise errors.KeepersSpeakForThemselves()
    if not actor.may_keep:
        raise errors.KeeperOnly()
    if piece.round.kind is not RoundKind.SEQUENTIAL and piece.round.status is not RoundStatus.ENDED:
        raise errors.NotASequentialRound()
    holding = _taken_from(piece, turn_id)
    keeper = piece.seat_of(actor.participant_id)
    if keeper is None or not keeper.may_hold:
        raise errors.CannotHold()
    assert holding is not None  # a sequential round that runs always has a holder
    if holding.participant_id == actor.participant_id:
        raise errors.AlreadyHolds()
    if not keeper.agreed:
        raise errors.AgreementsNotAccepted()
    if holding.how is not HowGiven.OUT_OF_TURN:  # one keeper interrupting another: the first one interrupted
        piece.round.returns_to = holding.participant_id  # still gets the piece back
    piece.end_turn(holding, Outcome.INTERRUPTED, now)
    piece.start_turn(keeper, now, HowGiven.OUT_OF_TURN)


def _taken_from(piece: TalkingPiece, turn_id: UUID | None) -> Turn | None:
    """The open turn this command names (None: the piece is free), or a refusal that changes nothing."""
    r = piece.round
    if r.status is RoundStatus.ENDED:
        raise errors.RoundHasEnded()
    if r.status is RoundStatus.PAUSED:
        raise errors.RoundIsPaused()
    holding = r.open_turn
    if (holding.id if holding else None) != turn_id:
        raise errors.TurnNotOpen()
    return holding
