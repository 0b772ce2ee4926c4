from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from circles.dependencies import PrincipalDep, SessionDep
from circles.errors import problem_responses
from circles.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery
from circles.records.support.models import SupportSignalPage, SupportSignalPublic, SupportStatus
from circles.support import service
from circles.support.views import support_page, support_view

router = APIRouter(prefix="/v1/circles/{circle_id}/support", tags=["support"])

StatusQuery = Annotated[
    SupportStatus | None, Query(description="Only the `pending` ones, or only the `acknowledged`; all when left out.")
]


@router.post("", status_code=201, responses=problem_responses(403, 404, 409))
def ask_for_support(circle_id: uuid.UUID, session: SessionDep, principal: PrincipalDep) -> SupportSignalPublic:
    """Ask, privately, for support (a participant, for themselves). Only the keepers' and the app's live
    sockets are told (a `support` frame); it is never an event, and only who and when is kept. It stays
    pending, and is sent again to every keeper's and app's socket that connects, until a keeper or the app
    acknowledges it."""
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


@router.post("/{support_id}/ack", responses=problem_responses(403, 404))
def acknowledge_support(
    circle_id: uuid.UUID, support_id: uuid.UUID, session: SessionDep, principal: PrincipalDep
) -> SupportSignalPublic:
    """Acknowledge a request for support (a keeper or the app): every keeper's and the app's socket is told
    (a `support_acknowledged` frame), so their screens stop showing it, and sockets that connect later are
    not sent it. Again, once acknowledged, it changes nothing and answers the request as it is."""
    return support_view(service.acknowledge(session, principal, circle_id, support_id))
