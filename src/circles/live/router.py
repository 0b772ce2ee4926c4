"""WebSocket /v1/circles/{circle_id}/live: authenticate with the first message, catch up, follow."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from circles.access.principal import AppPrincipal, authenticate, enter_circle
from circles.access.secrets import hash_secret
from circles.circle.models import CircleStatus
from circles.db import Database, utc_now
from circles.errors import CircleClosed, CircleNotFound, Unauthenticated
from circles.limits import TokenBuckets
from circles.live.catch_up import read_catch_up
from circles.live.command_dispatch import is_command, run_command
from circles.live.connection import Connection, Frame
from circles.live.hub import Hub
from circles.live.protocol import AuthFrame, CloseCode, WelcomeFrame
from circles.settings import Settings

logger = logging.getLogger(__name__)

router = APIRouter()


@router.websocket("/v1/circles/{circle_id}/live")
async def live(websocket: WebSocket, circle_id: str) -> None:
    settings: Settings = websocket.app.state.settings
    burst = max(1, int(settings.socket_messages_per_second * 2))
    hub: Hub = websocket.app.state.hub
    database: Database = websocket.app.state.database

    origin = websocket.headers.get("origin")
    if settings.origins and origin is not None and origin.rstrip("/") not in settings.origins:
        await websocket.close(code=int(CloseCode.POLICY))  # before accept: the handshake gets HTTP 403
        return
    await websocket.accept()

    auth = await _receive_auth(websocket, settings.auth_timeout_seconds)
    if auth is None:
        return
    try:
        circle_uuid = uuid.UUID(circle_id)
        welcome = await run_in_threadpool(_admit, database, auth.token, circle_uuid)
    except (ValueError, CircleNotFound):
        await websocket.close(code=int(CloseCode.NO_SUCH_CIRCLE))
        return
    except Unauthenticated:
        await websocket.close(code=int(CloseCode.UNAUTHENTICATED))
        return
    except CircleClosed:
        await websocket.close(code=int(CloseCode.CIRCLE_GONE))
        return

    if (
        welcome.participant_id
        and hub.sockets_of(circle_uuid, welcome.participant_id) >= settings.max_sockets_per_participant
    ):
        await websocket.close(code=int(CloseCode.POLICY), reason="too many live sockets for this participant")
        return
    connection = Connection(
        websocket,
        circle_uuid,
        welcome.participant_id,
        settings.client_queue_size,
        hash_secret(auth.token),
        max_wait_seconds=settings.client_max_wait_seconds,
    )
    await hub.attach(connection, witness=welcome.role == "witness")
    try:
        await websocket.send_text(welcome.model_dump_json())
        try:
            online, witnesses_online = await hub.online(circle_uuid), await hub.witnesses_online(circle_uuid)
            frames, seq = await run_in_threadpool(
                read_catch_up, database, circle_uuid, auth.after, online, utc_now(), witnesses_online=witnesses_online
            )
        except (CircleNotFound, CircleClosed):
            await websocket.close(code=int(CloseCode.CIRCLE_GONE))
            return
        for frame in frames:
            await websocket.send_text(frame)
        connection.start_writing(seq)
        rate = TokenBuckets(settings.socket_messages_per_second, burst)
        await _serve_until_disconnect(websocket, rate, connection, auth.token)
    except WebSocketDisconnect:
        pass
    finally:
        hub.detach(connection)
        await connection.stop()


async def _receive_auth(websocket: WebSocket, timeout: float) -> AuthFrame | None:
    """The first message must be {"type": "auth", ...}; the socket is closed (and None returned) if not."""
    try:
        raw = await asyncio.wait_for(websocket.receive_text(), timeout)
    except TimeoutError:
        await websocket.close(code=int(CloseCode.AUTH_TIMEOUT), reason="no auth message in time")
        return None
    except (WebSocketDisconnect, KeyError, RuntimeError):  # gone, or sent bytes instead of text
        await _close_quietly(websocket, CloseCode.UNAUTHENTICATED)
        return None
    try:
        return AuthFrame.model_validate_json(raw)
    except ValidationError:
        await websocket.close(code=int(CloseCode.UNAUTHENTICATED), reason="first message must be auth")
        return None


def _admit(database: Database, token: str, circle_id: uuid.UUID) -> WelcomeFrame:
    with database.read_session() as session:
        principal = authenticate(session, token)
        access = enter_circle(session, principal, circle_id)
        if access.circle.status == CircleStatus.CLOSED:
            raise CircleClosed()
    actor = access.actor
    return WelcomeFrame(
        participant_id=actor.participant_id,
        role="app" if isinstance(principal, AppPrincipal) else str(actor.role),  # type: ignore[arg-type]
        server_time=utc_now(),
    )


async def _serve_until_disconnect(websocket: WebSocket, rate: TokenBuckets, connection: Connection, token: str) -> None:
    """Read until the socket closes. A command frame is run as its REST request would be and answered with
    a reply on this socket's queue (in order with its other frames); anything else is ignored. A client
    that floods the socket is closed with 1008."""
    hub: Hub = websocket.app.state.hub
    database: Database = websocket.app.state.database
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        allowed, _remaining, _wait = rate.take("socket")
        if not allowed:
            await websocket.close(code=int(CloseCode.POLICY), reason="too many messages")
            return
        raw = message.get("text")
        if raw is None or not is_command(raw):
            continue
        online = await hub.everyone_online(connection.circle_id)
        async with database.writer_turn():
            reply = await run_in_threadpool(run_command, database, token, connection.circle_id, online, raw)
        if not connection.offer(Frame(seq=None, text=reply)):
            hub.drop_slow(connection)


async def _close_quietly(websocket: WebSocket, code: CloseCode) -> None:
    with contextlib.suppress(RuntimeError):
        await websocket.close(code=int(code))
