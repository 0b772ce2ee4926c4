"""Breakout timers: each speaker's hard limit, and the breakout's `ends_at`.

One timer per breakout, at the earliest moment anything in it is due. Armed from the events the hub's
listeners take, rebuilt from the database at start and backed by a periodic sweep, as the round's deadlines
(`circles.round.deadlines`). Firing runs `breakout.service.expire` on the write path under the circle's lock,
which acts only on what is due: a deadline fires exactly once however many timers or instances reach it.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import datetime, timedelta

from starlette.concurrency import run_in_threadpool

from circles.breakout import service
from circles.clock import Timer
from circles.event.payloads import BreakoutData, BreakoutGroupData, EventName, LoggedEvent
from circles.records.breakout import repository
from circles.unit_of_work import UnitOfWork
from circles.write_path import WritePath

logger = logging.getLogger(__name__)

_RETRY_SECONDS = 1.0


class BreakoutDeadlines:
    def __init__(self, write_path: WritePath, sweep_seconds: float) -> None:
        self._write_path = write_path
        self._database = write_path.database
        self._clock = write_path.database.clock
        self._sweep_seconds = sweep_seconds
        self._timers: dict[uuid.UUID, tuple[datetime, Timer]] = {}
        self._firing: set[asyncio.Task[None]] = set()
        self._sweeper: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self._sweep(before=None)
        self._sweeper = asyncio.create_task(self._sweep_forever(), name="breakout-deadline-sweep")

    async def stop(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            await asyncio.gather(self._sweeper, return_exceptions=True)
        for _, handle in self._timers.values():
            handle.cancel()
        self._timers.clear()
        if self._firing:
            await asyncio.gather(*self._firing, return_exceptions=True)

    def on_event(self, event: LoggedEvent) -> None:
        """Hub listener: a breakout began (its `ends_at`) or a speaker's turn began (their deadline)."""
        match event.name:
            case EventName.BREAKOUT_STARTED:
                breakout = event.data_as(BreakoutData).breakout
                if breakout.ends_at is not None:
                    self.arm(event.circle_id, breakout.id, breakout.ends_at)
            case EventName.BREAKOUT_TURN_STARTED:
                data = event.data_as(BreakoutGroupData)
                for turn in data.group.turns:
                    if turn.ended_at is None and turn.deadline is not None:
                        self.arm(event.circle_id, data.breakout_id, turn.deadline)
            case _:
                return

    def arm(self, circle_id: uuid.UUID, breakout_id: uuid.UUID, at: datetime) -> None:
        """A timer at `at`, unless one is set earlier (firing then looks again)."""
        armed = self._timers.get(breakout_id)
        if armed is not None:
            if armed[0] <= at:
                return
            armed[1].cancel()
        handle = self._clock.call_at(at, lambda: self._fire_soon(circle_id, breakout_id))
        self._timers[breakout_id] = (at, handle)

    def _fire_soon(self, circle_id: uuid.UUID, breakout_id: uuid.UUID) -> None:
        self._timers.pop(breakout_id, None)
        task = asyncio.create_task(self._fire(circle_id, breakout_id))
        self._firing.add(task)
        task.add_done_callback(self._firing.discard)

    async def _fire(self, circle_id: uuid.UUID, breakout_id: uuid.UUID) -> None:
        def expire(work: UnitOfWork) -> datetime | None:
            return service.expire(work.session, circle_id, breakout_id)

        try:
            look_again = await self._write_path.run(circle_id, expire)
        except Exception:
            logger.exception("deadline of breakout %s could not be handled; retrying", breakout_id)
            look_again = self._clock.now() + timedelta(seconds=_RETRY_SECONDS)
        if look_again is not None:
            self.arm(circle_id, breakout_id, look_again)

    async def _sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(self._sweep_seconds)
            try:
                await self._sweep(before=self._clock.now() + timedelta(seconds=2 * self._sweep_seconds))
            except Exception:
                logger.exception("breakout deadline sweep failed; will try again")

    async def _sweep(self, before: datetime | None) -> None:
        due = await run_in_threadpool(self._read_due, before)
        for circle_id, breakout_id, at in due:
            self.arm(circle_id, breakout_id, at)

    def _read_due(self, before: datetime | None) -> list[tuple[uuid.UUID, uuid.UUID, datetime]]:
        with self._database.read_session() as session:
            return repository.due(session, before)
