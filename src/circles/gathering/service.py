"""A gathering: plan its rounds, start the next one with one command, read the plan and its progress.

Starting the next planned round is starting a round (round_service.start) with the options the plan holds,
in the same transaction, and then marking the planned round started: both commit, or neither does.
"""

from __future__ import annotations

import uuid

from sqlmodel import Session

from circles import unit_of_work
from circles.access.principal import Principal, enter_circle, enter_open_circle
from circles.audit.repository import note_created
from circles.event import log as event_log
from circles.event.payloads import EventName, GatheringData
from circles.gathering.errors import GatheringComplete, GatheringNotFound, NotNextPlannedRound
from circles.records.circle.models import Circle
from circles.records.gathering import repository
from circles.records.gathering.models import (
    Gathering,
    GatheringCreate,
    GatheringNext,
    GatheringPublic,
    PlannedRound,
    PlannedRoundPublic,
)
from circles.records.round.models import RoundCreate, RoundWithTurns
from circles.round import service as round_service


def plan(session: Session, principal: Principal, circle_id: uuid.UUID, data: GatheringCreate) -> GatheringPublic:
    """Plan the circle's gathering (app or keeper); it replaces the current plan, whose started rounds stay
    as they are. Logged as `gathering.planned`."""
    access = enter_open_circle(session, principal, circle_id)
    access.require_keeper()
    now = unit_of_work.of(session).now
    previous = repository.current(session, access.circle.id)
    if previous is not None:
        previous.replaced_at = now
        session.add(previous)
        session.flush()  # one current gathering per circle: the old one stops being current first
    gathering = Gathering(circle_id=access.circle.id, created_at=now)
    session.add(gathering)
    session.flush()
    note_created(session, gathering.id)
    for position, step in enumerate(data.rounds):
        options = step.model_dump(mode="json", exclude_unset=True, exclude={"phase", "prompt"})
        session.add(
            PlannedRound(
                gathering_id=gathering.id,
                position=position,
                phase=step.phase,
                prompt=step.prompt,
                round_options=options,
            )
        )
    session.flush()
    return _logged(session, access.circle, gathering, EventName.GATHERING_PLANNED)


def current(session: Session, principal: Principal, circle_id: uuid.UUID) -> GatheringPublic:
    access = enter_circle(session, principal, circle_id)
    gathering = repository.current(session, access.circle.id)
    if gathering is None:
        raise GatheringNotFound()
    return public(session, gathering)


def start_next(
    session: Session, principal: Principal, circle_id: uuid.UUID, data: GatheringNext
) -> tuple[GatheringPublic, RoundWithTurns]:
    """Start the gathering's next planned round (app or keeper). Logged as the round's own events, then
    `gathering.advanced`."""
    access = enter_open_circle(session, principal, circle_id)
    access.require_keeper()
    gathering = repository.current(session, access.circle.id)
    if gathering is None:
        raise GatheringNotFound()
    step = next((row for row in repository.planned_rounds(session, gathering.id) if row.round_id is None), None)
    if step is None:
        raise GatheringComplete()
    if data.position is not None and data.position != step.position:
        raise NotNextPlannedRound()
    round_data = RoundCreate.model_validate({**step.round_options, "prompt": step.prompt})
    started = round_service.start(session, principal, circle_id, round_data)
    step.round_id, step.started_at = started.id, started.started_at
    session.add(step)
    session.flush()
    return _logged(session, access.circle, gathering, EventName.GATHERING_ADVANCED), started


def public(session: Session, gathering: Gathering) -> GatheringPublic:
    rounds = [
        PlannedRoundPublic.model_validate(row, from_attributes=True)
        for row in repository.planned_rounds(session, gathering.id)
    ]
    next_position = next((r.position for r in rounds if r.round_id is None), None)
    return GatheringPublic(
        id=gathering.id,
        circle_id=gathering.circle_id,
        created_at=gathering.created_at,
        next_position=next_position,
        rounds=rounds,
    )


def _logged(session: Session, circle: Circle, gathering: Gathering, name: EventName) -> GatheringPublic:
    view = public(session, gathering)
    event_log.append(session, circle, name, GatheringData(gathering=view), unit_of_work.of(session).now)
    return view
