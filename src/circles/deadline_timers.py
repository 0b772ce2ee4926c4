"""Deadline timers: one timer per key on the app's clock (`circles.clock`), firing a write when a stored time comes.

A turn's hard limit and an away holder's grace (`circles.round.deadlines`), a breakout's speakers' limits and
its end (`circles.breakout.deadlines`), a support date's next meeting (`circles.support_date.due`): each is a
subclass that says what is due (`due`, a read) and what firing does (`fire`, a write that returns when to
look again, or None). The rest is here, the same for all of them:

- Timers are armed from the events the hub's listeners take (the subclass's `on_event` calls `arm`), rebuilt
  from the database at start (everything due, however far off) and backed by a periodic sweep of what is due
  within two sweep periods, so a restart, or an event another instance took, loses no time.
- Firing runs `fire` in a unit of work on the write path every write takes (`circles.write_path`), under the
  circle's lock, and the write acts only on what is due: firing early, or on two instances, is harmless. A
  write that fails is tried again `retry_seconds` later; one that answers a time is armed again for it.
- Each timer armed and each one fired is counted on the counters passed in (deadlines armed and fired).

The kernel imports no concern: the subclasses, in their packages, bring the reads, the writes and the counters.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from abc import ABC, abstractmethod
from datetime import datetime, timedelta
from enum import Enum
from typing import Protocol

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from circles.background_tasks import stop_tasks, wait_for_tasks
from circles.clock import Timer
from circles.unit_of_work import UnitOfWork
from circles.write_path import WritePath


class Tally(Protocol):
    """A label-free counter (`prometheus_client.Counter` is one)."""

    def inc(self) -> None: ...


class Arming(Enum):
    """What arming a key that already has a timer does."""

    MOVE = "move"
    """The new time replaces the old, sooner or later: the newest event knows best. The sweep arms only keys
    with no timer, since what it read may be older than the event that armed one."""
    EARLIER = "earlier"
    """Only a sooner time replaces the old: several times share the key, and the write says when to look again."""
    CHANGED = "changed"
    """Another time replaces the old; the same time leaves the timer as it is. The sweep arms as events do."""


class DeadlineTimers(ABC):
    def __init__(
        self,
        write_path: WritePath,
        sweep_seconds: float,
        *,
        sweep_name: str,
        retry_seconds: float,
        arming: Arming,
        armed: Tally,
        fired: Tally,
    ) -> None:
        """`sweep_name` names the sweep's task and its log lines (`deadline-sweep`); `armed` and `fired` count."""
        self._write_path = write_path
        self._database = write_path.database
        self._clock = write_path.database.clock
        self._sweep_seconds = sweep_seconds
        self._sweep_name = sweep_name
        self._retry = timedelta(seconds=retry_seconds)
        self._arming = arming
        self._armed, self._fired = armed, fired
        self._logger = logging.getLogger(type(self).__module__)  # the concern's logger, as before the kernel
        self._timers: dict[uuid.UUID, tuple[datetime, Timer]] = {}
        self._firing: set[asyncio.Task[None]] = set()
        self._sweeper: asyncio.Task[None] | None = None

    @abstractmethod
    def due(self, session: Session, before: datetime | None) -> list[tuple[uuid.UUID, uuid.UUID, datetime]]:
        """(circle_id, key, when) of every key with something due before `before` (or at all), read in a worker
        thread."""

    @abstractmethod
    def fire(self, work: UnitOfWork, circle_id: uuid.UUID, key: uuid.UUID) -> datetime | None:
        """Act on what is due for `key`, in the circle's unit of work. Returns when to look again, or None."""

    async def start(self) -> None:
        await self.sweep(before=None)  # everything due, however far off
        self._sweeper = asyncio.create_task(self._sweep_forever(), name=self._sweep_name)

    async def stop(self) -> None:
        if self._sweeper is not None:
            # Waits (bounded) for a sweep already reading the database: its thread is not abandoned.
            await stop_tasks([self._sweeper])
        for _, timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        await wait_for_tasks(self._firing)

    async def settled(self) -> None:
        """Wait until every timer that was firing has written (tests, after moving the clock)."""
        while self._firing:
            await asyncio.gather(*self._firing, return_exceptions=True)

    def arm(self, circle_id: uuid.UUID, key: uuid.UUID, when: datetime) -> None:
        """A timer for `key` at `when`, unless the key's timer stays (see `Arming`)."""
        armed = self._timers.get(key)
        if armed is not None:
            if (self._arming is Arming.EARLIER and armed[0] <= when) or (
                self._arming is Arming.CHANGED and armed[0] == when
            ):
                return
            armed[1].cancel()
        self._timers[key] = (when, self._clock.call_at(when, lambda: self._fire_soon(circle_id, key)))
        self._armed.inc()

    async def sweep(self, before: datetime | None) -> None:
        """Arm a timer for every key with something due (before `before`, if given)."""
        due = await run_in_threadpool(self._read_due, before)
        for circle_id, key, when in due:
            if self._arming is not Arming.MOVE or key not in self._timers:
                self.arm(circle_id, key, when)

    def _read_due(self, before: datetime | None) -> list[tuple[uuid.UUID, uuid.UUID, datetime]]:
        with self._database.read_session() as session:
            return self.due(session, before)

    def _fire_soon(self, circle_id: uuid.UUID, key: uuid.UUID) -> None:
        self._timers.pop(key, None)
        self._fired.inc()
        task = asyncio.create_task(self._fire(circle_id, key))
        self._firing.add(task)
        task.add_done_callback(self._firing.discard)

    async def _fire(self, circle_id: uuid.UUID, key: uuid.UUID) -> None:
        def act(work: UnitOfWork) -> datetime | None:
            return self.fire(work, circle_id, key)

        try:
            look_again = await self._write_path.run(circle_id, act)
        except Exception:
            self._logger.exception("the timer of %s (%s) could not be handled; retrying", key, type(self).__name__)
            look_again = self._clock.now() + self._retry
        if look_again is not None:
            self.arm(circle_id, key, look_again)

    async def _sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(self._sweep_seconds)
            try:
                await self.sweep(before=self._clock.now() + timedelta(seconds=2 * self._sweep_seconds))
            except Exception:
                self._logger.exception("%s failed; will try again", self._sweep_name)
