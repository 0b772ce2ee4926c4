"""Airtime arithmetic on hand-computed cases, and the balance's bounds on any input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from circles.airtime.measure import balance, held_seconds, pause_intervals

T0 = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_balance_of_equal_airtime_is_one() -> None:
    assert balance([60.0, 60.0, 60.0]) == pytest.approx(1.0)


def test_balance_when_one_person_held_it_all_is_zero() -> None:
    assert balance([90.0, 0.0]) == pytest.approx(0.0)
    assert balance([0.0, 0.0, 120.0]) == pytest.approx(0.0)


def test_balance_on_hand_computed_cases() -> None:
    # [3, 1]: Σ|xi − xj| over ordered pairs = 4; 2·(n − 1)·Σx = 8; G* = 0.5.
    assert balance([3.0, 1.0]) == pytest.approx(0.5)
    # [1, 2, 3]: Σ|xi − xj| = 2·(1 + 2 + 1) = 8; 2·2·6 = 24; G* = 1/3.
    assert balance([1.0, 2.0, 3.0]) == pytest.approx(2 / 3)
    # Order does not matter.
    assert balance([3.0, 1.0, 2.0]) == pytest.approx(2 / 3)
    # [10, 10, 10, 0]: Σ|xi − xj| = 2·3·10 = 60; 2·3·30 = 180; G* = 1/3.
    assert balance([10.0, 10.0, 10.0, 0.0]) == pytest.approx(2 / 3)


def test_one_person_is_balanced_and_no_airtime_has_no_balance() -> None:
    assert balance([42.0]) == 1.0
    assert balance([]) is None
    assert balance([0.0]) is None
    assert balance([0.0, 0.0, 0.0]) is None


def test_negative_airtime_is_a_bug() -> None:
    with pytest.raises(ValueError):
        balance([1.0, -1.0])


@given(st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1, max_size=30))
def test_balance_is_between_zero_and_one_and_ignores_scale(airtimes: list[float]) -> None:
    value = balance(airtimes)
    if sum(airtimes) <= 0:
        assert value is None
        return
    assert value is not None and 0.0 <= value <= 1.0
    scaled = balance([seconds * 3 for seconds in airtimes])
    assert scaled == pytest.approx(value, abs=1e-9)


def test_held_time_is_the_turn_less_its_pauses() -> None:
    assert held_seconds(at(0), at(90), []) == 90.0
    # Paused from 30 to 50 s: 20 s of the 90 are not airtime.
    assert held_seconds(at(0), at(90), [(at(30), at(50))]) == 70.0
    # A pause that began before the turn, one after it, and one that runs past its end.
    pauses = [(at(-20), at(10)), (at(40), at(45)), (at(80), at(200))]
    assert held_seconds(at(0), at(90), pauses) == 90 - 10 - 5 - 10
    # A turn spent wholly paused, and an empty turn.
    assert held_seconds(at(0), at(30), [(at(-5), at(60))]) == 0.0
    assert held_seconds(at(5), at(5), []) == 0.0


def test_pause_intervals_pair_marks_and_an_unresumed_pause_runs_to_the_end() -> None:
    marks = [("paused", at(10)), ("resumed", at(25)), ("paused", at(40))]
    assert pause_intervals(marks, until=at(100)) == [(at(10), at(25)), (at(40), at(100))]
    assert pause_intervals([], until=at(100)) == []
    # A stray resume (or a second pause) changes nothing.
    assert pause_intervals([("resumed", at(1)), ("paused", at(2)), ("paused", at(3)), ("resumed", at(4))], at(9)) == [
        (at(2), at(4))
    ]


@given(
    start=st.integers(min_value=0, max_value=10_000),
    length=st.integers(min_value=0, max_value=10_000),
    cuts=st.lists(st.integers(min_value=-1_000, max_value=21_000), max_size=10),
)
def test_held_time_plus_paused_overlap_is_the_turn(start: int, length: int, cuts: list[int]) -> None:
    """For any pauses, held time is within [0, the turn] and held + paused (within the turn) = the turn."""
    points = sorted(set(cuts))
    pauses = [(at(points[i]), at(points[i + 1])) for i in range(0, len(points) - 1, 2)]  # disjoint, in order
    held = held_seconds(at(start), at(start + length), pauses)
    paused = sum(
        max(0, min(start + length, b) - max(start, a)) for a, b in zip(points[::2], points[1::2], strict=False)
    )
    assert 0 <= held <= length
    assert held + paused == pytest.approx(length)
