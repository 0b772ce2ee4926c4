"""The audience coalescer on its own, on a clock the test moves: at most one frame per interval, the first
at once, the last always the latest figures, nothing when nothing changed."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from circles.live.audience import AudienceCoalescer, AudienceFigures

CIRCLE = uuid.uuid4()
INTERVAL = 1.0


class FakeClock:
    """Time stands still until the test advances it; `sleep` wakes when it reaches the sleeper's time."""

    def __init__(self) -> None:
        self.now = 0.0
        self._sleepers: list[tuple[float, asyncio.Future[None]]] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._sleepers.append((self.now + seconds, future))
        await future

    async def advance(self, seconds: float) -> None:
        target = self.now + seconds
        while due := [s for s in self._sleepers if s[0] <= target]:
            sleeper = min(due, key=lambda s: s[0])
            self._sleepers.remove(sleeper)
            self.now = max(self.now, sleeper[0])
            sleeper[1].set_result(None)
            await settle()
        self.now = target
        await settle()


async def settle() -> None:
    """Let every task that can run, run (nothing here waits on anything but the fake clock)."""
    for _ in range(20):
        await asyncio.sleep(0)


class Audience:
    """The figures the coalescer reads, what it sent and when, and how often it counted the seated."""

    def __init__(self, clock: FakeClock, interval: float = INTERVAL) -> None:
        self.seated = 0
        self.online = 0
        self.seated_reads = 0
        self.fail_reads = 0
        self.sent: list[tuple[float, AudienceFigures]] = []
        self.coalescer = AudienceCoalescer(
            interval, self._count_seated, self._count_online, self._send, clock=clock, sleep=clock.sleep
        )
        self._clock = clock

    async def _count_seated(self, circle_id: uuid.UUID) -> int:
        self.seated_reads += 1
        return self.seated

    async def _count_online(self, circle_id: uuid.UUID) -> int:
        if self.fail_reads:
            self.fail_reads -= 1
            raise OSError("the board is away")
        return self.online

    def _send(self, circle_id: uuid.UUID, figures: AudienceFigures) -> None:
        self.sent.append((self._clock.now, figures))

    def arrive(self, seated: int | None = None) -> None:
        self.online += 1
        if seated is not None:
            self.seated = seated
        self.coalescer.changed(CIRCLE)

    def figures(self) -> list[tuple[int, int]]:
        return [(f.witnesses, f.online) for _, f in self.sent]


def run(test: Callable[[], Coroutine[Any, Any, None]]) -> None:
    asyncio.run(asyncio.wait_for(test(), timeout=10))


def test_the_first_change_goes_out_at_once_and_the_rest_of_the_interval_in_one_trailing_frame() -> None:
    async def scenario() -> None:
        clock = FakeClock()
        audience = Audience(clock)
        audience.seated = 5
        audience.arrive()
        await settle()
        assert audience.sent == [(0.0, AudienceFigures(5, 1))]
        for _ in range(3):
            await clock.advance(0.2)
            audience.arrive()
        assert len(audience.sent) == 1  # within the interval: held back
        await clock.advance(0.39)
        assert len(audience.sent) == 1
        await clock.advance(0.01)
        assert audience.sent[1:] == [(1.0, AudienceFigures(5, 4))]  # the latest figures, at the interval's end
        await clock.advance(5)
        assert len(audience.sent) == 2  # nothing changed since: nothing more

    run(scenario)


def test_a_change_back_to_the_figures_last_sent_sends_nothing() -> None:
    async def scenario() -> None:
        clock = FakeClock()
        audience = Audience(clock)
        audience.seated = 2
        audience.arrive()
        await settle()
        audience.online -= 1
        audience.coalescer.changed(CIRCLE)
        audience.arrive()  # and back again, within the interval
        await clock.advance(3)
        assert audience.figures() == [(2, 1)]

    run(scenario)


def test_a_circle_without_witnesses_hears_nothing() -> None:
    async def scenario() -> None:
        clock = FakeClock()
        audience = Audience(clock)
        audience.coalescer.changed(CIRCLE)
        audience.coalescer.seating_changed(CIRCLE)
        await clock.advance(3)
        assert audience.sent == []

    run(scenario)


def test_the_seated_count_is_read_once_and_again_only_after_a_seating_change() -> None:
    async def scenario() -> None:
        clock = FakeClock()
        audience = Audience(clock)
        audience.seated = 3
        for _ in range(4):
            audience.arrive()
            await clock.advance(2)
        assert audience.seated_reads == 1
        audience.seated = 4
        audience.coalescer.seating_changed(CIRCLE)
        await clock.advance(2)
        assert audience.seated_reads == 2
        assert audience.figures()[-1] == (4, 4)

    run(scenario)


@pytest.mark.logs_traceback("circles.live.audience")
def test_a_failed_count_is_tried_again_an_interval_later() -> None:
    async def scenario() -> None:
        clock = FakeClock()
        audience = Audience(clock)
        audience.seated = 1
        audience.fail_reads = 1
        audience.arrive()
        await settle()
        assert audience.sent == []
        await clock.advance(INTERVAL)
        assert audience.sent == [(INTERVAL, AudienceFigures(1, 1))]

    run(scenario)


def test_a_forgotten_circle_sends_nothing_more() -> None:
    async def scenario() -> None:
        clock = FakeClock()
        audience = Audience(clock)
        audience.seated = 2
        audience.arrive()
        await settle()
        audience.arrive()
        audience.coalescer.forget(CIRCLE)
        await clock.advance(3)
        assert audience.figures() == [(2, 1)]

    run(scenario)


# (seconds to wait, how many witnesses come (+) or go (-)) steps
steps = st.lists(st.tuples(st.floats(0, 2.5), st.integers(-3, 3)), min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(steps=steps)
def test_frames_are_an_interval_apart_never_repeat_and_end_on_the_final_figures(
    steps: list[tuple[float, int]],
) -> None:
    async def scenario() -> None:
        clock = FakeClock()
        audience = Audience(clock)
        audience.seated = 10
        for wait, change in steps:
            await clock.advance(wait)
            audience.online = max(0, min(10, audience.online + change))
            audience.coalescer.changed(CIRCLE)
        await clock.advance(INTERVAL * 2)
        times = [at for at, _ in audience.sent]
        assert all(later - earlier >= INTERVAL - 1e-9 for earlier, later in zip(times, times[1:], strict=False))
        figures = audience.figures()
        assert all(a != b for a, b in zip(figures, figures[1:], strict=False))
        assert figures and figures[-1] == (10, audience.online)

    run(scenario)
