"""Turning a successful write request into its audit entry, inside the request's own transaction."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request
from sqlmodel import Session

from circles.access.principal import AppPrincipal, Principal
from circles.audit.repository import created_in
from circles.db import utc_now
from circles.http_headers import current_request_id

# The most specific object a path names: a turn in a circle is "the turn", not "the circle".
_OBJECT_PARAMS = ("turn_id", "round_id", "participant_id", "key_id", "support_id")


def entry_for(request: Request, principal: Principal, session: Session) -> dict[str, Any]:
    """The audit entry's column values (see `AuditEntry`), ready for `repository.record_values`."""
    params = request.path_params
    created = created_in(session)
    circle_id = _uuid(params.get("circle_id"))
    object_id = next((_uuid(params[name]) for name in _OBJECT_PARAMS if name in params), None)
    if object_id is None and created is not None:
        if circle_id is None and request.url.path.rstrip("/") == "/v1/circles":
            circle_id = created
        else:
            object_id = created
    endpoint = request.scope.get("endpoint")
    is_app = isinstance(principal, AppPrincipal)
    return {
        "id": uuid.uuid4(),
        "app_id": principal.app_id,
        "at": utc_now(),
        "actor": "app" if is_app else str(principal.role),  # type: ignore[union-attr]
        "actor_id": None if is_app else principal.participant_id,  # type: ignore[union-attr]
        "action": getattr(endpoint, "__name__", request.method.lower()),
        "circle_id": circle_id,
        "object_id": object_id,
        "request_id": current_request_id(),
    }


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value is not None else None
    except ValueError:
        return None
