"""Turning a successful write into its audit entry, inside the write's own transaction.

One builder (`entry`) for every way a write comes in; `entry_for_request` reads a REST request's part of it
(the action is the route's name, the object the most specific id its path names)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request

from circles.access.principal import AppPrincipal, Principal
from circles.http_headers import current_request_id
from circles.unit_of_work import UnitOfWork

# The most specific object a path names: a turn in a circle is "the turn", not "the circle".
_OBJECT_PARAMS = ("turn_id", "round_id", "participant_id", "key_id", "support_id", "date_id", "webhook_id")


def entry(
    work: UnitOfWork,
    principal: Principal,
    *,
    action: str,
    circle_id: uuid.UUID | None,
    object_id: uuid.UUID | None,
    request_id: str,
) -> dict[str, Any]:
    """The audit entry's column values (see `AuditEntry`), ready for `repository.record_values`: who did
    `action`, when the write acted, on what."""
    is_app = isinstance(principal, AppPrincipal)
    return {
        "id": uuid.uuid4(),
        "app_id": principal.app_id,
        "at": work.now,
        "actor": "app" if is_app else str(principal.role),  # type: ignore[union-attr]
        "actor_id": None if is_app else principal.participant_id,  # type: ignore[union-attr]
        "action": action,
        "circle_id": circle_id,
        "object_id": object_id,
        "request_id": request_id,
    }


def entry_for_request(request: Request, work: UnitOfWork, principal: Principal) -> dict[str, Any]:
    params = request.path_params
    circle_id = _uuid(params.get("circle_id")) or work.about_circle
    object_id = next((_uuid(params[name]) for name in _OBJECT_PARAMS if name in params), None)
    if object_id is None and work.created_id is not None:
        if circle_id is None and request.url.path.rstrip("/") == "/v1/circles":
            circle_id = work.created_id
        else:
            object_id = work.created_id
    endpoint = request.scope.get("endpoint")
    return entry(
        work,
        principal,
        action=getattr(endpoint, "__name__", request.method.lower()),
        circle_id=circle_id,
        object_id=object_id,
        request_id=current_request_id(),
    )


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value is not None else None
    except ValueError:
        return None
