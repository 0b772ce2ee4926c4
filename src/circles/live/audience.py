"""The audience frame: how many witnesses a circle has and how many are listening, coalesced.

Witnesses are counted, not announced one by one: a witness's socket coming or going marks the circle's
audience changed, and its sockets get one `audience` frame with the figures. Per circle at most one frame
goes out per interval: the first change after a quiet interval goes out at once; changes within the
interval wait for its end and go out as one frame read then, so the last change is never lost. A frame goes
out only when its figures differ from the last one sent.

How many witnesses are seated is read from the database, and only again after a seating change
(`seating_changed`); how many are online is read from the presence board each time (a count, not a list).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AudienceFigures:
    witnesses: int  # seated now
    online: int  # of them, with a live socket on any instance


CountSeated = Callable[[uuid.UUID], Awaitable[int]]
CountOnline = Callable[[uuid.UUID], Awaitable[int]]
SendFigures = Callable[[uuid.UUID, AudienceFigures], None]
Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


@dataclass
class _CircleAudience:
    changed: bool = False
    seated: int | None = None  # None: read it (again) from the database
    seating_version: int = 0  # bumped by each seating change, so a count read across one is not kept
    last_sent: AudienceFigures = AudienceFigures(witnesses=0, online=0)  # a circle without an audience hears nothing
    last_sent_at: float | None = None
    task: asyncio.Task[None] | None = None


class AudienceCoalescer:
    def __init__(
        self,
        interval: float,
        count_seated: CountSeated,
        count_online: CountOnline,
        send: SendFigures,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.interval = interval
        self._count_seated = count_seated
        self._count_online = count_online
        self._send = send
        self._clock = clock
        self._sleep = sleep
        self._circles: dict[uuid.UUID, _CircleAudience] = {}

    def changed(self, circle_id: uuid.UUID) -> None:
        """Someone in the audience may have come or gone: send the figures soon (if they changed)."""
        circle = self._circles.setdefault(circle_id, _CircleAudience())
        circle.changed = True
        if circle.task is None or circle.task.done():
            circle.task = asyncio.get_running_loop().create_task(self._send_when_due(circle_id, circle))

    def seating_changed(self, circle_id: uuid.UUID) -> None:
        """Someone was seated, left or changed role: count the seated witnesses again."""
        if (circle := self._circles.get(circle_id)) is not None:
            circle.seated = None
            circle.seating_version += 1
        self.changed(circle_id)

    def last_sent(self, circle_id: uuid.UUID) -> AudienceFigures | None:
        circle = self._circles.get(circle_id)
        return circle.last_sent if circle is not None else None

    def forget(self, circle_id: uuid.UUID) -> None:
        """The circle has no sockets here any more."""
        circle = self._circles.pop(circle_id, None)
        if circle is not None and circle.task is not None:
            circle.task.cancel()

    async def _send_when_due(self, circle_id: uuid.UUID, circle: _CircleAudience) -> None:
        while circle.changed:
            if circle.last_sent_at is not None:
                wait = circle.last_sent_at + self.interval - self._clock()
                if wait > 0:
                    await self._sleep(wait)
            circle.changed = False  # a change from here on is read again after this send
            try:
                figures = await self._read(circle_id, circle)
            except Exception:
                logger.exception("circle %s: the audience could not be counted; will try again", circle_id)
                circle.changed = True
                circle.last_sent_at = self._clock()  # try again after an interval, not at once
                continue
            if figures != circle.last_sent and self._circles.get(circle_id) is circle:
                circle.last_sent = figures
                circle.last_sent_at = self._clock()
                self._send(circle_id, figures)

    async def _read(self, circle_id: uuid.UUID, circle: _CircleAudience) -> AudienceFigures:
        seated = circle.seated
        if seated is None:
            asked_at = circle.seating_version
            seated = await self._count_seated(circle_id)
            if circle.seating_version == asked_at:
                circle.seated = seated
        return AudienceFigures(witnesses=seated, online=await self._count_online(circle_id))
