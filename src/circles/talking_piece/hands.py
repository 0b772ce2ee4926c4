"""The queue of raised hands in an open round.

The queue is the order hands went up, kept by the server, so every screen shows the same line. A keeper
or the app may call on a raised hand out of order: it moves to the front. When the piece is free it goes
to the first hand in line (`TalkingPiece` decides when; this module only keeps the line).

Every function here either refuses (and changes nothing) or changes `the_round.hands` and appends the
matching event to `recorded`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from circles.talking_piece import errors, events
from circles.talking_piece.events import DomainEvent
from circles.talking_piece.model import Actor, Hand, LowerReason, Round, RoundKind, RoundStatus, Seat


def in_line(the_round: Round) -> tuple[UUID, ...]:
    """Who has a hand up, first in line first."""
    return tuple(hand.participant_id for hand in the_round.hands)


def raise_hand(
    the_round: Round, seating: Sequence[Seat], actor: Actor, now: datetime, recorded: list[DomainEvent]
) -> None:
    """A seated member or keeper raises their own hand; it joins the end of the line."""
    if actor.participant_id is None:
        raise errors.OwnHandOnly()
    _require_open(the_round)
    seat = next((s for s in seating if s.participant_id == actor.participant_id), None)
    if seat is None or not seat.may_hold:
        raise errors.WitnessesDoNotHold()
    if not seat.agreed:
        raise errors.AgreementsNotAccepted()
    if actor.participant_id in in_line(the_round):
        raise errors.HandAlreadyRaised()
    turn = the_round.open_turn
    if turn is not None and turn.participant_id == actor.participant_id:
        raise errors.HoldsThePiece()
    the_round.hands.append(Hand(participant_id=actor.participant_id, raised_at=now))
    recorded.append(
        events.HandRaised(round_id=the_round.id, participant_id=actor.participant_id, hands=in_line(the_round))
    )


def lower_hand(the_round: Round, participant_id: UUID, actor: Actor, recorded: list[DomainEvent]) -> None:
    """Its owner, a keeper or the app lowers a raised hand."""
    if not (actor.may_keep or actor.participant_id == participant_id):
        raise errors.NotYourHand()
    _require_open(the_round)
    if participant_id not in in_line(the_round):
        raise errors.HandNotRaised()
    take_out(the_round, participant_id, LowerReason.LOWERED, recorded)


def call_on(the_round: Round, participant_id: UUID, actor: Actor, recorded: list[DomainEvent]) -> None:
    """A keeper or the app calls on a raised hand out of order: it goes to the front of the line."""
    if not actor.may_keep:
        raise errors.KeeperOnly()
    _require_open(the_round)
    if participant_id not in in_line(the_round):
        raise errors.HandNotRaised()
    called = next(hand for hand in the_round.hands if hand.participant_id == participant_id)
    the_round.hands.remove(called)
    the_round.hands.insert(0, called)
    recorded.append(events.HandCalled(round_id=the_round.id, participant_id=participant_id, hands=in_line(the_round)))


def give_first(the_round: Round, recorded: list[DomainEvent]) -> UUID | None:
    """The piece is free: the first hand in line comes down, and its owner is the one to hold it next."""
    if not the_round.hands:
        return None
    first = the_round.hands[0].participant_id
    take_out(the_round, first, LowerReason.GIVEN_PIECE, recorded)
    return first


def drop_those_who_cannot_hold(the_round: Round, seating: Sequence[Seat], recorded: list[DomainEvent]) -> None:
    """After a seating change: the hands of those who left or became witnesses come down."""
    may_hold = {s.participant_id for s in seating if s.may_hold}
    for participant_id in in_line(the_round):
        if participant_id not in may_hold:
            take_out(the_round, participant_id, LowerReason.LEFT, recorded)


def take_out(the_round: Round, participant_id: UUID, reason: LowerReason, recorded: list[DomainEvent]) -> None:
    """Take a raised hand out of the line (the caller knows it is up)."""
    the_round.hands = [hand for hand in the_round.hands if hand.participant_id != participant_id]
    recorded.append(
        events.HandLowered(
            round_id=the_round.id, participant_id=participant_id, reason=reason, hands=in_line(the_round)
        )
    )


def _require_open(the_round: Round) -> None:
    if the_round.status is RoundStatus.ENDED:
        raise errors.RoundHasEnded()
    if the_round.kind is not RoundKind.OPEN:
        raise errors.NotAnOpenRound()
