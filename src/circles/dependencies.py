"""What route functions are given: the request's session, who is asking, who is online, the time.

Routes that take `SessionDep` and `PrincipalDep` pay one threadpool trip per sync dependency and one for
the route itself (FastAPI runs each separately; the session's teardown is another). A hot write route can
instead be an `async def` that hands its whole command to `run_write`: one trip, in which the session
begins, the caller is authenticated, the command runs, the audit entry and Idempotency-Key are recorded,
the change commits and the answer is serialized.

Between those trips a request holds its pooled connection and no thread; that is safe because every /v1
request first takes a request slot on the event loop (`circles.writer_queue`, `Database.request_slot`), and the
pool keeps connections beyond the slots. The caller was authenticated before that (`circles.access.caller`);
`get_principal` and `run_write` authenticate again inside the request's own transaction, so a revocation that
commits meanwhile is honoured.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

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
            _record_with_change(request, session)


def _record_with_change(request: Request, session: Session) -> None:
    state = request.scope.get("state", {})
    entry: dict[str, Any] = {}
    if (principal := state.get("principal")) is not None:  # who did what commits with what they did
        entry = audit_recorder.entry_for(request, principal, session)
        audit_repository.record_values(session, entry)
    if (claim := state.get("idempotency")) is not None:  # and with its Idempotency-Key, if it had one,
        idempotency_repository.claim(session, claim, about=entry)  # naming the same circle, actor and object


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
CredentialsDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


async def run_write(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None,
    command: Callable[[Session, Principal], BaseModel | None],
    status_code: int = 200,
) -> Response:
    """A write route's whole work in one threadpool trip, as `get_session` and `get_principal` would do it:
    the answer (JSON, or no content for None) is sent only after the change has committed."""

    def write() -> bytes | None:
        database: Database = request.app.state.database
        with database.write_session() as session:
            principal = authenticate(session, credentials.credentials if credentials else None)
            request.state.principal = principal
            answer = command(session, principal)
            _record_with_change(request, session)
        return None if answer is None else answer.__pydantic_serializer__.to_json(answer)

    body = await run_in_threadpool(write)
    if body is None:
        return Response(status_code=status_code)
    return Response(content=body, status_code=status_code, media_type="application/json")


async def get_online(request: Request, circle_id: uuid.UUID) -> set[uuid.UUID]:
    """The circle's participants with a live socket now, witnesses included (read on the event loop, where
    the hub lives)."""
    online: set[uuid.UUID] = await request.app.state.hub.everyone_online(circle_id)
    return online


OnlineDep = Annotated[set[uuid.UUID], Depends(get_online)]


def get_now() -> datetime:
    return utc_now()


NowDep = Annotated[datetime, Depends(get_now)]
