"""Breakouts in the pure engine: who is grouped with whom, and the piece passing inside each group."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from circles.talking_piece.errors import KeeperOnly, NotYourTurn, TurnNotOpen
from circles.talking_piece.groups import (
    Breakout,
    BreakoutEndReason,
    BreakoutEvent,
    BreakoutOutcome,
    BreakoutOver,
    Group,
    Grouping,
    GroupingError,
    form_groups,
    split,
)
from circles.talking_piece.model import Actor, Role, Seat

T0 = datetime(2026, 12, 6, 19, 0, tzinfo=UTC)
APP = Actor.app()

roles = st.sampled_from([Role.MEMBER, Role.MEMBER, Role.MEMBER, Role.KEEPER, Role.WITNESS])
seatings = st.lists(roles, min_size=0, max_size=25).map(
    lambda rs: [Seat(participant_id=UUID(int=n + 1), seat=n, role=r) for n, r in enumerate(rs)]
)


def _ids() -> itertools.count[int]:
    return itertools.count(10_000)


def _new_id(counter: itertools.count[int]) -> UUID:
    return UUID(int=next(counter))


@given(
    seatings,
    st.sampled_from([2, 3]),
    st.sampled_from([Grouping.RANDOM, Grouping.BY_SEAT]),
    st.booleans(),
    st.integers(),
)
def test_every_present_member_is_in_exactly_one_group_and_nobody_is_alone(
    seats: list[Seat], size: int, grouping: Grouping, keepers_float: bool, seed: int
) -> None:
    grouped = [s for s in seats if s.role is Role.MEMBER or (s.role is Role.KEEPER and not keepers_float)]
    if len(grouped) < 2:
        with pytest.raises(GroupingError):
            form_groups(seats, size, grouping, keepers_float=keepers_float, rng=random.Random(seed))
        return
    groups = form_groups(seats, size, grouping, keepers_float=keepers_float, rng=random.Random(seed))
    everyone = [p for g in groups for p in g]
    assert sorted(everyone) == sorted(s.participant_id for s in grouped)  # each once; no witness, no floater
    assert all(2 <= len(g) <= 3 for g in groups)  # nobody alone
    assert all(len(g) == size for g in groups[: len(groups) - 2])  # only the last two absorb the leftover
    if grouping is Grouping.BY_SEAT:
        assert everyone == [s.participant_id for s in grouped]  # neighbours sit together


@given(st.integers(min_value=2, max_value=40), st.sampled_from([2, 3]))
def test_splitting_leaves_no_one_alone(people: int, size: int) -> None:
    groups = split([UUID(int=n) for n in range(people)], size)
    assert sum(len(g) for g in groups) == people
    assert all(2 <= len(g) <= 3 for g in groups)


def test_the_same_seed_makes_the_same_groups() -> None:
    seats = [Seat(participant_id=UUID(int=n + 1), seat=n, role=Role.MEMBER) for n in range(10)]
    first = form_groups(seats, 2, Grouping.RANDOM, keepers_float=False, rng=random.Random(7))
    assert first == form_groups(seats, 2, Grouping.RANDOM, keepers_float=False, rng=random.Random(7))


def test_explicit_groups_must_fit_who_is_present() -> None:
    keeper, a, b, c, witness = (UUID(int=n) for n in range(1, 6))
    seats = [
        Seat(keeper, 0, Role.KEEPER),
        Seat(a, 1, Role.MEMBER),
        Seat(b, 2, Role.MEMBER),
        Seat(c, 3, Role.MEMBER),
        Seat(witness, 4, Role.WITNESS),
    ]
    assert form_groups(seats, 2, Grouping.EXPLICIT, keepers_float=True, explicit=[[a, b, c]]) == [[a, b, c]]
    for wrong in ([[a, b]], [[a, b, c], [c, keeper]], [[a, witness], [b, c]], [[a], [b, c]], [[a, b, c, keeper]]):
        with pytest.raises(GroupingError):
            form_groups(seats, 2, Grouping.EXPLICIT, keepers_float=True, explicit=wrong)


# A pass: each group's open turn is ended by someone, at some time within the limit, or left to time out.
steps = st.lists(
    st.tuples(st.integers(min_value=0, max_value=20), st.integers(min_value=1, max_value=200), st.booleans()),
    max_size=80,
)


@given(st.lists(st.sampled_from([2, 3]), min_size=1, max_size=6), st.integers(min_value=10, max_value=120), steps)
def test_each_person_speaks_exactly_once_and_never_past_their_time(
    sizes: list[int], seconds_each: int, moves: list[tuple[int, int, bool]]
) -> None:
    counter = _ids()
    people = iter(UUID(int=n) for n in range(1, 100))
    groups = [[next(people) for _ in range(size)] for size in sizes]
    breakout = Breakout.start(UUID(int=9999), groups, seconds_each, T0, None, lambda: _new_id(counter))
    now = T0
    for group_index, wait, done_early in moves:
        state = breakout.state
        if not state.is_open:
            break
        group = state.groups[group_index % len(state.groups)]
        turn = group.open_turn
        now += timedelta(seconds=wait)
        breakout.expire(now)
        if done_early and turn is not None and turn.is_open:
            breakout.finish(turn.id, BreakoutOutcome.SPOKE, Actor(turn.participant_id, Role.MEMBER), now)
    # Time runs on until every group is done.
    while breakout.state.is_open:
        next_moment = breakout.state.next_moment()
        assert next_moment is not None
        now = max(now, next_moment)
        breakout.expire(now)
    state = breakout.state
    assert state.end_reason is BreakoutEndReason.COMPLETED
    limit = timedelta(seconds=seconds_each)
    for group, members in zip(state.groups, groups, strict=True):
        assert [t.participant_id for t in group.turns] == members  # each person has one turn, in order
        assert all(t.started_at is not None and t.ended_at is not None for t in group.turns)
        for turn in group.turns:
            assert turn.started_at is not None and turn.ended_at is not None
            assert turn.ended_at - turn.started_at <= limit  # equal time, enforced
            if turn.outcome is BreakoutOutcome.TIMED_OUT:
                assert turn.ended_at - turn.started_at == limit
        for before, after in itertools.pairwise(group.turns):
            assert before.ended_at == after.started_at  # the piece passes straight on
    assert breakout.events[-1].event is BreakoutEvent.ENDED


def test_a_pair_swaps_then_comes_back() -> None:
    ana, ben = UUID(int=1), UUID(int=2)
    counter = _ids()
    breakout = Breakout.start(UUID(int=50), [[ana, ben]], 120, T0, None, lambda: _new_id(counter))
    group = breakout.state.groups[0]
    first = group.open_turn
    assert first is not None and first.participant_id == ana and first.deadline == T0 + timedelta(seconds=120)
    with pytest.raises(NotYourTurn):
        breakout.finish(first.id, BreakoutOutcome.SPOKE, Actor(ben, Role.MEMBER), T0)
    assert breakout.expire(T0 + timedelta(seconds=60)) == T0 + timedelta(seconds=120)  # not due: nothing
    assert first.is_open
    breakout.expire(T0 + timedelta(seconds=120))
    second = group.open_turn
    assert first.outcome is BreakoutOutcome.TIMED_OUT and second is not None and second.participant_id == ben
    breakout.finish(second.id, BreakoutOutcome.SPOKE, Actor(ben, Role.MEMBER), T0 + timedelta(seconds=200))
    assert breakout.state.end_reason is BreakoutEndReason.COMPLETED
    assert [e.event for e in breakout.events] == [
        BreakoutEvent.STARTED,
        BreakoutEvent.TURN_STARTED,
        BreakoutEvent.TURN_ENDED,
        BreakoutEvent.TURN_STARTED,
        BreakoutEvent.TURN_ENDED,
        BreakoutEvent.GROUP_DONE,
        BreakoutEvent.ENDED,
    ]
    with pytest.raises(BreakoutOver):
        breakout.end(APP, T0 + timedelta(seconds=201))
    assert breakout.expire(T0 + timedelta(seconds=500)) is None


def test_ends_at_brings_everyone_back_and_only_a_keeper_ends_early() -> None:
    counter = _ids()
    a, b, c, d = (UUID(int=n) for n in range(1, 5))
    ends_at = T0 + timedelta(seconds=300)
    breakout = Breakout.start(UUID(int=50), [[a, b], [c, d]], 120, T0, ends_at, lambda: _new_id(counter))
    with pytest.raises(KeeperOnly):
        breakout.end(Actor(a, Role.MEMBER), T0)
    breakout.expire(T0 + timedelta(seconds=120))
    breakout.expire(T0 + timedelta(seconds=240))  # both groups done: over before ends_at
    assert breakout.state.end_reason is BreakoutEndReason.COMPLETED

    breakout = Breakout.start(UUID(int=51), [[a, b], [c, d]], 200, T0, ends_at, lambda: _new_id(counter))
    assert breakout.state.next_moment() == T0 + timedelta(seconds=200)
    breakout.expire(T0 + timedelta(seconds=200))
    assert breakout.state.next_moment() == ends_at
    breakout.expire(ends_at)
    assert breakout.state.end_reason is BreakoutEndReason.TIME_UP
    assert all(t.outcome is BreakoutOutcome.ENDED for g in breakout.state.groups for t in g.turns[1:])
    with pytest.raises(TurnNotOpen):
        breakout.finish(UUID(int=1), BreakoutOutcome.SPOKE, APP, ends_at)

    breakout = Breakout.start(UUID(int=52), [[a, b]], 200, T0, None, lambda: _new_id(counter))
    breakout.end(Actor(UUID(int=77), Role.KEEPER), T0 + timedelta(seconds=5))
    assert breakout.state.end_reason is BreakoutEndReason.ENDED


HAD_A_TURN = (BreakoutOutcome.SPOKE, BreakoutOutcome.PASSED, BreakoutOutcome.TIMED_OUT)


def _present(group: Group, present: set[UUID]) -> set[UUID]:
    gone = (BreakoutOutcome.LEFT, BreakoutOutcome.MOVED)
    return {t.participant_id for t in group.turns if t.participant_id in present and t.outcome not in gone}


@given(
    st.lists(st.sampled_from([2, 3]), min_size=1, max_size=5),
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=14), st.integers(min_value=0, max_value=200), st.booleans()),
        max_size=10,
    ),
)
def test_nobody_is_left_alone_and_each_speaks_at_most_once_in_their_time(
    sizes: list[int], leaving: list[tuple[int, int, bool]]
) -> None:
    counter = _ids()
    people = iter(UUID(int=n) for n in range(1, 100))
    groups = [[next(people) for _ in range(size)] for size in sizes]
    everyone = [p for g in groups for p in g]
    breakout = Breakout.start(UUID(int=9999), groups, 60, T0, None, lambda: _new_id(counter))
    present = set(everyone)
    now = T0
    for who, wait, done_early in leaving:
        now += timedelta(seconds=wait)
        breakout.expire(now)
        if done_early and breakout.state.is_open:  # someone finishes early, so some leave after speaking
            turn = next((t for g in breakout.state.groups if (t := g.open_turn) is not None), None)
            if turn is not None:
                breakout.finish(turn.id, BreakoutOutcome.SPOKE, APP, now)
        present.discard(everyone[who % len(everyone)])
        breakout.seating_changed(present, now)
        state = breakout.state
        # Nobody left alone: every group still under way has two or more present in it, or it is all over.
        assert not state.is_open or all(len(_present(g, present)) >= 2 for g in state.groups if g.done_at is None)
        # Each person is in at most one group under way.
        under_way = [p for g in state.groups if g.done_at is None for p in _present(g, present)]
        assert len(under_way) == len(set(under_way))
    while breakout.state.is_open:
        moment = breakout.state.next_moment()
        assert moment is not None
        now = max(now, moment)
        breakout.expire(now)
    turns = [t for g in breakout.state.groups for t in g.turns]
    assert all(t.ended_at is not None for t in turns)
    for person in everyone:
        theirs = [t for t in turns if t.participant_id == person]
        spoken = [t for t in theirs if t.started_at is not None and t.outcome is not BreakoutOutcome.MOVED]
        assert len(spoken) <= 1  # each person speaks at most once
        if person in present:  # everyone who stayed had a turn, or was the last one in a group with none open
            assert spoken or any(t.outcome is BreakoutOutcome.MOVED for t in theirs)
        else:
            assert all(t.outcome is not BreakoutOutcome.LISTENER or t.started_at is None for t in theirs)
    for turn in turns:
        if turn.started_at is not None:  # equal time: nobody past their limit
            assert turn.ended_at is not None and turn.ended_at - turn.started_at <= timedelta(seconds=60)
        if turn.outcome is BreakoutOutcome.LISTENER:  # joined having spoken elsewhere: only listens here
            assert turn.started_at is None
            assert any(t.outcome in HAD_A_TURN for t in turns if t.participant_id == turn.participant_id)
        if turn.outcome is BreakoutOutcome.LEFT:
            assert turn.participant_id not in present
    assert breakout.state.end_reason is BreakoutEndReason.COMPLETED


def test_a_partner_left_alone_joins_the_smallest_open_group() -> None:
    a, b, c, d, e, f, g = (UUID(int=n) for n in range(1, 8))
    counter = _ids()
    breakout = Breakout.start(UUID(int=60), [[a, b], [c, d, e], [f, g]], 60, T0, None, lambda: _new_id(counter))
    pair, three, other = breakout.state.groups
    breakout.events.clear()
    breakout.seating_changed({a, c, d, e, f, g}, T0 + timedelta(seconds=10))  # b leaves before speaking
    # a was speaking to nobody: that turn is cut (`moved`), and a speaks last in the other pair (fewest present,
    # lower index than nothing else of two).
    assert [t.outcome for t in pair.turns] == [BreakoutOutcome.MOVED, BreakoutOutcome.LEFT]
    assert pair.done_at == T0 + timedelta(seconds=10)
    assert other.members == [f, g, a] and other.turns[-1].outcome is None and other.turns[-1].position == 2
    assert three.members == [c, d, e]
    assert [(h.event, h.group_id) for h in breakout.events] == [
        (BreakoutEvent.TURN_ENDED, pair.id),
        (BreakoutEvent.GROUP_UPDATED, pair.id),
        (BreakoutEvent.GROUP_UPDATED, other.id),
        (BreakoutEvent.GROUP_DONE, pair.id),
    ]
    breakout.expire(T0 + timedelta(seconds=120))  # f then g speak, then a, for the same time
    joined = other.turns[-1]
    assert joined.started_at == T0 + timedelta(seconds=120) and joined.deadline == T0 + timedelta(seconds=180)


def test_someone_who_has_spoken_joins_only_to_listen_or_goes_back_to_the_circle() -> None:
    a, b, c, d = (UUID(int=n) for n in range(1, 5))
    counter = _ids()
    breakout = Breakout.start(UUID(int=61), [[a, b], [c, d]], 60, T0, None, lambda: _new_id(counter))
    first, second = breakout.state.groups
    breakout.expire(T0 + timedelta(seconds=60))  # a and c have spoken; b and d hold the piece
    breakout.seating_changed({a, c, d}, T0 + timedelta(seconds=70))  # b leaves mid-turn
    assert second.members == [c, d, a] and second.turns[-1].outcome is BreakoutOutcome.LISTENER
    assert second.turns[-1].started_at is None and second.open_turn is not None and second.open_turn.participant_id == d
    assert first.done_at is not None and breakout.state.is_open
    # d leaves too: a and c are both in the second group, and both have spoken: it is done, and so is the breakout.
    breakout.seating_changed({a, c}, T0 + timedelta(seconds=80))
    assert breakout.state.end_reason is BreakoutEndReason.COMPLETED

    # No other group open: the one left alone is back in the circle early.
    breakout = Breakout.start(UUID(int=62), [[a, b]], 60, T0, None, lambda: _new_id(counter))
    breakout.seating_changed({b}, T0 + timedelta(seconds=5))
    assert [t.outcome for t in breakout.state.groups[0].turns] == [BreakoutOutcome.LEFT, BreakoutOutcome.MOVED]
    assert breakout.state.end_reason is BreakoutEndReason.COMPLETED
