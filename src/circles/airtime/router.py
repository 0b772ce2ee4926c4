from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from circles.airtime import service
from circles.airtime.models import GatheringAirtime, RoundAirtime, WindowEnd
from circles.dependencies import NowDep, PrincipalDep, SessionDep
from circles.errors import problem_responses

# Each route names its tag: a gathering's airtime is listed with the gatherings.
router = APIRouter(prefix="/v1/circles/{circle_id}")


@router.get("/rounds/{round_id}/airtime", tags=["airtime"], responses=problem_responses(403, 404))
def get_round_airtime(
    circle_id: uuid.UUID, round_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, now: NowDep
) -> RoundAirtime:
    """How long each person held the piece in the round (paused time excluded), how each turn ended, and
    how evenly the airtime was shared (app or keeper). Metadata only."""
    return service.for_round(session, principal, circle_id, round_id, now)


@router.get("/airtime", tags=["airtime"], responses=problem_responses(403, 404))
def get_airtime(
    circle_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    now: NowDep,
    since: Annotated[
        WindowEnd | None, Query(description="Rounds that started at or after this (with a time zone).")
    ] = None,
    until: Annotated[WindowEnd | None, Query(description="Rounds that started before this (with a time zone).")] = None,
) -> GatheringAirtime:
    """Airtime over a time window: the circle's rounds that started in [since, until) (both optional), per
    person and per round, with the balance of the whole (app or keeper). Metadata only. For a planned
    gathering's rounds, see /gatherings/{gathering_id}/airtime."""
    return service.for_window(session, principal, circle_id, since, until, now)


@router.get("/gatherings/{gathering_id}/airtime", tags=["gatherings"], responses=problem_responses(403, 404))
def get_gathering_airtime(
    circle_id: uuid.UUID, gathering_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, now: NowDep
) -> GatheringAirtime:
    """Airtime over the rounds a gathering started (app or keeper). Metadata only."""
    return service.for_planned_gathering(session, principal, circle_id, gathering_id, now)
