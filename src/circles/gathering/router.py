from __future__ import annotations

import uuid

from fastapi import APIRouter
from sqlmodel import Session

from circles.access.principal import Principal
from circles.dependencies import PrincipalDep, SessionDep, WriteDep, Written
from circles.errors import problem_responses
from circles.gathering import service
from circles.records.gathering.models import GatheringAdvanced, GatheringCreate, GatheringNext, GatheringPublic

# The writes are `async def` routes that hand their whole work to the write path (`WriteDep`: one threadpool
# trip each, as the round commands); `response_model` names what they answer for the documents.
router = APIRouter(prefix="/v1/circles/{circle_id}", tags=["gatherings"])


@router.put("/gathering", responses=problem_responses(403, 404, 409), response_model=GatheringPublic)
async def plan_gathering(circle_id: uuid.UUID, data: GatheringCreate, write: WriteDep) -> Written[GatheringPublic]:
    """Plan the gathering: its rounds (opening, check-in, rounds, check-out, closing) with their prompts and
    options, in order (app or keeper). Replaces the current plan; rounds it already started stay."""
    return await write(service.plan, circle_id, data)


@router.get("/gathering", responses=problem_responses(404))
def get_gathering(circle_id: uuid.UUID, session: SessionDep, principal: PrincipalDep) -> GatheringPublic:
    """The current gathering: its planned rounds, which have started, and which is next."""
    return service.current(session, principal, circle_id)


@router.post(
    "/gathering/next", status_code=201, responses=problem_responses(403, 404, 409), response_model=GatheringAdvanced
)
async def start_next_planned_round(
    circle_id: uuid.UUID, data: GatheringNext, write: WriteDep
) -> Written[GatheringAdvanced]:
    """Start the next planned round (app or keeper), as POST /rounds would with its planned options.
    409 while another round is unended, or when every planned round has started."""
    return await write(_start_next, circle_id, data)


def _start_next(session: Session, principal: Principal, circle_id: uuid.UUID, data: GatheringNext) -> GatheringAdvanced:
    gathering, started = service.start_next(session, principal, circle_id, data)
    return GatheringAdvanced(gathering=gathering, round=started)
