from __future__ import annotations

import uuid

from fastapi import APIRouter

from circles.dependencies import PrincipalDep, SessionDep
from circles.errors import problem_responses
from circles.gathering import service
from circles.records.gathering.models import GatheringAdvanced, GatheringCreate, GatheringNext, GatheringPublic

router = APIRouter(prefix="/v1/circles/{circle_id}", tags=["gatherings"])


@router.put("/gathering", responses=problem_responses(403, 404, 409))
def plan_gathering(
    circle_id: uuid.UUID, data: GatheringCreate, session: SessionDep, principal: PrincipalDep
) -> GatheringPublic:
    """Plan the gathering: its rounds (opening, check-in, rounds, check-out, closing) with their prompts and
    options, in order (app or keeper). Replaces the current plan; rounds it already started stay."""
    return service.plan(session, principal, circle_id, data)


@router.get("/gathering", responses=problem_responses(404))
def get_gathering(circle_id: uuid.UUID, session: SessionDep, principal: PrincipalDep) -> GatheringPublic:
    """The current gathering: its planned rounds, which have started, and which is next."""
    return service.current(session, principal, circle_id)


@router.post("/gathering/next", status_code=201, responses=problem_responses(403, 404, 409))
def start_next_planned_round(
    circle_id: uuid.UUID, data: GatheringNext, session: SessionDep, principal: PrincipalDep
) -> GatheringAdvanced:
    """Start the next planned round (app or keeper), as POST /rounds would with its planned options.
    409 while another round is unended, or when every planned round has started."""
    gathering, started = service.start_next(session, principal, circle_id, data)
    return GatheringAdvanced(gathering=gathering, round=started)
