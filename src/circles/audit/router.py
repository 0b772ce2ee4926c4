from __future__ import annotations

from fastapi import APIRouter

from circles.access.principal import require_app
from circles.audit import repository
from circles.audit.models import AuditEntryPublic, AuditPage
from circles.dependencies import PrincipalDep, SessionDep
from circles.errors import problem_responses
from circles.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery

router = APIRouter(prefix="/v1/app/audit", tags=["audit"])


@router.get("", responses=problem_responses(403))
def list_audit_entries(
    session: SessionDep, principal: PrincipalDep, cursor: CursorQuery = None, limit: LimitQuery = DEFAULT_LIMIT
) -> AuditPage:
    """Who changed what in this app's circles, and when, newest first. Never content or credentials."""
    entries, next_cursor = repository.page_for_app(session, require_app(principal).app_id, cursor, limit)
    return AuditPage(
        items=[AuditEntryPublic.model_validate(e, from_attributes=True) for e in entries], next_cursor=next_cursor
    )
