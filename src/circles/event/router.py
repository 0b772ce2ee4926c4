from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from circles.access.principal import enter_circle
from circles.dependencies import PrincipalDep, SessionDep
from circles.errors import problem_responses
from circles.event import log as event_log
from circles.event.models import EventPage
from circles.pagination import MAX_LIMIT, MAX_SEQ

router = APIRouter(prefix="/v1/circles/{circle_id}", tags=["events"])


@router.get("/events", responses=problem_responses(404))
def list_events(
    circle_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    after: Annotated[int, Query(ge=0, le=MAX_SEQ, description="Send the events after this seq.")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = MAX_LIMIT,
) -> EventPage:
    """The circle's event log after `after`, oldest first."""
    return event_log.page_after(session, enter_circle(session, principal, circle_id).circle, after, limit)
