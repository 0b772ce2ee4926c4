"""The turn engine, rule by rule (SPEC.md "Rules of the talking piece")."""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from circles.talking_piece import errors, events
from circles.talking_piece.engine import TalkingPiece
from circles.talking_piece.model import (
    Actor,
    EndReason,
    Lap,
    Outcome,
    Role,
    RoundKind,
    RoundStatus,
    Seat,
    TimeLimit,
    Turn,
)

T0 = datetime(2025, 3, 1, 18, 0, tzinfo=UTC)
APP = Actor.app()
KEEPER = Role.KEEPER
MEMBER = Role.MEMBER
WITNESS = Role.WITNESS


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def pid(n: int) -> UUID:
    """Participant n; in these tests participant n sits in seat n unless a test says otherwise."""
    return UUID(int=n)


def seat(n: int, role: Role = MEMBER, *, who: int | None = None) -> Seat:
    return Seat(participant_id=pid(n if who is None else who), seat=n, role=role)


def members(*seats: int) -> list[Seat]:
    return [seat(n) for n in seats]


def as_actor(s: Seat) -> Actor:
    return Actor(participant_id=s.participant_id, role=s.role)


def member_actor(n: int) -> Actor:
    return Actor(participant_id=pid(n), role=MEMBER)


def turn_ids() -> Callable[[], UUID]:
    counter = itertools.count(1000)
    return lambda: UUID(int=next(counter))


def start(
    seating: Sequence[Seat],
    *,
    starts_with: int | None = None,
    pass_back: bool = False,
    turn_seconds: int | None = None,
    time_limit: TimeLimit = TimeLimit.HARD,
    now: datetime = T0,
) -> TalkingPiece:
    return TalkingPiece.start(
        round_id=UUID(int=1),
        seating=seating,
        now=now,
        turn_seconds=turn_seconds,
        time_limit=time_limit,
        pass_back=pass_back,
        starts_with=None if starts_with is None else pid(starts_with),
        new_id=turn_ids(),
    )


def open_turn(piece: TalkingPiece) -> Turn:
    turn = piece.round.open_turn
    assert turn is not None
    return turn


def holder(piece: TalkingPiece) -> UUID:
    return open_turn(piece).participant_id


def finish(piece: TalkingPiece, outcome: Outcome = Outcome.SPOKE, now: datetime = T0) -> UUID:
    """The holder ends their own turn; returns who held it."""
    turn = open_turn(piece)
    piece.finish(turn.id, outcome, Actor(participant_id=turn.participant_id, role=MEMBER), now)
    return turn.participant_id


def go_around(piece: TalkingPiece, outcomes: dict[int, Outcome] | None = None) -> list[UUID]:
    """Each holder finishes in turn (with outcomes[n] the first time participant n holds) until the end."""
    outcomes = dict(outcomes or {})
    while piece.round.status is RoundStatus.ACTIVE:
        who = holder(piece)
        finish(piece, outcomes.pop(who.int, Outcome.SPOKE))
    return held(piece)


def held(piece: TalkingPiece) -> list[UUID]:
    return [turn.participant_id for turn in piece.round.turns]


def pids(*ns: int) -> list[UUID]:
    return [pid(n) for n in ns]


def event_types(piece: TalkingPiece) -> list[type]:
    return [type(e) for e in piece.events]


def assert_refused_without_change(piece: TalkingPiece, error: type[Exception], command: Callable[[], object]):
    before = copy.deepcopy(piece.round)
    recorded = list(piece.events)
    with pytest.raises(error):
        command()
    assert piece.round == before
    assert piece.events == recorded


# -- starting ----------------------------------------------------------------------------------------


def test_start_begins_the_round_and_its_first_turn_at_once():
    piece = start(members(1, 2, 3), starts_with=2, turn_seconds=60)

    r = piece.round
    assert (r.kind, r.status, r.phase) == (RoundKind.SEQUENTIAL, RoundStatus.ACTIVE, Lap.FIRST)
    assert (r.starts_with, r.origin_seat, r.cursor_seat) == (pid(2), 2, 2)
    assert r.started_at == T0
    assert event_types(piece) == [events.RoundStarted, events.TurnStarted]
    turn = open_turn(piece)
    assert turn.participant_id == pid(2)
    assert (turn.started_at, turn.deadline) == (T0, at(60))
    assert piece.events[1] == events.TurnStarted(round_id=r.id, turn=turn)


def test_no_turn_seconds_means_no_deadline():
    piece = start(members(1, 2), turn_seconds=None)
    assert open_turn(piece).deadline is None


def test_default_starts_with_is_the_lowest_seated_keeper():
    piece = start([seat(1), seat(4, KEEPER), seat(6, KEEPER), seat(0, WITNESS)])
    assert piece.round.starts_with == pid(4)
    assert go_around(piece) == pids(4, 6, 1)


def test_default_starts_with_without_keeper_is_the_lowest_seated_member():
    piece = start([seat(0, WITNESS), seat(5), seat(3), seat(9)])
    assert piece.round.starts_with == pid(3)
    assert go_around(piece) == pids(3, 5, 9)


def test_no_one_to_hold():
    with pytest.raises(errors.NoOneToHold):
        start([])
    with pytest.raises(errors.NoOneToHold):
        start([seat(1, WITNESS), seat(2, WITNESS)])


@pytest.mark.parametrize("starts_with", [7, 2], ids=["not seated", "witness"])
def test_starts_with_must_be_a_seated_member_or_keeper(starts_with):
    with pytest.raises(errors.StartsWithCannotHold):
        start([seat(1), seat(2, WITNESS), seat(3)], starts_with=starts_with)


# -- rule 2: around the circle ------------------------------------------------------------------------


def test_seat_order_from_starts_with_wrapping_around():
    piece = start(members(1, 2, 3, 4, 5), starts_with=3)
    assert go_around(piece) == pids(3, 4, 5, 1, 2)


def test_seat_order_with_sparse_and_negative_seat_numbers():
    seating = [seat(40), seat(-3, who=3), seat(10), seat(35), seat(20)]
    piece = start(seating, starts_with=35)
    assert go_around(piece) == pids(35, 40, 3, 10, 20)


def test_keepers_hold_and_witnesses_are_never_given_the_piece():
    seating = [seat(1), seat(2, WITNESS), seat(3, KEEPER), seat(4, WITNESS), seat(5)]
    piece = start(seating, starts_with=1)
    assert go_around(piece) == pids(1, 3, 5)


def test_round_ends_by_itself_when_everyone_had_a_turn():
    piece = start(members(1, 2), starts_with=1)
    finish(piece, now=at(10))
    finish(piece, now=at(20))

    r = piece.round
    assert (r.status, r.end_reason, r.ended_at) == (RoundStatus.ENDED, EndReason.COMPLETED, at(20))
    assert r.open_turn is None
    assert event_types(piece) == [
        events.RoundStarted,
        events.TurnStarted,
        events.TurnEnded,
        events.TurnStarted,
        events.TurnEnded,
        events.RoundEnded,
    ]
    assert piece.events[-1] == events.RoundEnded(round_id=r.id, ended_at=at(20), reason=EndReason.COMPLETED)


def test_a_round_of_one():
    piece = start([seat(1, KEEPER), seat(2, WITNESS)])
    assert go_around(piece) == pids(1)
    assert piece.round.end_reason is EndReason.COMPLETED


def test_turns_follow_one_another_without_overlap():
    piece = start(members(1, 2, 3))
    finish(piece, now=at(5))
    finish(piece, now=at(9))
    first, second, third = piece.round.turns
    assert (first.ended_at, second.started_at) == (at(5), at(5))
    assert (second.ended_at, third.started_at) == (at(9), at(9))


# -- pass back ---------------------------------------------------------------------------------------


def test_without_pass_back_those_who_passed_are_not_offered_again():
    piece = start(members(1, 2, 3), starts_with=2)
    assert go_around(piece, {3: Outcome.PASSED, 1: Outcome.PASSED}) == pids(2, 3, 1)
    assert piece.round.phase is Lap.FIRST


def test_pass_back_offers_those_who_passed_once_more_in_the_same_order():
    piece = start(members(1, 2, 3, 4, 5), starts_with=3, pass_back=True)
    for n in (3, 4, 5, 1, 2):
        assert holder(piece) == pid(n)
        finish(piece, Outcome.PASSED if n in (1, 4) else Outcome.SPOKE)

    assert piece.round.phase is Lap.PASS_BACK
    assert piece.round.cursor_seat == 4  # origin_seat - 1, then 4 took the piece
    assert holder(piece) == pid(4)  # from the start again: 4 before 1
    finish(piece, Outcome.PASSED)
    assert holder(piece) == pid(1)
    finish(piece, Outcome.PASSED)  # passing again: no third offer

    assert piece.round.end_reason is EndReason.COMPLETED
    assert held(piece) == pids(3, 4, 5, 1, 2, 4, 1)


def test_pass_back_starts_again_from_starts_with_even_after_a_late_joiner():
    piece = start(members(10, 20, 30, 40), starts_with=10, pass_back=True)
    finish(piece)  # 10
    finish(piece, Outcome.PASSED)  # 20
    finish(piece)  # 30
    piece.seating_changed(members(10, 20, 25, 30, 40), T0)  # 25 sits behind the piece
    finish(piece, Outcome.PASSED)  # 40
    assert holder(piece) == pid(25)
    finish(piece)  # the last first turn ends at seat 25 ...
    assert piece.round.phase is Lap.PASS_BACK
    assert go_around(piece) == pids(10, 20, 30, 40, 25, 20, 40)  # ... yet the offers go from seat 10


def test_pass_back_with_nobody_passing_ends_after_one_round():
    piece = start(members(1, 2, 3), pass_back=True)
    assert go_around(piece) == pids(1, 2, 3)
    assert piece.round.end_reason is EndReason.COMPLETED


def test_pass_back_offers_only_to_those_who_passed_not_skipped_or_timed_out():
    piece = start([seat(1, KEEPER), seat(2), seat(3), seat(4)], pass_back=True)
    keeper = as_actor(seat(1, KEEPER))
    finish(piece, Outcome.PASSED)  # 1
    piece.skip(open_turn(piece).id, keeper, T0)  # 2
    finish(piece, Outcome.PASSED)  # 3
    finish(piece, Outcome.SPOKE)  # 4
    assert held(piece)[-2:] == pids(4, 1)
    finish(piece, Outcome.SPOKE)
    assert holder(piece) == pid(3)
    finish(piece, Outcome.SPOKE)
    assert held(piece) == pids(1, 2, 3, 4, 1, 3)
    assert piece.round.status is RoundStatus.ENDED


# -- rule 1 and 4: who may end a turn ----------------------------------------------------------------


def test_the_holder_finishes_their_own_turn():
    piece = start(members(1, 2))
    turn = open_turn(piece)
    piece.finish(turn.id, Outcome.SPOKE, member_actor(1), at(30))

    ended = piece.round.turns[0]
    assert (ended.outcome, ended.ended_at) == (Outcome.SPOKE, at(30))
    assert piece.events[2] == events.TurnEnded(round_id=piece.round.id, turn=ended)
    assert holder(piece) == pid(2)


@pytest.mark.parametrize("actor", [APP, Actor(participant_id=pid(3), role=KEEPER)], ids=["app", "keeper"])
def test_a_keeper_or_the_app_may_finish_the_holders_turn(actor):
    piece = start([seat(1), seat(2), seat(3, KEEPER)], starts_with=1)
    piece.finish(open_turn(piece).id, Outcome.PASSED, actor, T0)
    assert piece.round.turns[0].outcome is Outcome.PASSED
    assert holder(piece) == pid(2)


@pytest.mark.parametrize(
    "actor", [member_actor(2), Actor(participant_id=pid(3), role=WITNESS)], ids=["member", "witness"]
)
def test_no_one_else_may_finish_the_holders_turn(actor):
    piece = start([seat(1), seat(2), seat(3, WITNESS)], starts_with=1)
    turn_id = open_turn(piece).id
    assert_refused_without_change(piece, errors.NotYourTurn, lambda: piece.finish(turn_id, Outcome.SPOKE, actor, T0))


@pytest.mark.parametrize("outcome", [Outcome.SKIPPED, Outcome.TIMED_OUT, Outcome.LEFT])
def test_a_turn_is_finished_only_as_spoke_or_passed(outcome):
    piece = start(members(1, 2))
    turn_id = open_turn(piece).id
    assert_refused_without_change(piece, errors.OutcomeNotAllowed, lambda: piece.finish(turn_id, outcome, APP, T0))


@pytest.mark.parametrize("actor", [APP, Actor(participant_id=pid(9), role=KEEPER)], ids=["app", "keeper"])
def test_a_keeper_or_the_app_may_skip_the_holder(actor):
    piece = start(members(1, 2))
    piece.skip(open_turn(piece).id, actor, at(3))
    assert (piece.round.turns[0].outcome, piece.round.turns[0].ended_at) == (Outcome.SKIPPED, at(3))
    assert holder(piece) == pid(2)


@pytest.mark.parametrize("who", [1, 2], ids=["the holder", "another member"])
def test_members_may_not_skip(who):
    piece = start(members(1, 2))
    turn_id = open_turn(piece).id
    assert_refused_without_change(piece, errors.KeeperOnly, lambda: piece.skip(turn_id, member_actor(who), T0))


# -- rule 6: a command names its turn ----------------------------------------------------------------


def test_finishing_the_same_turn_twice_ends_only_one_turn():
    piece = start(members(1, 2, 3))
    turn_id = open_turn(piece).id
    piece.finish(turn_id, Outcome.SPOKE, APP, T0)  # the first keeper's "next"
    assert_refused_without_change(piece, errors.TurnNotOpen, lambda: piece.finish(turn_id, Outcome.SPOKE, APP, T0))
    assert holder(piece) == pid(2)


@pytest.mark.parametrize("command", ["finish by holder", "finish by app", "skip"])
def test_a_command_on_a_stale_turn_changes_nothing(command):
    piece = start(members(1, 2, 3))
    stale = open_turn(piece).id
    finish(piece)
    run = {
        "finish by holder": lambda: piece.finish(stale, Outcome.PASSED, member_actor(1), T0),
        "finish by app": lambda: piece.finish(stale, Outcome.SPOKE, APP, T0),
        "skip": lambda: piece.skip(stale, APP, T0),
    }[command]
    assert_refused_without_change(piece, errors.TurnNotOpen, run)


def test_an_unknown_turn_is_not_open():
    piece = start(members(1, 2))
    unknown = UUID(int=424242)
    assert_refused_without_change(
        piece, errors.TurnNotOpen, lambda: piece.finish(unknown, Outcome.SPOKE, member_actor(1), T0)
    )
    assert_refused_without_change(piece, errors.TurnNotOpen, lambda: piece.skip(unknown, APP, T0))


def test_refusals_are_checked_in_order():
    piece = start(members(1, 2, 3))
    first = open_turn(piece).id
    finish(piece)
    # someone else's stale turn: not yours, before it is not open
    assert_refused_without_change(
        piece, errors.NotYourTurn, lambda: piece.finish(first, Outcome.SPOKE, member_actor(2), T0)
    )
    second = open_turn(piece).id
    piece.pause(APP, T0)
    # while paused, a stale turn is still not open, and the open one is paused
    assert_refused_without_change(
        piece, errors.TurnNotOpen, lambda: piece.finish(first, Outcome.SPOKE, member_actor(1), T0)
    )
    assert_refused_without_change(
        piece, errors.RoundIsPaused, lambda: piece.finish(second, Outcome.SPOKE, member_actor(2), T0)
    )
    piece.end(APP, T0)
    # after the end no turn is open: a retry sees the same refusal as any stale turn
    assert_refused_without_change(
        piece, errors.TurnNotOpen, lambda: piece.finish(second, Outcome.SPOKE, member_actor(2), T0)
    )
    assert_refused_without_change(piece, errors.TurnNotOpen, lambda: piece.skip(first, APP, T0))


# -- pause and resume --------------------------------------------------------------------------------


def test_pause_and_resume_move_the_deadline_by_the_paused_time():
    piece = start(members(1, 2), turn_seconds=60)
    piece.pause(APP, at(10))
    assert (piece.round.status, piece.round.paused_at) == (RoundStatus.PAUSED, at(10))
    assert piece.events[-1] == events.RoundPaused(round_id=piece.round.id, paused_at=at(10))

    piece.resume(APP, at(100))

    turn = open_turn(piece)
    assert (piece.round.status, piece.round.paused_at) == (RoundStatus.ACTIVE, None)
    assert turn.deadline == at(150)
    assert piece.events[-1] == events.RoundResumed(round_id=piece.round.id, resumed_at=at(100), turn=turn)
    assert piece.events[-1].turn is not turn


def test_a_turn_without_deadline_is_resumed_without_one():
    piece = start(members(1, 2))
    piece.pause(APP, at(1))
    piece.resume(APP, at(5))
    assert open_turn(piece).deadline is None


def test_finish_and_skip_while_paused_are_refused():
    piece = start(members(1, 2))
    turn_id = open_turn(piece).id
    piece.pause(Actor(participant_id=pid(9), role=KEEPER), T0)
    assert_refused_without_change(
        piece, errors.RoundIsPaused, lambda: piece.finish(turn_id, Outcome.SPOKE, member_actor(1), T0)
    )
    assert_refused_without_change(piece, errors.RoundIsPaused, lambda: piece.skip(turn_id, APP, T0))


def test_pause_and_resume_refusals():
    piece = start(members(1, 2))
    assert_refused_without_change(piece, errors.KeeperOnly, lambda: piece.pause(member_actor(1), T0))
    assert_refused_without_change(piece, errors.RoundNotPaused, lambda: piece.resume(APP, T0))
    piece.pause(APP, T0)
    assert_refused_without_change(piece, errors.RoundIsPaused, lambda: piece.pause(APP, T0))
    assert_refused_without_change(piece, errors.KeeperOnly, lambda: piece.resume(member_actor(1), T0))
    piece.end(APP, T0)
    assert_refused_without_change(piece, errors.RoundHasEnded, lambda: piece.pause(APP, T0))
    assert_refused_without_change(piece, errors.RoundHasEnded, lambda: piece.resume(APP, T0))


# -- rule 3: joining and leaving ---------------------------------------------------------------------


def test_the_holder_leaving_ends_their_turn_left_and_the_piece_moves_on():
    piece = start(members(1, 2, 3))
    piece.seating_changed(members(2, 3), at(7))
    first = piece.round.turns[0]
    assert (first.outcome, first.ended_at) == (Outcome.LEFT, at(7))
    assert holder(piece) == pid(2)
    assert event_types(piece)[-2:] == [events.TurnEnded, events.TurnStarted]


def test_the_holder_leaving_during_a_pause_gets_the_next_turn_started_on_resume():
    piece = start(members(1, 2, 3), turn_seconds=60)
    piece.pause(APP, at(5))
    piece.seating_changed(members(2, 3), at(10))

    assert piece.round.turns[0].outcome is Outcome.LEFT
    assert piece.round.open_turn is None
    assert piece.round.status is RoundStatus.PAUSED

    piece.resume(APP, at(20))
    assert event_types(piece)[-2:] == [events.RoundResumed, events.TurnStarted]
    assert piece.events[-2].turn is None
    turn = open_turn(piece)
    assert (turn.participant_id, turn.started_at, turn.deadline) == (pid(2), at(20), at(80))


def test_everyone_leaving_ends_the_round():
    piece = start(members(1, 2))
    piece.seating_changed([seat(3, WITNESS)], at(4))
    assert piece.round.turns[0].outcome is Outcome.LEFT
    assert (piece.round.status, piece.round.end_reason) == (RoundStatus.ENDED, EndReason.COMPLETED)


def test_everyone_leaving_during_a_pause_ends_the_round_on_resume():
    piece = start(members(1, 2))
    piece.pause(APP, T0)
    piece.seating_changed([], at(1))
    assert piece.round.status is RoundStatus.PAUSED
    piece.resume(APP, at(2))
    assert (piece.round.status, piece.round.end_reason) == (RoundStatus.ENDED, EndReason.COMPLETED)


def test_a_joiner_ahead_of_the_piece_gets_a_turn_in_seat_order():
    piece = start(members(1, 3, 5), starts_with=1)
    piece.seating_changed(members(1, 3, 4, 5), T0)
    assert go_around(piece) == pids(1, 3, 4, 5)


def test_a_joiner_seated_behind_the_piece_gets_a_turn_before_the_round_ends():
    piece = start(members(1, 2, 3, 4), starts_with=2)
    finish(piece)  # 2
    finish(piece)  # 3
    piece.seating_changed(members(0, 1, 2, 3, 4), T0)  # 0 sits where the piece already was
    assert go_around(piece) == pids(2, 3, 4, 0, 1)


def test_a_joiner_during_pass_back_gets_a_first_turn():
    piece = start(members(1, 2, 3), pass_back=True)
    finish(piece, Outcome.PASSED)  # 1
    finish(piece)  # 2
    finish(piece)  # 3
    assert (piece.round.phase, holder(piece)) == (Lap.PASS_BACK, pid(1))
    piece.seating_changed(members(1, 2, 3, 4), T0)
    finish(piece)  # 1 again
    assert holder(piece) == pid(4)
    finish(piece, Outcome.PASSED)
    assert holder(piece) == pid(4)  # passed on a first turn: offered once more too
    finish(piece, Outcome.PASSED)
    assert held(piece) == pids(1, 2, 3, 1, 4, 4)
    assert piece.round.end_reason is EndReason.COMPLETED


def test_a_leaver_not_yet_served_is_taken_out_of_what_remains():
    piece = start(members(1, 2, 3, 4))
    piece.seating_changed(members(1, 2, 4), T0)
    assert piece.up_next() == pids(2, 4)
    assert go_around(piece) == pids(1, 2, 4)


def test_a_member_who_becomes_a_witness_is_no_longer_owed():
    piece = start(members(1, 2, 3))
    piece.seating_changed([seat(1), seat(2, WITNESS), seat(3)], T0)
    assert go_around(piece) == pids(1, 3)


def test_a_holder_who_becomes_a_witness_is_skipped():
    piece = start(members(1, 2, 3))
    piece.seating_changed([seat(1, WITNESS), seat(2), seat(3)], at(2))
    assert (piece.round.turns[0].outcome, piece.round.turns[0].ended_at) == (Outcome.SKIPPED, at(2))
    assert holder(piece) == pid(2)


def test_a_witness_who_becomes_a_member_is_owed_a_turn():
    piece = start([seat(1), seat(2, WITNESS), seat(3)])
    piece.seating_changed(members(1, 2, 3), T0)
    assert go_around(piece) == pids(1, 2, 3)


def test_the_holder_moving_seat_keeps_the_piece():
    piece = start(members(1, 2, 3))
    turn = copy.deepcopy(open_turn(piece))
    piece.seating_changed([seat(7, who=1), seat(2), seat(3)], T0)
    assert open_turn(piece) == turn
    assert len(piece.events) == 2


def test_seating_changes_after_the_end_change_nothing():
    piece = start(members(1))
    go_around(piece)
    before = copy.deepcopy(piece.round)
    recorded = list(piece.events)
    piece.seating_changed([], at(9))
    assert (piece.round, piece.events) == (before, recorded)


# -- rule 5: time ------------------------------------------------------------------------------------


def test_hard_limit_times_out_and_moves_on():
    piece = start(members(1, 2), turn_seconds=60, time_limit=TimeLimit.HARD)
    turn_id = open_turn(piece).id
    assert piece.expire(turn_id, at(61)) is None
    first = piece.round.turns[0]
    assert (first.outcome, first.ended_at) == (Outcome.TIMED_OUT, at(61))
    turn = open_turn(piece)
    assert (turn.participant_id, turn.deadline) == (pid(2), at(121))


def test_soft_limit_sends_overtime_once_and_the_turn_goes_on():
    piece = start(members(1, 2), turn_seconds=60, time_limit=TimeLimit.SOFT)
    turn_id = open_turn(piece).id
    assert piece.expire(turn_id, at(60)) is None
    assert open_turn(piece).overtime_at == at(60)
    assert piece.events[-1] == events.TurnOvertime(round_id=piece.round.id, turn=open_turn(piece))
    count = len(piece.events)

    assert piece.expire(turn_id, at(90)) is None
    assert len(piece.events) == count
    assert open_turn(piece).overtime_at == at(60)

    finish(piece, now=at(95))
    assert piece.round.turns[0].outcome is Outcome.SPOKE


def test_expire_before_the_deadline_returns_it_and_changes_nothing():
    piece = start(members(1, 2), turn_seconds=60)
    turn_id = open_turn(piece).id
    before = copy.deepcopy(piece.round)
    assert piece.expire(turn_id, at(59)) == at(60)
    assert piece.round == before
    assert len(piece.events) == 2


def test_expire_after_a_pause_uses_the_moved_deadline():
    piece = start(members(1, 2), turn_seconds=60)
    turn_id = open_turn(piece).id
    piece.pause(APP, at(30))
    assert piece.expire(turn_id, at(70)) is None  # paused: nothing
    piece.resume(APP, at(50))
    assert piece.expire(turn_id, at(70)) == at(80)
    assert piece.expire(turn_id, at(80)) is None
    assert piece.round.turns[0].outcome is Outcome.TIMED_OUT


@pytest.mark.parametrize("case", ["stale turn", "unknown turn", "no deadline", "ended round"])
def test_expire_that_does_not_apply_is_a_no_op(case):
    piece = start(members(1, 2, 3), turn_seconds=None if case == "no deadline" else 60)
    turn_id = open_turn(piece).id
    if case == "stale turn":
        finish(piece)
    elif case == "unknown turn":
        turn_id = UUID(int=777)
    elif case == "ended round":
        piece.end(APP, T0)
    before = copy.deepcopy(piece.round)
    recorded = list(piece.events)
    assert piece.expire(turn_id, at(3600)) is None
    assert (piece.round, piece.events) == (before, recorded)


# -- ending ------------------------------------------------------------------------------------------


def test_end_skips_the_open_turn_and_ends_the_round():
    piece = start(members(1, 2))
    piece.end(Actor(participant_id=pid(5), role=KEEPER), at(12))
    assert piece.round.turns[0].outcome is Outcome.SKIPPED
    assert (piece.round.status, piece.round.end_reason, piece.round.ended_at) == (
        RoundStatus.ENDED,
        EndReason.ENDED,
        at(12),
    )
    assert event_types(piece)[-2:] == [events.TurnEnded, events.RoundEnded]
    assert piece.events[-1].reason is EndReason.ENDED


def test_end_while_paused():
    piece = start(members(1, 2))
    piece.pause(APP, T0)
    piece.end(APP, at(3))
    assert (piece.round.status, piece.round.paused_at) == (RoundStatus.ENDED, None)
    assert piece.round.turns[0].outcome is Outcome.SKIPPED


def test_end_refusals():
    piece = start(members(1, 2))
    assert_refused_without_change(piece, errors.KeeperOnly, lambda: piece.end(member_actor(1), T0))
    piece.end(APP, T0)
    assert_refused_without_change(piece, errors.RoundHasEnded, lambda: piece.end(APP, T0))


def test_close_ends_the_round_for_the_circle_closing():
    piece = start(members(1, 2))
    piece.close(at(8))
    assert piece.round.turns[0].outcome is Outcome.SKIPPED
    assert piece.round.end_reason is EndReason.CIRCLE_CLOSED
    assert piece.events[-1] == events.RoundEnded(
        round_id=piece.round.id, ended_at=at(8), reason=EndReason.CIRCLE_CLOSED
    )


def test_close_after_the_end_is_a_no_op():
    piece = start(members(1, 2))
    piece.end(APP, T0)
    before = copy.deepcopy(piece.round)
    recorded = list(piece.events)
    piece.close(at(1))
    assert (piece.round, piece.events) == (before, recorded)


# -- up next and events ------------------------------------------------------------------------------


def test_up_next_lists_who_is_owed_in_the_order_they_will_get_it():
    piece = start(members(1, 2, 3, 4, 5), starts_with=3, pass_back=True)
    assert piece.up_next() == pids(4, 5, 1, 2)
    finish(piece, Outcome.SPOKE)  # 3
    finish(piece, Outcome.PASSED)  # 4
    finish(piece, Outcome.SPOKE)  # 5
    assert piece.up_next() == pids(2, 4)  # the first turns still owed, then the pass-back offers
    finish(piece, Outcome.PASSED)  # 1
    assert piece.up_next() == pids(4, 1)  # 2 holds the piece
    finish(piece, Outcome.SPOKE)  # 2
    assert holder(piece) == pid(4)
    assert piece.up_next() == pids(1)
    finish(piece, Outcome.SPOKE)
    finish(piece, Outcome.SPOKE)
    assert piece.up_next() == []


def test_up_next_without_pass_back_and_with_a_joiner_behind():
    piece = start(members(2, 4, 6), starts_with=4)
    piece.seating_changed(members(1, 2, 4, 6), T0)
    assert piece.up_next() == pids(6, 1, 2)


def test_events_keep_copies_of_turns():
    piece = start(members(1, 2), turn_seconds=60, time_limit=TimeLimit.SOFT)
    started = piece.events[1]
    assert isinstance(started, events.TurnStarted)
    piece.expire(started.turn.id, at(60))
    piece.pause(APP, at(61))
    piece.resume(APP, at(70))
    finish(piece, now=at(80))
    assert started.turn.ended_at is None
    assert started.turn.overtime_at is None
    assert started.turn.deadline == at(60)
    assert piece.events[2].turn.deadline == at(60)  # TurnOvertime, before the pause
    assert piece.events[4].turn.deadline == at(69)  # RoundResumed
    assert piece.round.turns[0].deadline == at(69)


def test_turn_ids_come_from_new_id():
    piece = start(members(1, 2))
    finish(piece)
    assert [t.id for t in piece.round.turns] == [UUID(int=1000), UUID(int=1001)]
