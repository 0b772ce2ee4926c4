"""/livez and /readyz, for load balancers and orchestrators (no credential; nothing about circles).

Ready means "can serve": not draining, and the database answers. The broker is reported, never a reason to be
unready: with Redis away commands still commit, and every instance's sockets still get every event from the
database log (the hub's log poll), only later. So a Redis blip must not take every instance out of the load
balancer at once; the body says the broker is `degraded` instead.
"""

from __future__ import annotations

import asyncio
from typing import Literal

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from circles.db import Database
from circles.live.broker import Broker

router = APIRouter(tags=["health"])

_CHECK_TIMEOUT_SECONDS = 2.0


class Liveness(BaseModel):
    status: str


class BrokerHealth(BaseModel):
    kind: Literal["memory", "redis"] = Field(
        description="`memory`: no broker configured, the in-process hub (one instance); `redis`: CIRCLES_BROKER_URL."
    )
    status: Literal["ok", "degraded"] = Field(
        description="`degraded`: Redis does not answer. Commands still work; events reach other instances' "
        "sockets from the database log, up to CIRCLES_LOG_POLL_SECONDS late; presence counts this instance's "
        "sockets only. Not a reason to be unready."
    )


class Readiness(BaseModel):
    status: Literal["ready", "unready"]
    draining: bool
    database: bool
    broker: BrokerHealth


@router.get("/livez", response_model=Liveness)
async def livez() -> Liveness:
    """The process is up and its event loop answers."""
    return Liveness(status="ok")


@router.get(
    "/readyz",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "Not ready: draining, or the database does not answer."}},
)
async def readyz(request: Request) -> JSONResponse:
    """Ready for traffic: not shutting down, and the database answers. The broker is reported in the body (a
    Redis outage is `degraded`, still ready)."""
    state = request.app.state
    database_ok, broker = await asyncio.gather(_database_serves(state.database), _broker_health(state.broker))
    draining = bool(getattr(state, "draining", False))
    ready = database_ok and not draining
    body = Readiness(status="ready" if ready else "unready", draining=draining, database=database_ok, broker=broker)
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


async def _broker_health(broker: Broker) -> BrokerHealth:
    """Which broker is configured and whether it answers (the in-process one always does)."""
    return BrokerHealth(kind=broker.kind, status="ok" if await broker.ping() else "degraded")
