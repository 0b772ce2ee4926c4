"""A uvicorn WebSocket protocol that lets the hub write ready-made frames straight to a socket.

Under plain ASGI, every frame to every socket is a `send()` call through the whole middleware chain, and
the server encodes and frames the same text again for each socket. A circle's event is the same bytes on
every socket (server frames are not masked, and per-message compression is off), so the hub frames it
once and writes those bytes to each socket's transport: a fan-out costs a `write` per socket.

`WireProtocol` is uvicorn's `websockets-sansio` protocol with one addition: each WebSocket scope gets an
extension, `scope["extensions"]["circles.wire"]`, holding (under "wire": an ASGI extension is a dict) a
`Wire` for that socket, which `wire_of(scope)` reads back. Handshake, reading, ping/pong and the closing
handshake stay uvicorn's and go through ASGI as before. `circles serve` runs with it; under any other ASGI
server the extension is absent and the hub sends through ASGI instead.

It also bounds what sits unread below the application: the kernel's send buffer and the transport's
write buffer are kept small, so a client that stops reading makes writing pause (and the hub's clock on
it start) after tens of KiB rather than megabytes.

Its log lines go to the `circles.live.sockets` logger rather than `uvicorn.error`: uvicorn and websockets
write two INFO lines for every socket opened ("[accepted]", "connection open"). A reconnect storm opens
thousands a second; those lines were a twentieth of the server's CPU and most of its log. `circles serve`
shows that logger's warnings and errors, and its INFO lines at the debug log level (`CIRCLES_LOG_LEVEL`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
from collections.abc import Callable, Mapping
from typing import Any, cast

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.frames import Frame, Opcode
from websockets.protocol import State

EXTENSION = "circles.wire"
SOCKET_LOGGER = "circles.live.sockets"

SEND_BUFFER_BYTES = 32 * 1024  # the kernel's send buffer per socket (Linux doubles it for its bookkeeping)
WRITE_BUFFER_HIGH = 16 * 1024  # above this, the transport pauses writing: the client is not keeping up
WRITE_BUFFER_LOW = 4 * 1024
INVALID_TEXT = 1007  # RFC 6455: a text frame that is not UTF-8 (protocol.CloseCode.INVALID_TEXT)


def text_frame(text: str) -> bytes:
    """The bytes of one unmasked, uncompressed, final text frame carrying `text` (RFC 6455 section 5.2)."""
    return Frame(Opcode.TEXT, text.encode()).serialize(mask=False)


class Wire:
    """One socket's direct path: write ready-made frames, and tell how long writing has been paused."""

    __slots__ = ("_protocol",)

    def __init__(self, protocol: WireProtocol) -> None:
        self._protocol = protocol

    @property
    def open(self) -> bool:
        protocol = self._protocol
        return not protocol.close_sent and not protocol.disconnected and protocol.conn.state is State.OPEN

    def write(self, frame: bytes) -> None:
        """Write one frame made by `text_frame`. Does nothing once the socket is closing or closed."""
        if self.open:
            self._protocol.transport.write(frame)

    def paused_for(self, now: float) -> float:
        """Seconds since the transport paused writing because the client stopped taking bytes (0 when it
        is writing). `now` is time.monotonic()."""
        paused_at = self._protocol.paused_at
        return 0.0 if paused_at is None else now - paused_at

    def watch_stall(self, seconds: float, on_stalled: Callable[[], None]) -> None:
        """Call `on_stalled` once writing has been paused for `seconds` without resuming: a timer armed
        when the transport pauses and cancelled when it resumes or the connection is lost, so a client that
        stopped reading is found when its time is up, not at the next sweep or the next frame."""
        self._protocol.watch_stall(seconds, on_stalled)

    def abort(self) -> None:
        """Drop the connection without a closing handshake (for a client that is not reading it)."""
        self._protocol.transport.abort()

    def buffered(self) -> int:
        """Bytes written but not yet handed to the kernel."""
        return self._protocol.transport.get_write_buffer_size()


def wire_of(scope: Mapping[str, Any]) -> Wire | None:
    """The socket's `Wire`, when the server runs `WireProtocol`; None under any other ASGI server."""
    wire = (scope.get("extensions") or {}).get(EXTENSION, {}).get("wire")
    return wire if isinstance(wire, Wire) else None


class _WaitList:
    """Futures waiting for a condition, woken together: the part `_Inbox` and `_Writable` share. A plain list,
    not the deque that `asyncio.Queue` and `asyncio.Event` allocate up front on every idle socket."""

    __slots__ = ("_waiters",)

    def __init__(self) -> None:
        self._waiters: list[asyncio.Future[None]] = []

    def _wake_all(self) -> None:
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def _wait_until(self, ready: Callable[[], bool]) -> None:
        while not ready():
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                await waiter
            finally:
                self._waiters.remove(waiter)


class _Inbox(_WaitList):
    """What uvicorn's protocol uses of its `asyncio.Queue` of received messages (`put_nowait`, `get`, `empty`),
    without the three deques a Queue allocates up front (some 2 KiB on every idle socket)."""

    __slots__ = ("_items",)

    def __init__(self) -> None:
        super().__init__()
        self._items: list[Any] = []

    def put_nowait(self, item: Any) -> None:
        self._items.append(item)
        self._wake_all()

    async def get(self) -> Any:
        if not self._items:  # the usual case needs no closure and no extra await
            await self._wait_until(lambda: bool(self._items))
        return self._items.pop(0)

    def empty(self) -> bool:
        return not self._items

    def qsize(self) -> int:
        return len(self._items)


class _Writable(_WaitList):
    """What uvicorn's protocol uses of its `asyncio.Event` `writable` (`set`, `clear`, `wait`), without the
    deque an Event allocates up front."""

    __slots__ = ("_set",)

    def __init__(self) -> None:
        super().__init__()
        self._set = True

    def is_set(self) -> bool:
        return self._set

    def set(self) -> None:
        self._set = True
        self._wake_all()

    def clear(self) -> None:
        self._set = False

    async def wait(self) -> bool:
        if not self._set:
            await self._wait_until(lambda: self._set)
        return True


class WireProtocol(WebSocketsSansIOProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Lean stand-ins for the Queue and the Event every socket holds for its lifetime (see _Inbox).
        self.queue = _Inbox()  # type: ignore[assignment]
        self.writable = _Writable()  # type: ignore[assignment]
        self.paused_at: float | None = None
        self._stall_watch: tuple[float, Callable[[], None]] | None = None
        self._stall_timer: asyncio.TimerHandle | None = None
        self.logger = self.conn.logger = logging.getLogger(SOCKET_LOGGER)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        sock = transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER_BYTES)
        cast(asyncio.WriteTransport, transport).set_write_buffer_limits(high=WRITE_BUFFER_HIGH, low=WRITE_BUFFER_LOW)

    def handle_connect(self, event: Any) -> None:
        super().handle_connect(event)
        # Ready-made frames are only valid when no extension (compression) transforms them.
        if self.handshake_initiated and not self.close_sent and not self.conn.extensions:
            extension: dict[object, object] = {"wire": Wire(self)}  # an ASGI extension's value is a dict
            self.scope["extensions"][EXTENSION] = extension

    async def send(self, message: Any) -> None:
        await super().send(message)
        if self.handshake_complete and getattr(self, "request", None) is not None:
            # The handshake's request and response (their headers: some 3 KiB) are not read again once the
            # socket is accepted; uvicorn keeps them for the connection's lifetime.
            self.request = self.response = None  # type: ignore[assignment]

    def watch_stall(self, seconds: float, on_stalled: Callable[[], None]) -> None:
        self._stall_watch = (seconds, on_stalled)
        if self.paused_at is not None:  # paused already: the time it has been paused counts
            self._arm_stall_timer(seconds - (time.monotonic() - self.paused_at))

    def pause_writing(self) -> None:
        super().pause_writing()
        self.paused_at = time.monotonic()
        if self._stall_watch is not None:
            self._arm_stall_timer(self._stall_watch[0])

    def resume_writing(self) -> None:
        super().resume_writing()
        self.paused_at = None
        self._cancel_stall_timer()

    def send_receive_event_to_app(self) -> None:
        """A text frame that is not UTF-8 closes the socket with 1007, as uvicorn does, but with one INFO
        line instead of an ERROR and its traceback: any client can send one, as often as it likes."""
        if self.curr_msg_data_type == "text" and not self.close_sent:
            try:
                b"".join(self.frames).decode()
            except UnicodeDecodeError:
                self.frames = []
                self.logger.info("closing a socket with 1007: a text frame was not UTF-8")
                self.conn.send_close(INVALID_TEXT, "text frames must be UTF-8")
                self.handle_parser_exception()
                return
        super().send_receive_event_to_app()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_stall_timer()
        self._stall_watch = None
        super().connection_lost(exc)

    def _arm_stall_timer(self, delay: float) -> None:
        self._cancel_stall_timer()
        assert self._stall_watch is not None
        self._stall_timer = self.loop.call_later(max(0.0, delay), self._stall_watch[1])

    def _cancel_stall_timer(self) -> None:
        if self._stall_timer is not None:
            self._stall_timer.cancel()
            self._stall_timer = None
