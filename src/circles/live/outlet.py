"""How frames leave for one socket: straight onto its transport, or through ASGI.

The hub never awaits a socket. It offers each frame to each socket's outlet, which takes it at once or
says the client has fallen behind (the hub then drops the client, who reconnects with `after`).

- `WireOutlet` (under `circles serve`, see `circles.live.wire`) writes the ready-made frame bytes to the
  transport. Nothing is queued in Python; an idle socket costs no task. What waits is what the transport
  holds since writing paused (the buffers below are full); too many bytes of it is behind at once.
- `AsgiOutlet` (any other ASGI server, and the test client) queues frames and has a task send them with
  ASGI `send`. What waits is the frame being sent, since it was offered; a full queue is behind at once.

The connection (see `circles.live.connection`) drops a client whose oldest unsent frame has waited too long.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from starlette.websockets import WebSocket, WebSocketState

from circles.live.protocol import CloseCode
from circles.live.wire import Wire, text_frame
from circles.metrics.instruments import FRAMES_SENT_TALLY

logger = logging.getLogger(__name__)

MAX_BUFFERED_BYTES = 1024 * 1024  # on the wire path, more unsent than this is behind, however recent
CLOSE_WAIT_SECONDS = 2.0  # a close frame that cannot be written in this time (the client is not reading) aborts


@dataclass(frozen=True, slots=True)
class Frame:
    """One message, or several sent together (`parts`: the events of one commit, the presence changes of
    one moment), framed once for every socket: a socket takes a batch in one write."""

    seq: int | None  # None for frames outside the log (presence, replies); a batch's: its last part's
    text: str  # a batch's: empty (see parts)
    wire: bytes  # the framed bytes of the message, or of all the parts in order
    first_seq: int | None = None  # a batch's first part's seq; a single message's own
    parts: tuple[Frame, ...] = ()

    @classmethod
    def of(cls, text: str, seq: int | None = None) -> Frame:
        return cls(seq, text, text_frame(text), seq)

    @classmethod
    def joined(cls, frames: list[Frame]) -> Frame:
        if len(frames) == 1:
            return frames[0]
        wire = b"".join(frame.wire for frame in frames)
        return cls(frames[-1].seq, "", wire, frames[0].first_seq, tuple(frames))

    def messages(self) -> tuple[Frame, ...]:
        return self.parts or (self,)


@dataclass(frozen=True, slots=True)
class Close:
    code: CloseCode
    reason: str = ""


Outgoing = Frame | Close


class Outlet(Protocol):
    def offer(self, item: Outgoing, now: float) -> bool:
        """Take `item` for sending without waiting; False when too much is waiting already."""
        ...

    def waited(self, now: float) -> float:
        """How long, in seconds, the oldest frame not yet handed to the kernel has waited (0 if none)."""
        ...

    def watch_stall(self, seconds: float, on_stalled: Callable[[], None]) -> bool:
        """Call `on_stalled` when a frame has waited `seconds` (see `waited`); False when this outlet cannot
        tell by itself, and must be swept (`circles.live.backstops.cut_stalled_forever`)."""
        ...

    def close_soon(self, code: CloseCode, reason: str) -> None:
        """Close now, skipping whatever has not been sent."""
        ...

    async def stop(self) -> None: ...


class WireOutlet:
    __slots__ = ("_wire", "_websocket", "_closing")

    def __init__(self, wire: Wire, websocket: WebSocket) -> None:
        self._wire = wire
        self._websocket = websocket
        self._closing: asyncio.Task[None] | None = None

    def offer(self, item: Outgoing, now: float) -> bool:
        if isinstance(item, Close):
            self.close_soon(item.code, item.reason)
            return True
        if self._wire.buffered() > MAX_BUFFERED_BYTES:
            return False
        self._wire.write(item.wire)
        FRAMES_SENT_TALLY.add(len(item.parts) or 1)
        return True

    def waited(self, now: float) -> float:
        return self._wire.paused_for(now)

    def watch_stall(self, seconds: float, on_stalled: Callable[[], None]) -> bool:
        self._wire.watch_stall(seconds, on_stalled)
        return True

    def close_soon(self, code: CloseCode, reason: str) -> None:
        if self._closing is None:
            self._closing = asyncio.get_running_loop().create_task(self._close(code, reason))

    async def _close(self, code: CloseCode, reason: str) -> None:
        try:
            await asyncio.wait_for(close_quietly(self._websocket, code, reason), CLOSE_WAIT_SECONDS)
        except TimeoutError:
            self._wire.abort()

    async def stop(self) -> None:
        return None


@dataclass(eq=False)
class AsgiOutlet:
    websocket: WebSocket
    queue_size: int
    queue: asyncio.Queue[tuple[float, Outgoing]] = field(init=False)  # (when it was offered, what)
    _writer: asyncio.Task[None] | None = None
    _sending_since: float | None = None  # when the frame being sent was offered (monotonic)
    _closed: bool = False

    def __post_init__(self) -> None:
        self.queue = asyncio.Queue(maxsize=self.queue_size)

    def offer(self, item: Outgoing, now: float) -> bool:
        if self._closed:
            return True
        try:
            self.queue.put_nowait((now, item))
        except asyncio.QueueFull:
            return False
        if self._writer is None:
            self._writer = asyncio.get_running_loop().create_task(self._send_queued())
        return True

    def watch_stall(self, seconds: float, on_stalled: Callable[[], None]) -> bool:
        return False  # a frame's wait is known only to the writer awaiting ASGI's send: the sweep checks it

    def waited(self, now: float) -> float:
        # The frames queued behind the one being sent are younger; while nothing is sent, nothing waits.
        since = self._sending_since
        return 0.0 if since is None else now - since

    def close_soon(self, code: CloseCode, reason: str) -> None:
        if self._closed:
            return
        self._closed = True
        if self._writer is not None:
            self._writer.cancel()
        asyncio.get_running_loop().create_task(close_quietly(self.websocket, code, reason))

    async def stop(self) -> None:
        if self._writer is not None:
            self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._writer

    async def _send_queued(self) -> None:
        while True:
            offered_at, item = await self.queue.get()
            if isinstance(item, Close):
                self._closed = True
                await close_quietly(self.websocket, item.code, item.reason)
                return
            self._sending_since = offered_at
            try:
                for message in item.messages():
                    await self.websocket.send_text(message.text)
                    FRAMES_SENT_TALLY.add(1)
            except Exception:  # the peer went away; the reader notices and detaches the connection
                logger.debug("send failed; dropping connection", exc_info=True)
                self._closed = True
                return
            self._sending_since = None


async def close_quietly(websocket: WebSocket, code: CloseCode, reason: str = "") -> None:
    if websocket.application_state == WebSocketState.DISCONNECTED:
        return
    with contextlib.suppress(Exception):
        await websocket.close(code=int(code), reason=reason)
