"""What route functions are given: the request's session, who is asking, who is online, the time."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from circles.access.principal import Principal, authenticate
from circles.audit import recorder as audit_recorder
from circles.audit import repository as audit_repository
from circles.db import Database, utc_now
from circles.idempotency import repository as idempotency_repository

_bearer = HTTPBearer(auto_error=False, description="An app key (ck_…) or a participant token (cpt_…).")


def get_session(request: Request) -> Iterator[Session]:
    """Reads get a read-only snapshot; anything else a write session that commits once, before the
    response is sent (scope="function"), and rolls back if the route raises."""
    database: Database = request.app.state.database
    if request.method in ("GET", "HEAD"):
        with database.read_session() as session:
            yield session
    else:
        with database.write_session() as session:
            yield session
            state = request.scope.get("state", {})
            if (principal := state.get("principal")) is not None:  # who did what commits with what they did
                audit_repository.record(session, audit_recorder.entry_for(request, principal, session))
            if (claim := state.get("idempotency")) is not None:  # and with its Idempotency-Key, if it had one
                idempotency_repository.claim(session, claim)


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_principal(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    principal = authenticate(session, credentials.credentials if credentials else None)
    request.state.principal = principal  # for the audit entry the session writes with the change
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def get_online(request: Request, circle_id: uuid.UUID) -> set[uuid.UUID]:
    """The circle's participants with a live socket now, witnesses included (read on the event loop, where
    the hub lives)."""
    online: set[uuid.UUID] = await request.app.state.hub.everyone_online(circle_id)
    return online


OnlineDep = Annotated[set[uuid.UUID], Depends(get_online)]


def get_now() -> datetime:
    return utc_now()


NowDep = Annotated[datetime, Depends(get_now)]
