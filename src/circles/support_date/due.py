"""Announcing a support date's meetings: `support_date.due` in the date's log when a meeting is due.

As the deadline timers do (`circles.deadline_timers`): a timer on the app's clock for each date's next
meeting, armed from the events the hub's listeners take (support_date.created, support_date.due carry the
next one), rebuilt from the database at start and backed by a periodic sweep, so a restart or another
instance's date loses none. Firing runs `service.announce_due` on the write path under the date's circle
lock, and its key (date, meeting) makes the announcement once per meeting, however many instances fire.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session

from circles.deadline_timers import Arming, DeadlineTimers
from circles.event.payloads import EventName, LoggedEvent, SupportDateData, SupportDateDueData
from circles.metrics.instruments import DEADLINES_ARMED, DEADLINES_FIRED
from circles.records.support_date import repository
from circles.support_date import service
from circles.unit_of_work import UnitOfWork
from circles.write_path import WritePath


class DueWatch(DeadlineTimers):
    def __init__(self, write_path: WritePath, sweep_seconds: float) -> None:
        super().__init__(
            write_path,
            sweep_seconds,
            sweep_name="support-date-due-sweep",
            retry_seconds=5.0,
            arming=Arming.CHANGED,
            armed=DEADLINES_ARMED,
            fired=DEADLINES_FIRED,
        )

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

    def due(self, session: Session, before: datetime | None) -> list[tuple[uuid.UUID, uuid.UUID, datetime]]:
        return [(circle_id, date_id, when) for date_id, circle_id, when in repository.upcoming(session, before)]

    def fire(self, work: UnitOfWork, circle_id: uuid.UUID, key: uuid.UUID) -> datetime | None:
        return service.announce_due(work.session, key)
