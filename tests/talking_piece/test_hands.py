"""Open rounds: the queue of raised hands, rule by rule."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import timedelta
from uuid import UUID

import pytest

from circles.talking_piece import errors, events
from circles.talking_piece.engine import TalkingPiece
from circles.talking_piece.model import (
    Actor,
    EndReason,
    LowerReason,
    Outcome,
    Role,
    RoundKind,
    RoundStatus,
    Seat,
    TimeLimit,
)
from tests.talking_piece.seating import APP, T0, pid, refuses, seat


def who(n: int, role: Role = Role.MEMBER) -> Actor:
    return Actor(participant_id=pid(n), role=role)


KEEPER = who(1, Role.KEEPER)
CIRCLE = [seat(1, Role.KEEPER), seat(2), seat(3), seat(4), seat(5, Role.WITNESS)]


def start_open(seating: Sequence[Seat] = CIRCLE, *, starts_with: int | None = None, turn_seconds: int | None = None):
    counter = itertools.count(1000)
    return TalkingPiece.start(
        round_id=UUID(int=9),
        seating=seating,
        now=T0,
        turn_seconds=turn_seconds,
        time_limit=TimeLimit.HARD,
        pass_back=False,
        starts_with=None if starts_with is None else pid(starts_with),
        kind=RoundKind.OPEN,
        new_id=lambda: UUID(int=next(counter)),
    )


def line(piece: TalkingPiece) -> list[int]:
    return [hand.participant_id.int for hand in piece.round.hands]


def holder(piece: TalkingPiece) -> int | None:
    turn = piece.round.open_turn
    return turn.participant_id.int if turn else None


def finish(piece: TalkingPiece, outcome: Outcome = Outcome.SPOKE) -> None:
    turn = piece.round.open_turn
    assert turn is not None
    piece.finish(turn.id, outcome, Actor(participant_id=turn.participant_id, role=Role.MEMBER), T0)


def test_an_open_round_without_starts_with_waits_for_a_hand() -> None:
    piece = start_open()
    assert piece.round.kind is RoundKind.OPEN and piece.round.status is RoundStatus.ACTIVE
    assert piece.round.open_turn is None and piece.round.starts_with is None
    assert piece.events == [events.RoundStarted(round_id=UUID(int=9))]


def test_the_first_hand_up_takes_a_free_piece_and_the_rest_wait_in_the_order_they_rose() -> None:
    piece = start_open()
    piece.raise_hand(who(3), T0)
    assert holder(piece) == 3 and line(piece) == []
    piece.raise_hand(who(2), T0 + timedelta(seconds=1))
    piece.raise_hand(KEEPER, T0 + timedelta(seconds=2))
    piece.raise_hand(who(4), T0 + timedelta(seconds=3))
    assert line(piece) == [2, 1, 4] and piece.up_next() == [pid(2), pid(1), pid(4)]
    order = []
    while piece.round.open_turn is not None:
        order.append(holder(piece))
        finish(piece)
    assert order == [3, 2, 1, 4]
    assert piece.round.status is RoundStatus.ACTIVE, "an open round never ends by itself"
    piece.raise_hand(who(3), T0)  # someone who spoke may ask again
    assert holder(piece) == 3


def test_hand_events_carry_the_line_and_why_a_hand_came_down() -> None:
    piece = start_open(starts_with=1)
    assert holder(piece) == 1
    piece.raise_hand(who(2), T0)
    piece.raise_hand(who(3), T0)
    piece.lower_hand(pid(2), who(2))
    finish(piece)
    hand_events = [e for e in piece.events if isinstance(e, events.HandRaised | events.HandLowered)]
    assert hand_events == [
        events.HandRaised(round_id=UUID(int=9), participant_id=pid(2), hands=(pid(2),)),
        events.HandRaised(round_id=UUID(int=9), participant_id=pid(3), hands=(pid(2), pid(3))),
        events.HandLowered(round_id=UUID(int=9), participant_id=pid(2), reason=LowerReason.LOWERED, hands=(pid(3),)),
        events.HandLowered(round_id=UUID(int=9), participant_id=pid(3), reason=LowerReason.GIVEN_PIECE, hands=()),
    ]
    assert isinstance(piece.events[-1], events.TurnStarted) and holder(piece) == 3


def test_a_keeper_calls_on_a_hand_out_of_order() -> None:
    piece = start_open(starts_with=1)
    for n in (2, 3, 4):
        piece.raise_hand(who(n), T0)
    piece.call_on(pid(4), KEEPER, T0)
    assert line(piece) == [4, 2, 3] and holder(piece) == 1, "the holder keeps the piece; the called is next"
    assert piece.events[-1] == events.HandCalled(
        round_id=UUID(int=9), participant_id=pid(4), hands=(pid(4), pid(2), pid(3))
    )
    finish(piece)
    assert holder(piece) == 4
    piece.call_on(pid(3), APP, T0)
    finish(piece)
    assert holder(piece) == 3 and line(piece) == [2]


def test_a_call_on_a_free_piece_gives_it_at_once_after_a_pause() -> None:
    piece = start_open()
    piece.pause(KEEPER, T0)
    piece.raise_hand(who(2), T0)
    piece.raise_hand(who(3), T0)
    assert holder(piece) is None, "while paused the piece does not move"
    piece.call_on(pid(3), KEEPER, T0)
    assert holder(piece) is None
    piece.resume(KEEPER, T0)
    assert holder(piece) == 3 and line(piece) == [2]


def test_who_may_raise_lower_and_call() -> None:
    piece = start_open(starts_with=2)
    refuses(piece, lambda: piece.raise_hand(APP, T0), errors.OwnHandOnly)
    refuses(piece, lambda: piece.raise_hand(who(5, Role.WITNESS), T0), errors.WitnessesDoNotHold)
    refuses(piece, lambda: piece.raise_hand(who(77), T0), errors.WitnessesDoNotHold)
    refuses(piece, lambda: piece.raise_hand(who(2), T0), errors.HoldsThePiece)
    piece.raise_hand(who(3), T0)
    refuses(piece, lambda: piece.raise_hand(who(3), T0), errors.HandAlreadyRaised)
    refuses(piece, lambda: piece.lower_hand(pid(3), who(4)), errors.NotYourHand)
    refuses(piece, lambda: piece.lower_hand(pid(4), who(4)), errors.HandNotRaised)
    refuses(piece, lambda: piece.call_on(pid(3), who(4), T0), errors.KeeperOnly)
    refuses(piece, lambda: piece.call_on(pid(4), KEEPER, T0), errors.HandNotRaised)
    piece.lower_hand(pid(3), KEEPER)
    assert line(piece) == []


def test_hands_belong_to_open_rounds_and_pass_back_to_sequential_ones() -> None:
    sequential = TalkingPiece.start(
        round_id=UUID(int=9),
        seating=CIRCLE,
        now=T0,
        turn_seconds=None,
        time_limit=TimeLimit.HARD,
        pass_back=False,
        starts_with=None,
    )
    refuses(sequential, lambda: sequential.raise_hand(who(3), T0), errors.NotAnOpenRound)
    refuses(sequential, lambda: sequential.lower_hand(pid(3), KEEPER), errors.NotAnOpenRound)
    with pytest.raises(errors.PassBackIsSequential):
        TalkingPiece.start(
            round_id=UUID(int=9),
            seating=CIRCLE,
            now=T0,
            turn_seconds=None,
            time_limit=TimeLimit.HARD,
            pass_back=True,
            starts_with=None,
            kind=RoundKind.OPEN,
        )
    with pytest.raises(errors.NoOneToHold):
        start_open([seat(5, Role.WITNESS)])


def test_leaving_or_becoming_a_witness_takes_a_hand_down() -> None:
    piece = start_open(starts_with=1)
    for n in (2, 3, 4):
        piece.raise_hand(who(n), T0)
    piece.seating_changed([seat(1, Role.KEEPER), seat(3, Role.WITNESS), seat(4)], T0)
    assert line(piece) == [4]
    lowered = [e for e in piece.events if isinstance(e, events.HandLowered)]
    assert [(e.participant_id.int, e.reason) for e in lowered] == [(2, LowerReason.LEFT), (3, LowerReason.LEFT)]


def test_the_holder_leaving_gives_the_piece_to_the_next_hand_and_an_empty_line_leaves_it_waiting() -> None:
    piece = start_open(starts_with=2, turn_seconds=60)
    piece.raise_hand(who(3), T0)
    piece.seating_changed([seat(1, Role.KEEPER), seat(3), seat(4)], T0)
    assert holder(piece) == 3
    piece.expire(piece.round.open_turn.id, T0 + timedelta(seconds=60))
    assert piece.round.turns[-1].outcome is Outcome.TIMED_OUT
    assert holder(piece) is None and piece.round.status is RoundStatus.ACTIVE


def test_ending_an_open_round_takes_every_hand_down_with_it() -> None:
    piece = start_open(starts_with=1)
    piece.raise_hand(who(2), T0)
    piece.end(KEEPER, T0)
    assert piece.round.end_reason is EndReason.ENDED and line(piece) == [] and piece.up_next() == []
    refuses(piece, lambda: piece.raise_hand(who(3), T0), errors.RoundHasEnded)
    refuses(piece, lambda: piece.lower_hand(pid(2), KEEPER), errors.RoundHasEnded)
