"""Breakout timers: each speaker's hard limit, and the breakout's `ends_at`.

One timer per breakout, at the earliest moment anything in it is due (`circles.deadline_timers`). Armed from
the events the hub's listeners take, rebuilt from the database at start and backed by a periodic sweep, as the
round's deadlines (`circles.round.deadlines`). Firing runs `breakout.service.expire` on the write path under
the circle's lock, which acts only on what is due: a deadline fires exactly once however many timers or
instances reach it.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session

from circles.breakout import service
from circles.deadline_timers import Arming, DeadlineTimers
from circles.event.payloads import BreakoutData, BreakoutGroupData, EventName, LoggedEvent
from circles.metrics.instruments import DEADLINES_ARMED, DEADLINES_FIRED
from circles.records.breakout import repository
from circles.unit_of_work import UnitOfWork
from circles.write_path import WritePath


class BreakoutDeadlines(DeadlineTimers):
    def __init__(self, write_path: WritePath, sweep_seconds: float) -> None:
        super().__init__(
            write_path,
            sweep_seconds,
            sweep_name="breakout-deadline-sweep",
            retry_seconds=1.0,
            arming=Arming.EARLIER,  # the groups' speakers and `ends_at` share the timer: firing looks again
            armed=DEADLINES_ARMED,
            fired=DEADLINES_FIRED,
        )

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

    def due(self, session: Session, before: datetime | None) -> list[tuple[uuid.UUID, uuid.UUID, datetime]]:
        return repository.due(session, before)

    def fire(self, work: UnitOfWork, circle_id: uuid.UUID, key: uuid.UUID) -> datetime | None:
        return service.expire(work.session, circle_id, key)
