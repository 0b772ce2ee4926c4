"""Deadline timers: a hard limit ends the turn `timed_out` at its deadline; a soft one announces overtime;
in an absence round, an away holder not back by `away_until` ends `absent`.

Timers are armed from the events the hub's listeners take (turn.started, round.resumed), rebuilt from the
database at start, and backed by a periodic sweep of the database, so a restart mid-turn loses no deadline
(`circles.deadline_timers`, one timer per turn). Timers are armed on the app's clock (`circles.clock`). Firing
runs round_service.expire_turn in a unit of work, on the write path every write takes (`circles.unit_of_work`),
under the circle's lock, which acts at most once per deadline.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session

from circles.deadline_timers import Arming, DeadlineTimers
from circles.event.payloads import EventName, LoggedEvent, RoundResumedData, TurnData
from circles.metrics.instruments import DEADLINES_ARMED, DEADLINES_FIRED
from circles.records.round import repository
from circles.records.round.models import TurnPublic
from circles.round import service as round_service
from circles.unit_of_work import UnitOfWork
from circles.write_path import WritePath


class DeadlineScheduler(DeadlineTimers):
    def __init__(self, write_path: WritePath, sweep_seconds: float) -> None:
        super().__init__(
            write_path,
            sweep_seconds,
            sweep_name="deadline-sweep",
            retry_seconds=1.0,
            arming=Arming.MOVE,  # a turn accepted or resumed has a later deadline than the one armed before
            armed=DEADLINES_ARMED,
            fired=DEADLINES_FIRED,
        )

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

    def due(self, session: Session, before: datetime | None) -> list[tuple[uuid.UUID, uuid.UUID, datetime]]:
        return repository.due_deadlines(session, before)

    def fire(self, work: UnitOfWork, circle_id: uuid.UUID, key: uuid.UUID) -> datetime | None:
        return round_service.expire_turn(work.session, circle_id, key)
