"""create_app(): routers, error handlers, and a lifespan that owns the database, hub and timers."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Protocol

from fastapi import Depends, FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket

from circles.access.principal import still_valid
from circles.airtime.router import router as airtime_router
from circles.audit.router import router as audit_router
from circles.background_tasks import stop_tasks
from circles.breakout.deadlines import BreakoutDeadlines
from circles.breakout.router import router as breakout_router
from circles.circle.router import router as circle_router
from circles.clock import Clock, SystemClock
from circles.cross_origin import cors_options
from circles.db import Database, create_db_engine
from circles.errors import install_error_handlers
from circles.event import log as event_log
from circles.event.models import EventPublic
from circles.event.router import router as event_router
from circles.gathering.router import router as gathering_router
from circles.health import router as health_router
from circles.http_headers import ResponseHeaders
from circles.idempotency.middleware import Idempotency
from circles.limits import RequestLimits
from circles.live.admission import admit_all
from circles.live.admission_desk import AdmissionDesk
from circles.live.backstops import cut_stalled_forever, poll_log_forever, refresh_presence_forever
from circles.live.broker import Broker, MemoryBroker
from circles.live.channel import LogSource
from circles.live.circle_presence import CirclePresence
from circles.live.hub import Hub
from circles.live.presence import LocalPresenceBoard, RedisPresenceBoard
from circles.live.protocol import CloseCode
from circles.live.redis_broker import RedisBroker, connect_reader
from circles.live.redis_watch import RedisWatch
from circles.live.router import live, live_circle_id
from circles.metrics.instruments import EVENTS_APPENDED, SOCKETS_OPEN, event_family
from circles.metrics.router import forget_this_process
from circles.metrics.router import router as metrics_router
from circles.metrics.timing import RequestTiming
from circles.openapi_document import openapi_document
from circles.participant.router import router as participant_router
from circles.query_check import refuse_unknown_query
from circles.records.circle import repository as circle_repository
from circles.records.participant.repository import count_witnesses
from circles.reference.router import router as reference_router
from circles.round.absence_watch import AbsenceWatch
from circles.round.deadlines import DeadlineScheduler
from circles.round.router import router as round_router
from circles.settings import Settings
from circles.support.router import router as support_router
from circles.support_date.due import DueWatch
from circles.support_date.router import router as support_date_router
from circles.tenant.router import router as tenant_router
from circles.unit_of_work import UnitOfWork
from circles.web.router import router as web_router
from circles.webhooks.delivery import Sender
from circles.webhooks.router import router as webhook_router
from circles.webhooks.worker import Timing, WebhookWorker
from circles.write_path import WritePath
from circles.writer_queue import WriterQueue
from circles.zoom.router import router as zoom_router

logger = logging.getLogger("circles")

DESCRIPTION = """\
Holds the talking piece for sharing circles: who sits where, whose turn it is, how long they have.

Apps call this API with an app key; participants' screens follow the live WebSocket
`/v1/circles/{circle_id}/live` (documented at /docs/live). Errors are RFC 9457 problem+json with a stable `code`.
Nothing a person says is ever sent here: the service keeps who held the piece, and when.
"""


class CirclesApp(FastAPI):
    """FastAPI, with the live socket served first: it bypasses routing and the HTTP middleware, which do
    nothing for it, so each of thousands of idle sockets holds only its own handler's state."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (circle_id := live_circle_id(scope)) is not None:
            scope["app"] = self
            SOCKETS_OPEN.inc()  # here, not in a wrapper: no coroutine frame more for each idle socket to hold
            try:
                await live(WebSocket(scope, receive, send), circle_id)
            finally:
                SOCKETS_OPEN.dec()
            return
        await super().__call__(scope, receive, send)


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    """The app; `clock` (default: the wall clock) is the one every write, read and timer tells the time by."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        parts = _assemble(settings, clock or SystemClock())
        database, hub, broker, write_path = parts.database, parts.hub, parts.broker, parts.write_path
        app.state.database, app.state.hub, app.state.broker = database, hub, broker
        app.state.clock, app.state.write_path = database.clock, write_path
        app.state.deadlines, app.state.draining, app.state.webhooks = parts.deadlines, False, parts.webhooks
        app.state.support_dates_due = parts.dates_due
        app.state.admissions = AdmissionDesk(lambda requests: admit_all(database, requests, database.clock.now()))
        hub.start()
        if not settings.origins:
            logger.warning("CIRCLES_ALLOWED_ORIGINS is unset: any web origin may open the live socket")
        await broker.start()
        for timer in parts.timers:
            await timer.start()
        if parts.webhooks is not None:
            await parts.webhooks.start()
        backstops = [
            asyncio.create_task(poll_log_forever(hub, settings.log_poll_seconds, _last_seqs_reader(database))),
            asyncio.create_task(refresh_presence_forever(hub.presence, settings.presence_ttl_seconds / 3)),
            asyncio.create_task(cut_stalled_forever(hub, settings.client_max_wait_seconds / 4)),
            asyncio.create_task(
                hub.credentials.check_forever(settings.credential_check_seconds, _validity_reader(database))
            ),
        ]
        try:
            yield
        finally:
            app.state.draining = True
            await stop_tasks(backstops)
            hub.close_all(CloseCode.GOING_AWAY)
            if parts.webhooks is not None:
                await parts.webhooks.stop()
            for timer in parts.timers:
                await timer.stop()
            await broker.stop()
            await app.state.admissions.shutdown()  # its reads in progress finish before the dispose
            database.dispose()
            forget_this_process()

    app = CirclesApp(
        title="Circles",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_url=None,  # circles.reference serves /openapi.json, as a route that refuses unknown parameters
        dependencies=[Depends(refuse_unknown_query)],  # on every route: an unknown query parameter is a 422
        docs_url=None,  # circles.reference serves /docs itself, with no CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.add_middleware(Idempotency)  # innermost: sees bodies already bounded by RequestLimits
    app.add_middleware(WriterQueue)  # a write waits here for its turn, then each request for a slot
    app.add_middleware(  # who is asking, found first: one who is nobody is answered 401 here
        RequestLimits,
        max_body_bytes=settings.max_body_bytes,
        per_minute=settings.rate_limit_per_minute,
        burst=settings.rate_limit_burst,
        in_flight_per_credential=settings.in_flight_per_credential,
        in_flight_per_app=settings.in_flight_per_app,
    )
    if settings.cors_origins:  # outside the limits: a preflight carries no credential, and is answered here
        app.add_middleware(CORSMiddleware, **cors_options(settings.cors_origins))
    app.add_middleware(ResponseHeaders)  # limit answers carry the headers too
    app.add_middleware(RequestTiming)  # outermost: times what the caller waited for (circles.metrics)
    install_error_handlers(app)
    routers = (
        circle_router,
        participant_router,
        round_router,
        airtime_router,
        support_router,
        support_date_router,
        gathering_router,
        breakout_router,
        event_router,
        tenant_router,
        webhook_router,
        audit_router,
        zoom_router,
        health_router,
        metrics_router,
        reference_router,
        web_router,
    )
    for router in routers:
        app.include_router(router)
    app.openapi = lambda: openapi_document(app)  # type: ignore[method-assign]
    return app


class _Timer(Protocol):
    """A part that arms timers from the log: started once the broker is, stopped before it."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


@dataclass(frozen=True)
class _Parts:
    """What `_assemble` builds, each part whole."""

    database: Database
    hub: Hub
    broker: Broker
    write_path: WritePath
    deadlines: DeadlineScheduler
    dates_due: DueWatch
    webhooks: WebhookWorker | None  # None where this instance does not deliver (CIRCLES_WEBHOOKS_DELIVER=0)
    timers: tuple[_Timer, ...]


def _assemble(settings: Settings, clock: Clock) -> _Parts:
    """The embedded default (in-process hub), or Redis fan-out and presence when CIRCLES_BROKER_URL is set.

    Each part is built whole, with everything it calls. Three calls close cycles, so they name a part built
    further down, and run only once the app is serving: a commit publishes through the broker (which delivers
    to the hub, whose listeners write); a write asks the hub who is online; presence tells the broker."""
    database = Database(
        create_db_engine(settings.database_url, settings.sqlite_synchronous),
        after_commit=lambda work: _publish(broker, work, webhooks),
        clock=clock,
    )
    write_path = WritePath(
        database,
        read_online=lambda circle_id: hub.online(circle_id),
        read_everyone_online=lambda circle_id: hub.everyone_online(circle_id),
    )
    deadlines = DeadlineScheduler(write_path, settings.deadline_sweep_seconds)
    absence_watch = AbsenceWatch(write_path, settings.away_grace_seconds)
    dates_due = DueWatch(write_path, settings.deadline_sweep_seconds)
    breakout_deadlines = BreakoutDeadlines(write_path, settings.deadline_sweep_seconds)
    webhooks = (
        WebhookWorker(
            write_path,
            Timing.of(settings),
            settings.instance_id,
            Sender(settings.webhooks_timeout_seconds, settings.webhooks_allow_private),
        )
        if settings.webhooks_deliver
        else None
    )
    reader = connect_reader(settings.broker_url) if settings.broker_url else None
    watch = RedisWatch()
    board = (
        RedisPresenceBoard(reader, settings.redis_prefix, settings.instance_id, settings.presence_ttl_seconds, watch)
        if reader is not None
        else LocalPresenceBoard()
    )
    presence = CirclePresence(
        board,
        count_witnesses=_witness_counter(database),
        audience_interval=settings.audience_interval_seconds,
        listeners=[absence_watch.on_presence],
        on_change=lambda circle_id: broker.publish_presence(circle_id),
    )
    hub = Hub(
        LogSource(_last_seq_reader(database), _events_reader(database), settings.gap_fill_seconds),
        presence,
        listeners=[
            deadlines.on_event,
            breakout_deadlines.on_event,
            absence_watch.on_event,
            dates_due.on_event,
            *([webhooks.on_event] if webhooks else []),
        ],
    )
    broker: Broker = (
        RedisBroker(hub, settings.broker_url, settings.redis_prefix, settings.stream_max_length, reader, watch)
        if reader is not None and settings.broker_url
        else MemoryBroker(hub)
    )
    timers: tuple[_Timer, ...] = (deadlines, breakout_deadlines, absence_watch, dates_due)
    return _Parts(database, hub, broker, write_path, deadlines, dates_due, webhooks, timers)


def _publish(broker: Broker, work: UnitOfWork, webhooks: WebhookWorker | None) -> None:
    for events in work.outbox.events.values():
        for event in events:
            EVENTS_APPENDED.labels(event_family(event.name)).inc()
    broker.publish(work.outbox)
    if work.notices:
        broker.publish_private(work.notices)
        if webhooks is not None:  # a request for support may be owed to an endpoint (events wake it from the hub)
            webhooks.wake()


def _last_seq_reader(database: Database) -> Callable[[uuid.UUID], int | None]:
    def read_last_seq(circle_id: uuid.UUID) -> int | None:
        with database.read_session() as session:
            circle = circle_repository.get(session, circle_id)
            return circle.last_seq if circle is not None else None

    return read_last_seq


def _events_reader(database: Database) -> Callable[[uuid.UUID, int, int], list[EventPublic]]:
    def read_events(circle_id: uuid.UUID, after: int, limit: int) -> list[EventPublic]:
        with database.read_session() as session:
            return event_log.events_after(session, circle_id, after, limit)

    return read_events


def _witness_counter(database: Database) -> Callable[[uuid.UUID], int]:
    def read_witness_count(circle_id: uuid.UUID) -> int:
        with database.read_session() as session:
            return count_witnesses(session, circle_id)

    return read_witness_count


def _validity_reader(database: Database) -> Callable[[list[str]], set[str]]:
    def read_still_valid(credential_hashes: list[str]) -> set[str]:
        with database.read_session() as session:
            return still_valid(session, credential_hashes)

    return read_still_valid


def _last_seqs_reader(database: Database) -> Callable[[list[uuid.UUID]], dict[uuid.UUID, int]]:
    def read_last_seqs(circle_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
        with database.read_session() as session:
            return circle_repository.last_seqs(session, circle_ids)

    return read_last_seqs
