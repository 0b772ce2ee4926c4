"""What route functions are given: the request's unit of work or read session, who is asking, who is online, the time.

Every write takes the one path of `circles.unit_of_work`. A write route is an `async def` that hands its whole
command to `WriteDep`: one threadpool trip, in which the unit of work begins, the caller is authenticated, the
command runs, the audit entry and Idempotency-Key are recorded, the change commits and the answer is
serialized. The write's online snapshot is read on the event loop first (`WritePath`), after the request's
writer turn (`circles.writer_queue`), and never from the worker thread.

A read route takes `SessionDep` (a read-only snapshot) and `PrincipalDep`, and pays one threadpool trip per
sync dependency and one for the route itself (FastAPI runs each separately; the session's teardown is
another). Between those trips a request holds its pooled connection and no thread; that is safe because every
/v1 request first takes a request slot on the event loop (`circles.writer_queue`, `Database.request_slot`),
and the pool keeps connections beyond the slots. The caller was authenticated before that
(`circles.access.caller`); `get_principal` and `WriteDep` authenticate again inside the request's own
transaction, so a revocation that commits meanwhile is honoured.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Annotated, Concatenate, Generic, ParamSpec, TypeVar

from fastapi import Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlmodel import Session

from circles.access.principal import Principal, authenticate
from circles.audit import recorder as audit_recorder
from circles.audit import repository as audit_repository
from circles.clock import Clock
from circles.db import Database
from circles.idempotency import repository as idempotency_repository
from circles.unit_of_work import UnitOfWork
from circles.write_path import WritePath

_bearer = HTTPBearer(auto_error=False, description="An app key (ck_…) or a participant token (cpt_…).")

Answer = TypeVar("Answer", bound=BaseModel | None)
P = ParamSpec("P")


def get_session(request: Request) -> Iterator[Session]:
    """A read-only snapshot, for a read route (every write goes through `WriteDep`)."""
    database: Database = request.app.state.database
    with database.read_session() as session:
        yield session


def _record_with_change(request: Request, work: UnitOfWork) -> None:
    entry = None
    if work.principal is not None:  # who did what commits with what they did
        entry = audit_recorder.entry_for_request(request, work, work.principal)
        audit_repository.record_values(work.session, entry)
    if (claim := request.scope.get("state", {}).get("idempotency")) is not None:  # and with its Idempotency-Key,
        idempotency_repository.claim(work.session, claim, about=entry or {})  # naming the same circle and object


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_principal(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    return authenticate(session, credentials.credentials if credentials else None)


PrincipalDep = Annotated[Principal, Depends(get_principal)]
CredentialsDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


class Written(Response, Generic[Answer]):
    """A write route's answer, already serialized in the write's own thread: the route's `response_model`
    names the model for the documents, and this type says the route answers with that model."""


class RouteWrite:
    """A write route's whole work in one threadpool trip: the unit of work begins, the caller is
    authenticated, `command(session, principal, *args)` runs, the audit entry and Idempotency-Key are
    recorded, the change commits and the answer is serialized. It is sent (JSON with the route's status
    code, or no content for None) only after the commit.

    `witnesses`: the unit of work's online snapshot names the circle's witnesses too (as a socket command's
    does), for an answer that says who is online (`UnitOfWork.online_in`)."""

    def __init__(
        self, request: Request, credentials: HTTPAuthorizationCredentials | None, *, witnesses: bool = False
    ) -> None:
        self._request = request
        self._token = credentials.credentials if credentials else None
        self._witnesses = witnesses

    async def __call__(
        self, command: Callable[Concatenate[Session, Principal, P], Answer], /, *args: P.args, **kwargs: P.kwargs
    ) -> Written[Answer]:
        request = self._request

        def write(work: UnitOfWork) -> bytes | None:
            work.principal = authenticate(work.session, self._token)
            answer = command(work.session, work.principal, *args, **kwargs)
            _record_with_change(request, work)
            return None if answer is None else answer.__pydantic_serializer__.to_json(answer)

        write_path: WritePath = request.app.state.write_path
        body = await write_path.run(  # WriterQueue holds the turn
            _circle_id(request), write, turn_held=True, witnesses=self._witnesses
        )
        status_code = request.scope["route"].status_code or 200
        if body is None:
            return Written(status_code=status_code)
        return Written(content=body, status_code=status_code, media_type="application/json")


async def get_route_write(request: Request, credentials: CredentialsDep) -> RouteWrite:
    return RouteWrite(request, credentials)


async def get_route_write_seeing_everyone(request: Request, credentials: CredentialsDep) -> RouteWrite:
    return RouteWrite(request, credentials, witnesses=True)


WriteDep = Annotated[RouteWrite, Depends(get_route_write)]
WriteSeeingEveryoneDep = Annotated[RouteWrite, Depends(get_route_write_seeing_everyone)]
"""For a write whose answer says who is online, witnesses included (participant views)."""


def _circle_id(request: Request) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(request.path_params["circle_id"]))
    except (KeyError, ValueError):
        return None


async def get_online(request: Request, circle_id: uuid.UUID) -> set[uuid.UUID]:
    """The circle's participants with a live socket now, witnesses included (read on the event loop, where
    the hub lives)."""
    online: set[uuid.UUID] = await request.app.state.hub.everyone_online(circle_id)
    return online


OnlineDep = Annotated[set[uuid.UUID], Depends(get_online)]


def get_now(request: Request) -> datetime:
    clock: Clock = request.app.state.clock
    return clock.now()


NowDep = Annotated[datetime, Depends(get_now)]
