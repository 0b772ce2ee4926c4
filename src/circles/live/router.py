"""WebSocket /v1/circles/{circle_id}/live: authenticate with the first message, catch up, follow.

The socket is served ahead of FastAPI's routing and the HTTP middleware (see `circles.app.CirclesApp`):
none of them acts on it, and every layer left out is memory a socket does not hold for its lifetime.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import re
import time
import uuid

from pydantic import ValidationError
from starlette.types import Scope
from starlette.websockets import WebSocket, WebSocketDisconnect

from circles.access.secrets import hash_secret
from circles.db import Database
from circles.errors import CircleClosed, CircleNotFound, Unauthenticated
from circles.live.admission_desk import AdmissionDesk
from circles.live.command_dispatch import binary_reply, is_command, run_command
from circles.live.connection import Connection, Frame
from circles.live.hub import Hub
from circles.live.outlet import AsgiOutlet, Outlet, WireOutlet
from circles.live.protocol import AuthFrame, CloseCode, WelcomeFrame
from circles.live.wire import wire_of
from circles.settings import Settings
from circles.write_path import WritePath

logger = logging.getLogger(__name__)

LIVE_PATH = re.compile(r"/v1/circles/(?P<circle_id>[^/]+)/live")


def live_circle_id(scope: Scope) -> str | None:
    """The circle id, when `scope` is a WebSocket to the live path; None for anything else."""
    if scope["type"] != "websocket":
        return None
    path: str = scope["path"]
    root_path: str = scope.get("root_path", "")
    if root_path and path.startswith(root_path):
        path = path[len(root_path) :]
    match = LIVE_PATH.fullmatch(path)
    return match["circle_id"] if match else None


async def live(websocket: WebSocket, circle_id: str) -> None:
    settings: Settings = websocket.app.state.settings
    burst = max(1, int(settings.socket_messages_per_second * 2))
    hub: Hub = websocket.app.state.hub

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
    except ValueError:
        await websocket.close(code=int(CloseCode.NO_SUCH_CIRCLE))
        return
    # Attached before anything is read, so nothing committed meanwhile is missed: it is held until the
    # catch-up is sent. Who the socket belongs to is known (and announced) only once it is admitted.
    connection = Connection(
        _outlet(websocket, settings.client_queue_size),
        circle_uuid,
        None,
        settings.client_queue_size,
        hash_secret(auth.token),
        max_wait_seconds=settings.client_max_wait_seconds,
        admitted=False,
    )
    await hub.attach(connection)
    try:
        if not await _admit_and_catch_up(websocket, hub, connection, auth):
            return
        token = auth.token
        del auth  # the parsed message is not kept for the socket's lifetime: its token is all that is needed
        rate = _Pace(settings.socket_messages_per_second, burst)
        await _serve_until_disconnect(websocket, rate, connection, token)
    except WebSocketDisconnect:
        pass
    finally:
        hub.detach(connection)
        await connection.stop()


async def _admit_and_catch_up(websocket: WebSocket, hub: Hub, connection: Connection, auth: AuthFrame) -> bool:
    """Admit the attached socket, then send its welcome and catch-up; False when it was closed instead. (Its
    own function so that the catch-up, a snapshot can be large, is not kept for the socket's lifetime.)"""
    settings: Settings = websocket.app.state.settings
    admissions: AdmissionDesk = websocket.app.state.admissions
    circle_id = connection.circle_id
    try:
        admission = await admissions.admit(auth.token, circle_id, auth.after)
    except CircleNotFound:
        await websocket.close(code=int(CloseCode.NO_SUCH_CIRCLE))
        return False
    except Unauthenticated:
        await websocket.close(code=int(CloseCode.UNAUTHENTICATED))
        return False
    except CircleClosed:
        await websocket.close(code=int(CloseCode.CIRCLE_GONE))
        return False
    participant_id = admission.participant_id
    if participant_id and hub.sockets_of(circle_id, participant_id) >= settings.max_sockets_per_participant:
        await websocket.close(code=int(CloseCode.POLICY), reason="too many live sockets for this participant")
        return False
    await hub.admit(connection, participant_id, witness=admission.role == "witness", replayed=admission.private)
    online = await hub.online_for_catch_up(connection)
    witnesses_online = await hub.witnesses_online(circle_id)
    now = websocket.app.state.clock.now()
    welcome = WelcomeFrame(participant_id=participant_id, role=admission.role, server_time=now)  # type: ignore[arg-type]
    texts = [welcome.model_dump_json(), *admission.catch_up.frames(online, witnesses_online, now), *admission.private]
    if not connection.catch_up(Frame.joined([Frame.of(text) for text in texts]), admission.catch_up.seq):
        hub.drop_slow(connection)
    return True


def _outlet(websocket: WebSocket, queue_size: int) -> Outlet:
    """Straight onto the transport under `circles serve`; through ASGI under any other server."""
    wire = wire_of(websocket.scope)
    return WireOutlet(wire, websocket) if wire is not None else AsgiOutlet(websocket, queue_size)


async def _receive_auth(websocket: WebSocket, timeout: float) -> AuthFrame | None:
    """The first message must be {"type": "auth", ...}; the socket is closed (and None returned) if not."""
    try:
        async with asyncio.timeout(timeout):  # no task of its own, unlike wait_for
            raw = await websocket.receive_text()
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


class _Pace:
    """One socket's message rate: `rate` a second, up to `burst` at once (a token bucket of its own, in a few
    slots: every idle socket holds one)."""

    __slots__ = ("_rate", "_burst", "_tokens", "_updated")

    def __init__(self, rate: float, burst: int) -> None:
        self._rate, self._burst = rate, float(burst)
        self._tokens, self._updated = float(burst), time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self._tokens = min(self._burst, self._tokens + (now - self._updated) * self._rate)
        self._updated = now
        if self._tokens < 1.0:
            return False
        self._tokens -= 1.0
        return True


async def _serve_until_disconnect(websocket: WebSocket, rate: _Pace, connection: Connection, token: str) -> None:
    """Read until the socket closes. A command frame is run as its REST request would be and answered with
    a reply on this socket's queue (in order with its other frames); a binary frame is answered with a 422
    (commands are text); any other text frame is ignored. A client that floods the socket is closed with 1008."""
    hub: Hub = websocket.app.state.hub
    database: Database = websocket.app.state.database
    write_path: WritePath = websocket.app.state.write_path
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        if not rate.take():
            await websocket.close(code=int(CloseCode.POLICY), reason="too many messages")
            return
        raw = message.get("text")
        if raw is None:  # a binary frame: answered, never run
            reply = binary_reply()
        elif not is_command(raw):
            continue
        else:
            circle_id = connection.circle_id
            command = functools.partial(
                run_command, database, token, circle_id, raw=raw, received_at=time.perf_counter()
            )
            # As every write: the writer turn, who is online (witnesses too, for the views), then a thread.
            reply = await write_path.run_blocking(circle_id, command, witnesses=True)
        if not connection.offer(Frame.of(reply)):
            hub.drop_slow(connection)


async def _close_quietly(websocket: WebSocket, code: CloseCode) -> None:
    with contextlib.suppress(RuntimeError):
        await websocket.close(code=int(code))
