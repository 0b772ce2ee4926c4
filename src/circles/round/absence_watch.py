"""Absence rounds, from the hub's side: when who is online in a circle changes, the round takes note.

A presence listener (see `circles.live.circle_presence.CirclePresence`): the holder's last connection dropping
marks their turn away for the grace period, and their coming back clears it (round_service
.presence_changed, under the circle's lock, in a unit of work whose online snapshot was read on the event
loop before it began: see `circles.unit_of_work`). Two changes applied at once may commit in the other order
than they read who is online, so after each the watch reads again, and applies again until what it applied
is still who is online. The end of the grace is a per-turn time like a deadline:
`DeadlineScheduler` arms it from `turn.away`, and its sweep finds it after a restart.

Most circles have no absence round going, and a storm of reconnects is thousands of presence changes a
second, so a circle found without one is not asked again for `QUIET_SECONDS`, unless a round starts in it
meanwhile (`on_event`, a hub listener, forgets the answer at once).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from datetime import timedelta

from starlette.concurrency import run_in_threadpool

from circles.background_tasks import wait_for_tasks
from circles.event.payloads import EventName, LoggedEvent
from circles.records.round import repository
from circles.round import service as round_service
from circles.unit_of_work import UnitOfWork
from circles.write_path import WritePath

logger = logging.getLogger(__name__)

QUIET_SECONDS = 2.0  # how long "this circle has no absence round" is believed without asking again
_SETTLE_ATTEMPTS = 5  # applications after the first, while who is online keeps changing under it


class AbsenceWatch:
    def __init__(self, write_path: WritePath, grace_seconds: float) -> None:
        self._write_path = write_path
        self._database = write_path.database
        self._grace = timedelta(seconds=grace_seconds)
        self._working: set[asyncio.Future[None]] = set()
        self._stopped = False
        self._quiet_until: dict[uuid.UUID, float] = {}  # circles found with no absence round, until when
        self._rounds_started = 0  # anywhere: an answer read while one started is not kept

    async def start(self) -> None:
        """At start, look at every absence round in progress: a holder with no live connection anywhere
        (after a restart, until they reconnect) is marked away, with the grace to come back."""
        try:
            circle_ids = await run_in_threadpool(self._circles_with_absence_rounds)
        except Exception:
            logger.exception("absence rounds in progress could not be read at start")
            return
        for circle_id in circle_ids:
            await self.on_presence(circle_id)

    def _circles_with_absence_rounds(self) -> list[uuid.UUID]:
        with self._database.read_session() as session:
            return repository.circles_with_absence_rounds(session)

    async def stop(self) -> None:
        """Take no more changes, and wait for those being applied (their threads are not abandoned)."""
        self._stopped = True
        await wait_for_tasks(self._working)

    async def on_presence(self, circle_id: uuid.UUID) -> None:
        if self._stopped:
            return
        work = asyncio.ensure_future(self._apply(circle_id))
        self._working.add(work)
        work.add_done_callback(self._working.discard)
        try:
            await asyncio.shield(work)
        except Exception:  # the grace's timer and the next presence change still come
            logger.exception("circle %s: a change in who is online could not be applied to its round", circle_id)

    def on_event(self, event: LoggedEvent) -> None:
        """A hub listener: a round starting may be an absence round, so the circle is asked again."""
        if event.name is EventName.ROUND_STARTED:
            self._rounds_started += 1
            self._quiet_until.pop(event.circle_id, None)

    async def _apply(self, circle_id: uuid.UUID) -> None:
        """Most circles have no absence round going: a plain read says so, with no write and no writer turn."""
        now, rounds_started = time.monotonic(), self._rounds_started
        if self._quiet_until.get(circle_id, 0.0) > now:
            return
        if not await run_in_threadpool(self._in_progress, circle_id):
            if rounds_started != self._rounds_started:
                return  # a round started while we asked: the answer may be stale already
            if len(self._quiet_until) > 10_000:
                self._quiet_until = {c: until for c, until in self._quiet_until.items() if until > now}
            self._quiet_until[circle_id] = now + QUIET_SECONDS
            return
        self._quiet_until.pop(circle_id, None)

        def apply(work: UnitOfWork) -> frozenset[uuid.UUID] | None:
            round_service.presence_changed(work.session, circle_id, self._grace)
            return work.online_in(circle_id)  # what it applied (None: it read no one, and changed nothing)

        applied = await self._write_path.run(circle_id, apply)
        for _ in range(_SETTLE_ATTEMPTS):
            now_online = await self._write_path.snapshot(circle_id)
            if applied is None or now_online is None or now_online.participants == applied:
                return
            applied = await self._write_path.run(circle_id, apply)

    def _in_progress(self, circle_id: uuid.UUID) -> bool:
        with self._database.read_session() as session:
            return repository.absence_round_in_progress(session, circle_id)
