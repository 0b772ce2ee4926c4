from __future__ import annotations

import uuid

from fastapi import APIRouter, Response
from sqlmodel import Session

from circles.access.principal import Principal
from circles.circle import service
from circles.circle.snapshot import CircleState, read_state, witnesses_among
from circles.circle.views import circle_page, circle_view
from circles.dependencies import NowDep, OnlineDep, PrincipalDep, SessionDep, WriteDep, Written
from circles.errors import problem_responses
from circles.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery
from circles.records.circle.models import CircleCreate, CirclePage, CirclePublic, CircleUpdate

# The writes are `async def` routes that hand their whole work to the write path (`WriteDep`: one threadpool
# trip each, as the round commands); `response_model` names what they answer for the documents.
router = APIRouter(prefix="/v1/circles", tags=["circles"])


@router.post("", status_code=201, responses=problem_responses(403), response_model=CirclePublic)
async def create_circle(data: CircleCreate, write: WriteDep) -> Written[CirclePublic]:
    """Create a circle (app key only)."""
    return await write(_create, data)


def _create(session: Session, principal: Principal, data: CircleCreate) -> CirclePublic:
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


@router.patch("/{circle_id}", responses=problem_responses(403, 404, 409), response_model=CirclePublic)
async def update_circle(circle_id: uuid.UUID, data: CircleUpdate, write: WriteDep) -> Written[CirclePublic]:
    """Change name, intention, agreements or timing (app or keeper)."""
    return await write(_update, circle_id, data)


def _update(session: Session, principal: Principal, circle_id: uuid.UUID, data: CircleUpdate) -> CirclePublic:
    return circle_view(service.update(session, principal, circle_id, data))


@router.post("/{circle_id}/close", responses=problem_responses(403, 404, 409), response_model=CirclePublic)
async def close_circle(circle_id: uuid.UUID, write: WriteDep) -> Written[CirclePublic]:
    """End any round, close the circle and its live connections (app or keeper)."""
    return await write(_close, circle_id)


def _close(session: Session, principal: Principal, circle_id: uuid.UUID) -> CirclePublic:
    return circle_view(service.close(session, principal, circle_id))


@router.delete(
    "/{circle_id}",
    status_code=204,
    response_class=Response,
    response_model=None,
    responses=problem_responses(403, 404),
)
async def erase_circle(circle_id: uuid.UUID, write: WriteDep) -> Written[None]:
    """Erase the circle and everything in it, its event log included (app only)."""
    return await write(service.erase, circle_id)


@router.get("/{circle_id}/state", responses=problem_responses(404))
def get_state(
    circle_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, online: OnlineDep, now: NowDep
) -> CircleState:
    """The snapshot: everything a screen needs to draw the circle, as of `seq`."""
    circle = service.get(session, principal, circle_id)
    return read_state(session, circle, online, now, witnesses_online=witnesses_among(session, circle.id, online))
