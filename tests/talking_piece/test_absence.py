"""Absence rounds: whoever is offline when the piece reaches them is passed over, keeping their seat; a
holder who drops has a grace period to come back before the piece moves on."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import timedelta
from uuid import UUID

import pytest

from circles.talking_piece import errors, events
from circles.talking_piece.engine import TalkingPiece
from circles.talking_piece.model import Actor, EndReason, HowGiven, Outcome, Role, RoundKind, Seat, TimeLimit
from tests.talking_piece.seating import APP, T0, pid, seat

GRACE = timedelta(seconds=30)


def start(
    seating: Sequence[Seat],
    kind: RoundKind = RoundKind.SEQUENTIAL,
    *,
    absence: bool = True,
    time_limit: TimeLimit = TimeLimit.HARD,
    turn_seconds: int | None = 60,
) -> TalkingPiece:
    counter = itertools.count(1000)
    return TalkingPiece.start(
        round_id=UUID(int=9),
        seating=seating,
        now=T0,
        turn_seconds=turn_seconds,
        time_limit=time_limit,
        pass_back=False,
        starts_with=None,
        kind=kind,
        absence=absence,
        new_id=lambda: UUID(int=next(counter)),
    )


def holders(piece: TalkingPiece) -> list[tuple[int, Outcome | None]]:
    return [(t.participant_id.int, t.outcome) for t in piece.round.turns]


def test_whoever_is_offline_when_the_piece_reaches_them_is_passed_over_and_keeps_their_seat() -> None:
    seating = [seat(1, Role.KEEPER), seat(2, online=False), seat(3)]
    piece = start(seating)
    piece.finish(piece.round.open_turn.id, Outcome.SPOKE, APP, T0 + timedelta(seconds=5))
    assert holders(piece) == [(1, Outcome.SPOKE), (2, Outcome.ABSENT), (3, None)]
    absent = piece.round.turns[1]
    assert absent.started_at == absent.ended_at == T0 + timedelta(seconds=5)
    assert absent.deadline is None and absent.how is HowGiven.IN_TURN
    assert piece.seat_of(pid(2)) == seating[1], "they keep their seat"
    assert [type(e) for e in piece.events[-3:]] == [events.TurnStarted, events.TurnEnded, events.TurnStarted]
    piece.finish(piece.round.open_turn.id, Outcome.SPOKE, APP, T0)
    assert piece.round.end_reason is EndReason.COMPLETED, "the absent turn counts as theirs"


def test_without_the_option_no_one_is_passed_over_for_being_offline() -> None:
    piece = start([seat(1, online=False), seat(2, online=False)], absence=False)
    assert holders(piece) == [(1, None)]
    piece.presence_changed([seat(1, online=False), seat(2, online=False)], T0, GRACE)
    assert piece.round.open_turn.away_until is None
    assert piece.expire(piece.round.open_turn.id, T0 + timedelta(hours=1)) is None
    assert holders(piece) == [(1, Outcome.TIMED_OUT), (2, None)]


def test_a_round_where_everyone_is_offline_completes_at_once() -> None:
    piece = start([seat(1, online=False), seat(2, online=False)])
    assert holders(piece) == [(1, Outcome.ABSENT), (2, Outcome.ABSENT)]
    assert piece.round.end_reason is EndReason.COMPLETED


def test_an_open_round_passes_over_an_offline_hand_for_the_next_in_line() -> None:
    piece = start([seat(1), seat(2), seat(3)], RoundKind.OPEN)
    piece.raise_hand(Actor(pid(2), Role.MEMBER), T0)  # the piece was free: it goes to them
    piece.raise_hand(Actor(pid(3), Role.MEMBER), T0)
    piece.raise_hand(Actor(pid(1), Role.MEMBER), T0)
    piece.presence_changed([seat(1), seat(2), seat(3, online=False)], T0, GRACE)
    piece.finish(piece.round.open_turn.id, Outcome.SPOKE, APP, T0)
    assert holders(piece) == [(2, Outcome.SPOKE), (3, Outcome.ABSENT), (1, None)]


def test_the_holder_who_drops_is_marked_away_and_keeps_the_piece_if_back_within_the_grace() -> None:
    piece = start([seat(1), seat(2)])
    turn = piece.round.open_turn
    piece.presence_changed([seat(1, online=False), seat(2)], T0 + timedelta(seconds=10), GRACE)
    assert turn.away_until == T0 + timedelta(seconds=40)
    assert isinstance(piece.events[-1], events.TurnAway)
    assert piece.expire(turn.id, T0 + timedelta(seconds=20)) == turn.away_until, "not yet: look again then"
    piece.presence_changed([seat(1, online=False), seat(2)], T0 + timedelta(seconds=15), GRACE)
    assert turn.away_until == T0 + timedelta(seconds=40), "a second report does not extend the grace"
    piece.presence_changed([seat(1), seat(2)], T0 + timedelta(seconds=25), GRACE)
    assert turn.away_until is None and isinstance(piece.events[-1], events.TurnBack)
    assert piece.expire(turn.id, T0 + timedelta(seconds=40)) == turn.deadline, "the grace timer finds them back"
    assert piece.round.open_turn is turn


def test_a_holder_not_back_within_the_grace_is_moved_on_as_absent() -> None:
    piece = start([seat(1), seat(2)], turn_seconds=None)
    turn = piece.round.open_turn
    piece.presence_changed([seat(1, online=False), seat(2)], T0, GRACE)
    assert piece.expire(turn.id, T0 + GRACE) is None
    assert holders(piece) == [(1, Outcome.ABSENT), (2, None)]
    assert piece.expire(turn.id, T0 + GRACE) is None, "firing again changes nothing"
    assert holders(piece) == [(1, Outcome.ABSENT), (2, None)]


def test_the_grace_and_the_deadline_are_each_handled_when_they_come() -> None:
    piece = start([seat(1), seat(2)], time_limit=TimeLimit.SOFT, turn_seconds=20)
    turn = piece.round.open_turn
    piece.presence_changed([seat(1, online=False), seat(2)], T0 + timedelta(seconds=5), GRACE)
    assert piece.expire(turn.id, T0 + timedelta(seconds=20)) == T0 + timedelta(seconds=35), "overtime, then grace"
    assert turn.overtime_at == T0 + timedelta(seconds=20)
    assert piece.expire(turn.id, T0 + timedelta(seconds=35)) is None
    assert turn.outcome is Outcome.ABSENT


def test_the_grace_does_not_run_while_the_round_is_paused() -> None:
    piece = start([seat(1), seat(2)])
    turn = piece.round.open_turn
    piece.presence_changed([seat(1, online=False), seat(2)], T0, GRACE)
    piece.pause(APP, T0 + timedelta(seconds=10))
    assert piece.expire(turn.id, T0 + timedelta(seconds=100)) is None, "paused: nothing passes"
    piece.resume(APP, T0 + timedelta(seconds=110))
    assert turn.away_until == T0 + GRACE + timedelta(seconds=100)
    assert piece.round.open_turn is turn


def test_giving_the_piece_to_someone_offline_is_refused_and_changes_nothing() -> None:
    piece = start([seat(1, Role.KEEPER), seat(2, online=False)])
    turn = piece.round.open_turn
    before = list(piece.round.turns), len(piece.events)
    with pytest.raises(errors.Offline):
        piece.give(pid(2), turn.id, APP, T0)
    assert (list(piece.round.turns), len(piece.events)) == before and turn.outcome is None


def test_a_keeper_speaking_out_of_turn_is_never_passed_over_and_the_one_interrupted_is_if_gone() -> None:
    piece = start([seat(1, Role.KEEPER, online=False), seat(2), seat(3)])
    assert holders(piece) == [(1, Outcome.ABSENT), (2, None)]
    piece.speak_out_of_turn(piece.round.open_turn.id, Actor(pid(1), Role.KEEPER), T0)
    assert holders(piece)[-1] == (1, None)
    piece.presence_changed([seat(1, Role.KEEPER, online=False), seat(2, online=False), seat(3)], T0, GRACE)
    assert piece.round.open_turn.away_until is not None, "the keeper holding the piece may drop too"
    piece.presence_changed([seat(1, Role.KEEPER), seat(2, online=False), seat(3)], T0, GRACE)
    piece.finish(piece.round.open_turn.id, Outcome.SPOKE, APP, T0)
    assert holders(piece)[-3:] == [(1, Outcome.SPOKE), (2, Outcome.ABSENT), (3, None)]


def test_a_holder_found_online_when_the_grace_ends_is_back_even_if_no_one_said_so() -> None:
    piece = start([seat(1), seat(2)], turn_seconds=None)
    turn = piece.round.open_turn
    piece.presence_changed([seat(1, online=False), seat(2)], T0, GRACE)
    piece.seating = (seat(1), seat(2))  # as the service loads it when the timer fires: online again
    assert piece.expire(turn.id, T0 + GRACE) is None
    assert piece.round.open_turn is turn and turn.away_until is None
    assert isinstance(piece.events[-1], events.TurnBack)
