"""Agreements: someone who has not accepted the circle's agreements is passed over, keeping their seat."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from uuid import UUID

import pytest

from circles.talking_piece import errors
from circles.talking_piece.engine import TalkingPiece
from circles.talking_piece.model import Actor, EndReason, Outcome, Role, RoundKind, Seat, TimeLimit
from tests.talking_piece.seating import APP, T0, pid, seat


def start(seating: Sequence[Seat], kind: RoundKind = RoundKind.SEQUENTIAL, *, pass_back: bool = False):
    counter = itertools.count(1000)
    return TalkingPiece.start(
        round_id=UUID(int=9),
        seating=seating,
        now=T0,
        turn_seconds=60,
        time_limit=TimeLimit.HARD,
        pass_back=pass_back,
        starts_with=None,
        kind=kind,
        new_id=lambda: UUID(int=next(counter)),
    )


def test_the_piece_passes_over_whoever_has_not_accepted_and_records_it() -> None:
    piece = start([seat(1, Role.KEEPER), seat(2, agreed=False), seat(3)], pass_back=True)
    finish = [(t.participant_id.int, t.outcome) for t in piece.round.turns]
    assert finish == [(1, None)]
    piece.finish(piece.round.open_turn.id, Outcome.PASSED, APP, T0)
    passed_over = piece.round.turns[1]
    assert (passed_over.participant_id, passed_over.outcome) == (pid(2), Outcome.NOT_AGREED)
    assert passed_over.started_at == passed_over.ended_at and passed_over.deadline is None
    assert piece.round.open_turn.participant_id == pid(3), "the piece moves straight on"
    piece.finish(piece.round.open_turn.id, Outcome.SPOKE, APP, T0)
    assert piece.round.open_turn.participant_id == pid(1), "pass-back offers again only real passes"
    piece.finish(piece.round.open_turn.id, Outcome.SPOKE, APP, T0)
    assert piece.round.end_reason is EndReason.COMPLETED


def test_accepting_mid_round_comes_in_time_for_their_turn_and_a_holder_keeps_the_piece_if_they_change() -> None:
    piece = start([seat(1, Role.KEEPER), seat(2, agreed=False), seat(3)])
    piece.seating_changed([seat(1, Role.KEEPER, agreed=False), seat(2), seat(3)], T0)
    assert piece.round.open_turn.participant_id == pid(1), "the agreements changed; the holder keeps the piece"
    piece.finish(piece.round.open_turn.id, Outcome.SPOKE, APP, T0)
    assert piece.round.open_turn.participant_id == pid(2) and piece.round.open_turn.outcome is None


def test_no_hand_no_gift_and_no_word_out_of_turn_before_accepting() -> None:
    open_round = start([seat(1, Role.KEEPER), seat(2, agreed=False), seat(3)], RoundKind.OPEN)
    with pytest.raises(errors.AgreementsNotAccepted):
        open_round.raise_hand(Actor(participant_id=pid(2), role=Role.MEMBER), T0)
    with pytest.raises(errors.AgreementsNotAccepted):
        open_round.give(pid(2), None, APP, T0)
    assert open_round.round.turns == [] and open_round.round.hands == []

    sequential = start([seat(1, Role.KEEPER), seat(2), seat(3, Role.KEEPER, agreed=False)])
    keeper = Actor(participant_id=pid(3), role=Role.KEEPER)
    with pytest.raises(errors.AgreementsNotAccepted):
        sequential.speak_out_of_turn(sequential.round.open_turn.id, keeper, T0)


def test_a_raised_hand_whose_owner_must_accept_again_is_passed_over_in_the_line() -> None:
    piece = start([seat(1, Role.KEEPER), seat(2), seat(3)], RoundKind.OPEN)
    piece.give(pid(1), None, APP, T0)
    piece.raise_hand(Actor(participant_id=pid(2), role=Role.MEMBER), T0)
    piece.raise_hand(Actor(participant_id=pid(3), role=Role.MEMBER), T0)
    piece.seating_changed([seat(1, Role.KEEPER), seat(2, agreed=False), seat(3)], T0)
    piece.finish(piece.round.open_turn.id, Outcome.SPOKE, APP, T0)
    assert [(t.participant_id.int, t.outcome) for t in piece.round.turns[1:]] == [(2, Outcome.NOT_AGREED), (3, None)]
