from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from sqlmodel import Session

from circles.access.principal import Principal
from circles.dependencies import PrincipalDep, SessionDep, WriteDep, Written
from circles.errors import problem_responses
from circles.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery
from circles.records.support.models import SupportSignalPage, SupportSignalPublic, SupportStatus
from circles.support import service
from circles.support.views import support_page, support_view

# The writes are `async def` routes that hand their whole work to the write path (`WriteDep`: one threadpool
# trip each, as the round commands); `response_model` names what they answer for the documents.
router = APIRouter(prefix="/v1/circles/{circle_id}/support", tags=["support"])

StatusQuery = Annotated[
    SupportStatus | None, Query(description="Only the `pending` ones, or only the `acknowledged`; all when left out.")
]


@router.post("", status_code=201, responses=problem_responses(403, 404, 409), response_model=SupportSignalPublic)
async def ask_for_support(circle_id: uuid.UUID, write: WriteDep) -> Written[SupportSignalPublic]:
    """Ask, privately, for support (a participant, for themselves). Only the keepers' and the app's live
    sockets are told (a `support` frame); it is never an event, and only who and when is kept. It stays
    pending, and is sent again to every keeper's and app's socket that connects, until a keeper or the app
    acknowledges it."""
    return await write(_ask, circle_id)


def _ask(session: Session, principal: Principal, circle_id: uuid.UUID) -> SupportSignalPublic:
    return support_view(service.ask(session, principal, circle_id))


@router.get("", responses=problem_responses(403, 404))
def list_support_signals(
    circle_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    status: StatusQuery = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> SupportSignalPage:
    """Who asked for support, and when, newest first (app or keeper); `status=pending` for those no one has
    acknowledged yet."""
    signals, next_cursor = service.page(session, principal, circle_id, status, cursor, limit)
    return support_page(signals, next_cursor)


@router.post("/{support_id}/ack", responses=problem_responses(403, 404), response_model=SupportSignalPublic)
async def acknowledge_support(
    circle_id: uuid.UUID, support_id: uuid.UUID, write: WriteDep
) -> Written[SupportSignalPublic]:
    """Acknowledge a request for support (a keeper or the app): every keeper's and the app's socket is told
    (a `support_acknowledged` frame), so their screens stop showing it, and sockets that connect later are
    not sent it. Again, once acknowledged, it changes nothing and answers the request as it is."""
    return await write(_acknowledge, circle_id, support_id)


def _acknowledge(
    session: Session, principal: Principal, circle_id: uuid.UUID, support_id: uuid.UUID
) -> SupportSignalPublic:
    return support_view(service.acknowledge(session, principal, circle_id, support_id))
