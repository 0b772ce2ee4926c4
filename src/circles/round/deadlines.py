"""Deadline timers: a hard limit ends the turn `timed_out` at its deadline; a soft one announces overtime;
in an absence round, an away holder not back by `away_until` ends `absent`.

Timers are armed from the events the hub's listeners take (turn.started, round.resumed), rebuilt from the
database at start, and backed by a periodic sweep of the database, so a restart mid-turn loses no deadline.
Timers are armed on the app's clock (`circles.clock`). Firing runs round_service.expire_turn in a unit of work,
on the write path every write takes (`circles.unit_of_work`), under the circle's lock, which acts at most once
per deadline.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import datetime, timedelta

from starlette.concurrency import run_in_threadpool

from circles.clock import Timer
from circles.event.payloads import EventName, LoggedEvent, RoundResumedData, TurnData
from circles.metrics.instruments import DEADLINES_ARMED, DEADLINES_FIRED
from circles.records.round import repository
from circles.records.round.models import TurnPublic
from circles.round import service as round_service
from circles.unit_of_work import UnitOfWork
from circles.write_path import WritePath

logger = logging.getLogger(__name__)

_RETRY_SECONDS = 1.0


class DeadlineScheduler:
    def __init__(self, write_path: WritePath, sweep_seconds: float) -> None:
        self._write_path = write_path
        self._database = write_path.database
        self._clock = write_path.database.clock
        self._sweep_seconds = sweep_seconds
        self._timers: dict[uuid.UUID, Timer] = {}
        self._firing: set[asyncio.Task[None]] = set()
        self._sweeper: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self._sweep(before=None)  # every open deadline, however far off
        self._sweeper = asyncio.create_task(self._sweep_forever(), name="deadline-sweep")

    async def stop(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            # Waits for a sweep already reading the database: its thread is not abandoned.
            await asyncio.gather(self._sweeper, return_exceptions=True)
        for handle in self._timers.values():
            handle.cancel()
        self._timers.clear()
        if self._firing:
            await asyncio.gather(*self._firing, return_exceptions=True)

    def on_event(self, event: LoggedEvent) -> None:
        """Hub listener: arm a timer for every turn that starts, is accepted (its clock starts: an offer's
        lapse becomes the time limit), resumes, or whose holder went away (absence rounds: the grace ends),
        at the earliest of its deadline and its grace's end. Firing early is harmless: the talking piece
        answers when to look again."""
        turn: TurnPublic | None
        match event.name:
            case EventName.TURN_STARTED | EventName.TURN_ACCEPTED | EventName.TURN_AWAY:
                turn = event.data_as(TurnData).turn
            case EventName.ROUND_RESUMED:
                turn = event.data_as(RoundResumedData).turn
            case _:
                return
        if turn is None:
            return
        times = [moment for moment in (turn.deadline, turn.away_until) if moment is not None]
        if times:
            self.arm(event.circle_id, turn.id, min(times))

    def arm(self, circle_id: uuid.UUID, turn_id: uuid.UUID, deadline: datetime) -> None:
        if (previous := self._timers.pop(turn_id, None)) is not None:
            previous.cancel()
        self._timers[turn_id] = self._clock.call_at(deadline, lambda: self._fire_soon(circle_id, turn_id))
        DEADLINES_ARMED.inc()

    def _fire_soon(self, circle_id: uuid.UUID, turn_id: uuid.UUID) -> None:
        self._timers.pop(turn_id, None)
        DEADLINES_FIRED.inc()
        task = asyncio.create_task(self._fire(circle_id, turn_id))
        self._firing.add(task)
        task.add_done_callback(self._firing.discard)

    async def _fire(self, circle_id: uuid.UUID, turn_id: uuid.UUID) -> None:
        def expire(work: UnitOfWork) -> datetime | None:
            return round_service.expire_turn(work.session, circle_id, turn_id)

        try:
            look_again = await self._write_path.run(circle_id, expire)
        except Exception:
            logger.exception("deadline of turn %s could not be handled; retrying", turn_id)
            look_again = self._clock.now() + timedelta(seconds=_RETRY_SECONDS)
        if look_again is not None:
            self.arm(circle_id, turn_id, look_again)

    async def _sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(self._sweep_seconds)
            try:
                await self._sweep(before=self._clock.now() + timedelta(seconds=2 * self._sweep_seconds))
            except Exception:
                logger.exception("deadline sweep failed; will try again")

    async def _sweep(self, before: datetime | None) -> None:
        due = await run_in_threadpool(self._read_due, before)
        for circle_id, turn_id, deadline in due:
            if turn_id not in self._timers:
                self.arm(circle_id, turn_id, deadline)

    def _read_due(self, before: datetime | None) -> list[tuple[uuid.UUID, uuid.UUID, datetime]]:
        with self._database.read_session() as session:
            return repository.due_deadlines(session, before)
