from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from circles.circle import service
from circles.circle.snapshot import CircleState, read_state, witnesses_among
from circles.circle.views import circle_page, circle_view
from circles.dependencies import NowDep, OnlineDep, PrincipalDep, SessionDep
from circles.errors import problem_responses
from circles.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery
from circles.records.circle.models import CircleCreate, CirclePage, CirclePublic, CircleUpdate

router = APIRouter(prefix="/v1/circles", tags=["circles"])


@router.post("", status_code=201, responses=problem_responses(403))
def create_circle(data: CircleCreate, session: SessionDep, principal: PrincipalDep) -> CirclePublic:
    """Create a circle (app key only)."""
    return circle_view(service.create(session, principal, data))


@router.get("", responses=problem_responses(403))
def list_circles(
    session: SessionDep, principal: PrincipalDep, cursor: CursorQuery = None, limit: LimitQuery = DEFAULT_LIMIT
) -> CirclePage:
    """The app's circles, oldest first."""
    circles, next_cursor = service.page(session, principal, cursor, limit)
    return circle_page(circles, next_cursor)


@router.get("/{circle_id}", responses=problem_responses(404))
def get_circle(circle_id: uuid.UUID, session: SessionDep, principal: PrincipalDep) -> CirclePublic:
    return circle_view(service.get(session, principal, circle_id))


@router.patch("/{circle_id}", responses=problem_responses(403, 404, 409))
def update_circle(
    circle_id: uuid.UUID, data: CircleUpdate, session: SessionDep, principal: PrincipalDep
) -> CirclePublic:
    """Change name, intention, agreements or timing (app or keeper)."""
    return circle_view(service.update(session, principal, circle_id, data))


@router.post("/{circle_id}/close", responses=problem_responses(403, 404, 409))
def close_circle(circle_id: uuid.UUID, session: SessionDep, principal: PrincipalDep) -> CirclePublic:
    """End any round, close the circle and its live connections (app or keeper)."""
    return circle_view(service.close(session, principal, circle_id))


@router.delete("/{circle_id}", status_code=204, response_class=Response, responses=problem_responses(403, 404))
def erase_circle(circle_id: uuid.UUID, session: SessionDep, principal: PrincipalDep) -> None:
    """Erase the circle and everything in it, its event log included (app only)."""
    service.erase(session, principal, circle_id)


@router.get("/{circle_id}/state", responses=problem_responses(404))
def get_state(
    circle_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, online: OnlineDep, now: NowDep
) -> CircleState:
    """The snapshot: everything a screen needs to draw the circle, as of `seq`."""
    circle = service.get(session, principal, circle_id)
    return read_state(session, circle, online, now, witnesses_online=witnesses_among(session, circle.id, online))
