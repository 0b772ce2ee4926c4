"""/livez and /readyz, for load balancers and orchestrators (no credential; nothing about circles)."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from circles.db import Database

router = APIRouter(tags=["health"])

_CHECK_TIMEOUT_SECONDS = 2.0


class Liveness(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str  # "ready" or "unready"
    draining: bool
    database: bool
    broker: bool


@router.get("/livez", response_model=Liveness)
async def livez() -> Liveness:
    """The process is up and its event loop answers."""
    return Liveness(status="ok")


@router.get(
    "/readyz",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "Not ready: draining, or a dependency is unreachable."}},
)
async def readyz(request: Request) -> JSONResponse:
    """Ready for traffic: not shutting down, and the database and the broker answer."""
    state = request.app.state
    database_ok, broker_ok = await asyncio.gather(_database_serves(state.database), state.broker.ping())
    draining = bool(getattr(state, "draining", False))
    ready = database_ok and broker_ok and not draining
    body = Readiness(status="ready" if ready else "unready", draining=draining, database=database_ok, broker=broker_ok)
    return JSONResponse(body.model_dump(), status_code=200 if ready else 503)


async def _database_serves(database: Database) -> bool:
    """The database answers, and requests can get a connection to it (not starved: see `Database.starved`).
    A starved pool is not asked: the check would only wait in line for a connection too."""
    if database.starved():
        return False
    return await _database_answers(database)


async def _database_answers(database: Database) -> bool:
    def select_one() -> bool:
        with database.read_session() as session:
            return bool(session.exec(sa.select(1)).scalar() == 1)  # type: ignore[call-overload]

    try:
        return await asyncio.wait_for(run_in_threadpool(select_one), _CHECK_TIMEOUT_SECONDS)
    except Exception:
        return False
