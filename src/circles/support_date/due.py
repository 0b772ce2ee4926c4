"""Announcing a support date's meetings: `support_date.due` in the date's log when a meeting is due.

As the deadline timers do (`circles.round.deadlines`): a timer on the app's clock for each date's next
meeting, armed from the events the hub's listeners take (support_date.created, support_date.due carry the
next one), rebuilt from the database at start and backed by a periodic sweep, so a restart or another
instance's date loses none. Firing runs `service.announce_due` on the write path under the date's circle
lock, and its key (date, meeting) makes the announcement once per meeting, however many instances fire.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import datetime, timedelta

from starlette.concurrency import run_in_threadpool

from circles.clock import Timer
from circles.event.payloads import EventName, LoggedEvent, SupportDateData, SupportDateDueData
from circles.records.support_date import repository
from circles.support_date import service
from circles.unit_of_work import UnitOfWork
from circles.write_path import WritePath

logger = logging.getLogger(__name__)

_RETRY_SECONDS = 5.0


class DueWatch:
    def __init__(self, write_path: WritePath, sweep_seconds: float) -> None:
        self._write_path = write_path
        self._database = write_path.database
        self._clock = write_path.database.clock
        self._sweep_seconds = sweep_seconds
        self._timers: dict[uuid.UUID, tuple[datetime, Timer]] = {}
        self._firing: set[asyncio.Task[None]] = set()
        self._sweeper: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.sweep(before=None)
        self._sweeper = asyncio.create_task(self._sweep_forever(), name="support-date-due-sweep")

    async def stop(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            await asyncio.gather(self._sweeper, return_exceptions=True)
        for _, timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        if self._firing:
            await asyncio.gather(*self._firing, return_exceptions=True)

    async def settled(self) -> None:
        """Wait until every announcement that was firing has been written (tests, after moving the clock)."""
        while self._firing:
            await asyncio.gather(*self._firing, return_exceptions=True)

    def on_event(self, event: LoggedEvent) -> None:
        """Hub listener: arm the timer of a date's next meeting when it is arranged or a meeting was announced."""
        match event.name:
            case EventName.SUPPORT_DATE_CREATED:
                created = event.data_as(SupportDateData)
                date_id, next_due_at = created.support_date_id, created.next_due_at
            case EventName.SUPPORT_DATE_DUE:
                due = event.data_as(SupportDateDueData)
                date_id, next_due_at = due.support_date_id, due.next_due_at
            case _:
                return
        if next_due_at is not None:
            self.arm(event.circle_id, date_id, next_due_at)

    def arm(self, circle_id: uuid.UUID, date_id: uuid.UUID, when: datetime) -> None:
        armed = self._timers.get(date_id)
        if armed is not None and armed[0] == when:
            return
        if armed is not None:
            armed[1].cancel()
        self._timers[date_id] = (when, self._clock.call_at(when, lambda: self._fire_soon(circle_id, date_id)))

    async def sweep(self, before: datetime | None) -> None:
        """Arm a timer for every date with a meeting to announce (before `before`, if given)."""
        for date_id, circle_id, when in await run_in_threadpool(self._read_upcoming, before):
            self.arm(circle_id, date_id, when)

    def _fire_soon(self, circle_id: uuid.UUID, date_id: uuid.UUID) -> None:
        self._timers.pop(date_id, None)
        task = asyncio.create_task(self._fire(circle_id, date_id))
        self._firing.add(task)
        task.add_done_callback(self._firing.discard)

    async def _fire(self, circle_id: uuid.UUID, date_id: uuid.UUID) -> None:
        def announce(work: UnitOfWork) -> datetime | None:
            return service.announce_due(work.session, date_id)

        try:
            look_again = await self._write_path.run(circle_id, announce)
        except Exception:
            logger.exception("the meeting of support date %s could not be announced; retrying", date_id)
            look_again = self._clock.now() + timedelta(seconds=_RETRY_SECONDS)
        if look_again is not None:
            self.arm(circle_id, date_id, look_again)

    async def _sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(self._sweep_seconds)
            try:
                await self.sweep(before=self._clock.now() + timedelta(seconds=2 * self._sweep_seconds))
            except Exception:
                logger.exception("support date sweep failed; will try again")

    def _read_upcoming(self, before: datetime | None) -> list[tuple[uuid.UUID, uuid.UUID, datetime]]:
        with self._database.read_session() as session:
            return repository.upcoming(session, before)
