from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from circles.access.principal import require_app
from circles.dependencies import PrincipalDep, SessionDep
from circles.errors import problem_responses
from circles.records.tenant import repository
from circles.records.tenant.models import AppKeyCreated, AppKeyPage, AppKeyPublic
from circles.tenant import service

router = APIRouter(prefix="/v1/app/keys", tags=["app keys"])


@router.get("", responses=problem_responses(403))
def list_keys(session: SessionDep, principal: PrincipalDep) -> AppKeyPage:
    """The app's keys (never the keys themselves: only their ids and dates)."""
    keys = repository.keys_of(session, require_app(principal).app_id)
    return AppKeyPage(items=[AppKeyPublic.model_validate(k, from_attributes=True) for k in keys])


@router.post("", status_code=201, responses=problem_responses(403))
def create_key(session: SessionDep, principal: PrincipalDep) -> AppKeyCreated:
    """A new key for the app, shown once. To rotate: create one, switch to it, revoke the old one."""
    app_key, key = service.add_key(session, require_app(principal).app_id)
    return AppKeyCreated.model_validate(app_key, from_attributes=True, update={"key": key})


@router.delete("/{key_id}", status_code=204, response_class=Response, responses=problem_responses(403, 404, 409))
def revoke_key(key_id: uuid.UUID, session: SessionDep, principal: PrincipalDep) -> None:
    """Revoke a key: it stops working at once and the live sockets opened with it are closed (4401)."""
    service.revoke_key(session, require_app(principal).app_id, key_id)
