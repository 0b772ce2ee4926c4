from __future__ import annotations

import uuid

from fastapi import APIRouter, Response
from sqlmodel import Session

from circles.access.principal import Principal, require_app
from circles.dependencies import PrincipalDep, SessionDep, WriteDep, Written
from circles.errors import problem_responses
from circles.records.tenant import repository
from circles.records.tenant.models import AppKeyCreated, AppKeyPage, AppKeyPublic
from circles.tenant import service

# The writes are `async def` routes that hand their whole work to the write path (`WriteDep`: one threadpool
# trip each, as the round commands); `response_model` names what they answer for the documents.
router = APIRouter(prefix="/v1/app/keys", tags=["app keys"])


@router.get("", responses=problem_responses(403))
def list_keys(session: SessionDep, principal: PrincipalDep) -> AppKeyPage:
    """The app's keys (never the keys themselves: only their ids and dates)."""
    keys = repository.keys_of(session, require_app(principal).app_id)
    return AppKeyPage(items=[AppKeyPublic.model_validate(k, from_attributes=True) for k in keys])


@router.post("", status_code=201, responses=problem_responses(403), response_model=AppKeyCreated)
async def create_key(write: WriteDep) -> Written[AppKeyCreated]:
    """A new key for the app, shown once. To rotate: create one, switch to it, revoke the old one."""
    return await write(_create_key)


def _create_key(session: Session, principal: Principal) -> AppKeyCreated:
    app_key, key = service.add_key(session, require_app(principal).app_id)
    return AppKeyCreated.model_validate(app_key, from_attributes=True, update={"key": key})


@router.delete(
    "/{key_id}",
    status_code=204,
    response_class=Response,
    response_model=None,
    responses=problem_responses(403, 404, 409),
)
async def revoke_key(key_id: uuid.UUID, write: WriteDep) -> Written[None]:
    """Revoke a key: it stops working at once and the live sockets opened with it are closed (4401)."""
    return await write(_revoke_key, key_id)


def _revoke_key(session: Session, principal: Principal, key_id: uuid.UUID) -> None:
    service.revoke_key(session, require_app(principal).app_id, key_id)
