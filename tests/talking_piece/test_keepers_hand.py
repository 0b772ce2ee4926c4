"""The keeper's hand: giving the piece, speaking out of turn, and reordering seats mid-round."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from uuid import UUID

from circles.talking_piece import errors
from circles.talking_piece.engine import TalkingPiece
from circles.talking_piece.model import (
    Actor,
    EndReason,
    HowGiven,
    LowerReason,
    Outcome,
    Role,
    RoundKind,
    Seat,
    TimeLimit,
)
from tests.talking_piece.seating import APP, T0, pid, refuses, seat

KEEPER = Actor(participant_id=pid(1), role=Role.KEEPER)
CO_KEEPER = Actor(participant_id=pid(3), role=Role.KEEPER)
CIRCLE = [seat(1, Role.KEEPER), seat(2), seat(3, Role.KEEPER), seat(4), seat(5), seat(6, Role.WITNESS)]


def start(seating: Sequence[Seat] = CIRCLE, *, kind: RoundKind = RoundKind.SEQUENTIAL, pass_back: bool = False):
    counter = itertools.count(1000)
    return TalkingPiece.start(
        round_id=UUID(int=9),
        seating=seating,
        now=T0,
        turn_seconds=None,
        time_limit=TimeLimit.HARD,
        pass_back=pass_back,
        starts_with=pid(1) if kind is RoundKind.SEQUENTIAL else None,
        kind=kind,
        new_id=lambda: UUID(int=next(counter)),
    )


def holder(piece: TalkingPiece) -> int | None:
    turn = piece.round.open_turn
    return turn.participant_id.int if turn else None


def open_id(piece: TalkingPiece) -> UUID:
    turn = piece.round.open_turn
    assert turn is not None
    return turn.id


def finish(piece: TalkingPiece, outcome: Outcome = Outcome.SPOKE) -> int:
    turn = piece.round.open_turn
    assert turn is not None
    piece.finish(turn.id, outcome, APP, T0)
    return turn.participant_id.int


def run_out(piece: TalkingPiece) -> list[int]:
    order = []
    while piece.round.open_turn is not None:
        order.append(finish(piece))
    return order


def test_giving_the_piece_counts_as_their_turn_and_the_round_goes_on_from_where_it_was() -> None:
    piece = start()
    finish(piece)  # 1 spoke; 2 holds
    piece.give(pid(5), open_id(piece), CO_KEEPER, T0)
    assert holder(piece) == 5 and piece.round.open_turn.how is HowGiven.GIVEN
    assert piece.round.turns[-2].outcome is Outcome.SKIPPED, "the holder's turn ends skipped"
    assert run_out(piece) == [5, 3, 4], "after 5, the round goes on from 2's seat; 5 is not owed again"
    assert piece.round.end_reason is EndReason.COMPLETED


def test_speaking_out_of_turn_gives_the_piece_back_to_the_one_interrupted() -> None:
    piece = start()
    finish(piece)  # 1 spoke; 2 holds
    piece.speak_out_of_turn(open_id(piece), CO_KEEPER, T0)
    interrupted, keeper = piece.round.turns[-2:]
    assert interrupted.outcome is Outcome.INTERRUPTED and keeper.how is HowGiven.OUT_OF_TURN
    assert holder(piece) == 3
    assert run_out(piece) == [3, 2, 3, 4, 5], "2 has the piece again; 3 still has their own turn in order"
    assert piece.round.end_reason is EndReason.COMPLETED


def test_who_may_use_the_keepers_hand_and_what_a_refusal_leaves_unchanged() -> None:
    piece = start()
    turn_id = open_id(piece)
    member = Actor(participant_id=pid(2), role=Role.MEMBER)
    refuses(piece, lambda: piece.give(pid(2), turn_id, member, T0), errors.KeeperOnly)
    refuses(piece, lambda: piece.give(pid(6), turn_id, KEEPER, T0), errors.CannotHold)
    refuses(piece, lambda: piece.give(pid(99), turn_id, KEEPER, T0), errors.CannotHold)
    refuses(piece, lambda: piece.give(pid(1), turn_id, APP, T0), errors.AlreadyHolds)
    refuses(piece, lambda: piece.give(pid(2), None, APP, T0), errors.TurnNotOpen)
    refuses(piece, lambda: piece.speak_out_of_turn(turn_id, APP, T0), errors.KeepersSpeakForThemselves)
    refuses(piece, lambda: piece.speak_out_of_turn(turn_id, member, T0), errors.KeeperOnly)
    refuses(piece, lambda: piece.speak_out_of_turn(turn_id, KEEPER, T0), errors.AlreadyHolds)
    piece.give(pid(2), turn_id, APP, T0)
    refuses(piece, lambda: piece.give(pid(4), turn_id, APP, T0), errors.TurnNotOpen)  # stale: retried
    refuses(piece, lambda: piece.speak_out_of_turn(turn_id, KEEPER, T0), errors.TurnNotOpen)
    piece.pause(KEEPER, T0)
    refuses(piece, lambda: piece.give(pid(4), open_id(piece), APP, T0), errors.RoundIsPaused)
    piece.end(KEEPER, T0)
    refuses(piece, lambda: piece.give(pid(4), None, APP, T0), errors.RoundHasEnded)


def test_in_an_open_round_giving_takes_the_hand_down_and_out_of_turn_is_raising_a_hand() -> None:
    piece = start(kind=RoundKind.OPEN)
    piece.give(pid(4), None, KEEPER, T0)  # the piece was free
    piece.raise_hand(Actor(participant_id=pid(2), role=Role.MEMBER), T0)
    piece.raise_hand(Actor(participant_id=pid(5), role=Role.MEMBER), T0)
    piece.give(pid(5), open_id(piece), KEEPER, T0)
    assert holder(piece) == 5 and [h.participant_id for h in piece.round.hands] == [pid(2)]
    assert piece.events[-2].reason is LowerReason.GIVEN_PIECE
    refuses(piece, lambda: piece.speak_out_of_turn(open_id(piece), KEEPER, T0), errors.NotASequentialRound)


def test_what_is_left_of_the_round_follows_seats_reordered_mid_round() -> None:
    piece = start()
    finish(piece)  # 1 spoke; 2 holds; 3, 4, 5 are owed
    # New order around the circle: 1, 2, 5, 4, 3 (seat numbers kept, people moved).
    piece.seating_changed([seat(1, Role.KEEPER), seat(2), seat(5, at=3), seat(4), seat(3, Role.KEEPER, at=5)], T0)
    assert piece.up_next() == [pid(5), pid(4), pid(3)]
    assert run_out(piece) == [2, 5, 4, 3]


def test_the_holder_moving_seat_takes_the_rest_of_the_round_from_their_new_seat() -> None:
    piece = start()
    finish(piece)  # 2 holds
    piece.seating_changed([seat(1, Role.KEEPER), seat(2, at=4), seat(3, Role.KEEPER), seat(4, at=2), seat(5)], T0)
    assert piece.up_next() == [pid(5), pid(4), pid(3)]


def test_a_pass_back_round_after_an_interruption_offers_the_piece_once_more_only_to_real_passes() -> None:
    piece = start(pass_back=True)
    finish(piece)
    piece.speak_out_of_turn(open_id(piece), KEEPER, T0)
    finish(piece, Outcome.PASSED)  # the keeper's word out of turn, ended passed, counts for nothing
    order = []
    while piece.round.open_turn is not None:
        order.append(finish(piece, Outcome.PASSED if holder(piece) == 4 else Outcome.SPOKE))
    assert order == [2, 3, 4, 5, 4]
