"""create_app(): routers, error handlers, and a lifespan that owns the database, hub and timers."""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from sqlmodel import Session

from circles.circle import repository as circle_repository
from circles.circle.router import router as circle_router
from circles.db import Database, create_db_engine
from circles.errors import Problem, install_error_handlers
from circles.event import log as event_log
from circles.event.models import EventPublic
from circles.event.router import router as event_router
from circles.live.hub import Hub
from circles.live.protocol import CloseCode
from circles.live.router import router as live_router
from circles.participant.router import router as participant_router
from circles.round.deadlines import DeadlineScheduler
from circles.round.router import router as round_router
from circles.settings import Settings

logger = logging.getLogger("circles")

DESCRIPTION = """\
Holds the talking piece for sharing circles: who sits where, whose turn it is, how long they have.

Apps call this API with an app key; participants' screens follow the live WebSocket
`/v1/circles/{circle_id}/live` (see docs/protocol.md). Errors are RFC 9457 problem+json with a stable `code`.
Nothing a person says is ever sent here: the service keeps who held the piece, and when.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        database, hub, deadlines = _assemble(settings)
        app.state.database, app.state.hub, app.state.deadlines = database, hub, deadlines
        hub.start()
        if not settings.origins:
            logger.warning("CIRCLES_ALLOWED_ORIGINS is unset: any web origin may open the live socket")
        await deadlines.start()
        try:
            yield
        finally:
            hub.close_all(CloseCode.GOING_AWAY)
            await deadlines.stop()
            database.dispose()

    app = FastAPI(
        title="Circles",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    install_error_handlers(app)
    for router in (circle_router, participant_router, round_router, event_router, live_router):
        app.include_router(router)
    app.openapi = lambda: _openapi_with_problem(app)  # type: ignore[method-assign]
    return app


def _assemble(settings: Settings) -> tuple[Database, Hub, DeadlineScheduler]:
    database = Database(create_db_engine(settings.database_url))

    def read_last_seq(circle_id: uuid.UUID) -> int | None:
        with database.read_session() as session:
            circle = circle_repository.get(session, circle_id)
            return circle.last_seq if circle is not None else None

    def read_events(circle_id: uuid.UUID, after: int, limit: int) -> list[EventPublic]:
        with database.read_session() as session:
            return event_log.events_after(session, circle_id, after, limit)

    hub = Hub(read_last_seq, read_events, settings.gap_fill_seconds)

    def publish(session: Session) -> None:
        hub.publish_threadsafe(event_log.take_outbox(session))

    database.after_commit = publish
    deadlines = DeadlineScheduler(database, settings.deadline_sweep_seconds)
    hub.add_listener(deadlines.on_event)
    return database, hub, deadlines


def _openapi_with_problem(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema is None:
        from fastapi.openapi.utils import get_openapi

        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = Problem.model_json_schema()
        app.openapi_schema = schema
    return app.openapi_schema
