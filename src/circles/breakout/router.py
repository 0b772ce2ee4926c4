from __future__ import annotations

import uuid

from fastapi import APIRouter

from circles.breakout import service
from circles.dependencies import PrincipalDep, SessionDep, WriteDep, Written
from circles.errors import problem_responses
from circles.records.breakout.models import BreakoutCreate, BreakoutPublic, BreakoutTurnFinish, GroupUpdate

# The commands are `async def` routes that hand their whole work to the write path (`WriteDep`), as the round
# commands do; `response_model` names what they answer for the documents.
router = APIRouter(prefix="/v1/circles/{circle_id}", tags=["breakouts"])

_COMMAND_PROBLEMS = problem_responses(403, 404, 409)


@router.post("/breakouts", status_code=201, responses=_COMMAND_PROBLEMS, response_model=BreakoutPublic)
async def start_breakout(circle_id: uuid.UUID, data: BreakoutCreate, write: WriteDep) -> Written[BreakoutPublic]:
    """Split the present keepers and members into pairs (or threes) (app or keeper): each group's first
    speaker holds the piece at once, for `seconds_each`. Witnesses are not grouped; with `keepers_float`,
    keepers stay out. Refused (409) while a round or another breakout is under way."""
    return await write(service.start, circle_id, data)


@router.get("/breakouts/{breakout_id}", responses=problem_responses(404))
def get_breakout(
    circle_id: uuid.UUID, breakout_id: uuid.UUID, session: SessionDep, principal: PrincipalDep
) -> BreakoutPublic:
    """The breakout: its groups, who is in each, whose turn it is there, and every turn so far."""
    return service.get(session, principal, circle_id, breakout_id)


@router.post("/breakouts/{breakout_id}/end", responses=_COMMAND_PROBLEMS, response_model=BreakoutPublic)
async def end_breakout(circle_id: uuid.UUID, breakout_id: uuid.UUID, write: WriteDep) -> Written[BreakoutPublic]:
    """Bring everyone back to the circle now (app or keeper); open turns end `ended`."""
    return await write(service.end, circle_id, breakout_id)


@router.post("/breakout-turns/{turn_id}/finish", responses=_COMMAND_PROBLEMS, response_model=BreakoutPublic)
async def finish_breakout_turn(
    circle_id: uuid.UUID, turn_id: uuid.UUID, data: BreakoutTurnFinish, write: WriteDep
) -> Written[BreakoutPublic]:
    """End one's own turn in one's group as `spoke` or `passed` (a keeper or the app may end anyone's); the
    piece passes to the next in the group. Once that turn is no longer open this answers 409."""
    return await write(service.finish_turn, circle_id, turn_id, data.outcome)


@router.patch("/breakout-groups/{group_id}", responses=_COMMAND_PROBLEMS, response_model=BreakoutPublic)
async def update_breakout_group(
    circle_id: uuid.UUID, group_id: uuid.UUID, data: GroupUpdate, write: WriteDep
) -> Written[BreakoutPublic]:
    """Set the group's `external_ref` (the app only), e.g. the Zoom breakout room it maps to."""
    return await write(service.set_external_ref, circle_id, group_id, data)
