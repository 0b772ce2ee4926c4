"""The clock: what time it is, and "call this at that time", for every write, read and timer of the service.

One clock is made per app (`app.state.clock`); the write path reads the moment a write acts from it, `NowDep`
gives it to reads, and the deadline timers are armed on it. `SystemClock` is the wall clock and the event
loop's timers. `ManualClock` stands still until it is told to move: tests advance it past a deadline or a
grace period instead of sleeping until the wall clock gets there.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Timer(Protocol):
    def cancel(self) -> None: ...


class Clock(Protocol):
    def now(self) -> datetime:
        """The time now, timezone-aware UTC. Safe to call from any thread."""
        ...

    def call_at(self, when: datetime, callback: Callable[[], None]) -> Timer:
        """Run `callback` on the running event loop once it is `when` (at once if that has passed). Call it
        from the event loop."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def call_at(self, when: datetime, callback: Callable[[], None]) -> Timer:
        delay = max(0.0, (when - self.now()).total_seconds())
        return asyncio.get_running_loop().call_later(delay, callback)


class ManualClock:
    """Time that moves only when `advance` (or `set`) says so; what came due then runs, earliest first."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime.now(UTC)
        self._lock = threading.Lock()  # `now` is read from worker threads
        self._due: list[tuple[datetime, int, _ManualTimer]] = []
        self._order = itertools.count()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def call_at(self, when: datetime, callback: Callable[[], None]) -> Timer:
        timer = _ManualTimer(callback)
        if when <= self.now():
            asyncio.get_running_loop().call_soon(timer.run)
        else:
            heapq.heappush(self._due, (when, next(self._order), timer))
        return timer

    def advance(self, seconds: float) -> datetime:
        """Move time on by `seconds`, running each timer that came due at its own time, in order. Call it
        from the event loop. Returns the new time."""
        return self.set(self.now() + timedelta(seconds=seconds))

    def set(self, moment: datetime) -> datetime:
        target = max(moment, self.now())
        while self._due and self._due[0][0] <= target:
            when, _, timer = heapq.heappop(self._due)
            with self._lock:
                self._now = max(self._now, when)
            timer.run()
        with self._lock:
            self._now = target
        return target

    def pending(self) -> int:
        """How many timers wait for time to move."""
        return sum(1 for _, _, timer in self._due if not timer.cancelled)


class _ManualTimer:
    def __init__(self, callback: Callable[[], None]) -> None:
        self._callback = callback
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True

    def run(self) -> None:
        if not self.cancelled:
            self.cancelled = True
            self._callback()
