from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter

from circles.access.principal import require_app
from circles.audit import repository
from circles.audit.models import AuditEntryPublic, AuditPage
from circles.dependencies import PrincipalDep, SessionDep
from circles.errors import InvalidCursor, problem_responses
from circles.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, decode_cursor, encode_cursor

router = APIRouter(prefix="/v1/app/audit", tags=["audit"])


@router.get("", responses=problem_responses(403))
def list_audit_entries(
    session: SessionDep, principal: PrincipalDep, cursor: CursorQuery = None, limit: LimitQuery = DEFAULT_LIMIT
) -> AuditPage:
    """Who changed what in this app's circles, and when, newest first. Never content or credentials."""
    app_id = require_app(principal).app_id
    before = None
    if cursor is not None:
        at, entry_id = decode_cursor(cursor, 2)
        try:
            before = (datetime.fromisoformat(at), uuid.UUID(entry_id))
        except (TypeError, ValueError) as exc:
            raise InvalidCursor() from exc
    entries = repository.page_for_app(session, app_id, before, limit + 1)
    next_cursor = None
    if len(entries) > limit:
        entries = entries[:limit]
        next_cursor = encode_cursor([entries[-1].at.isoformat(), str(entries[-1].id)])
    return AuditPage(
        items=[AuditEntryPublic.model_validate(e, from_attributes=True) for e in entries], next_cursor=next_cursor
    )
