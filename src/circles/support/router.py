from __future__ import annotations

import uuid

from fastapi import APIRouter

from circles.dependencies import PrincipalDep, SessionDep
from circles.errors import problem_responses
from circles.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery
from circles.support import service
from circles.support.models import SupportSignalPage, SupportSignalPublic

router = APIRouter(prefix="/v1/circles/{circle_id}/support", tags=["support"])


@router.post("", status_code=201, responses=problem_responses(403, 404, 409))
def ask_for_support(circle_id: uuid.UUID, session: SessionDep, principal: PrincipalDep) -> SupportSignalPublic:
    """Ask, privately, for support (a participant, for themselves). Only the keepers' and the app's live
    sockets are told (a `support` frame); it is never an event, and only who and when is kept."""
    return SupportSignalPublic.model_validate(service.ask(session, principal, circle_id), from_attributes=True)


@router.get("", responses=problem_responses(403, 404))
def list_support_signals(
    circle_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    cursor: CursorQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> SupportSignalPage:
    """Who asked for support, and when, newest first (app or keeper)."""
    signals, next_cursor = service.page(session, principal, circle_id, cursor, limit)
    items = [SupportSignalPublic.model_validate(s, from_attributes=True) for s in signals]
    return SupportSignalPage(items=items, next_cursor=next_cursor)
