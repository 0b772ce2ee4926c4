"""The manual clock the live suite runs its server on: time moves only when told, and what comes due runs in
the order it is due, each at its own time."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from circles.clock import ManualClock

START = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def test_timers_run_in_order_each_at_its_own_time_and_a_cancelled_one_never() -> None:
    async def scenario() -> list[tuple[str, datetime]]:
        clock = ManualClock(START)
        ran: list[tuple[str, datetime]] = []
        clock.call_at(START + timedelta(seconds=5), lambda: ran.append(("five", clock.now())))
        clock.call_at(START + timedelta(seconds=2), lambda: ran.append(("two", clock.now())))
        clock.call_at(START + timedelta(seconds=3), lambda: ran.append(("never", clock.now()))).cancel()
        clock.call_at(START + timedelta(seconds=9), lambda: ran.append(("nine", clock.now())))
        assert clock.now() == START and clock.pending() == 3
        assert clock.advance(6) == START + timedelta(seconds=6)
        assert clock.pending() == 1
        return ran

    assert asyncio.run(scenario()) == [
        ("two", START + timedelta(seconds=2)),
        ("five", START + timedelta(seconds=5)),
    ]


def test_a_time_already_past_runs_on_the_next_pass_of_the_loop_and_time_never_goes_back() -> None:
    async def scenario() -> list[str]:
        clock = ManualClock(START)
        ran: list[str] = []
        clock.call_at(START - timedelta(seconds=1), lambda: ran.append("past"))
        assert ran == []
        await asyncio.sleep(0)
        assert clock.set(START - timedelta(hours=1)) == START
        return ran

    assert asyncio.run(scenario()) == ["past"]
