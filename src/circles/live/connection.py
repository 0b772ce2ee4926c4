"""One live socket: a bounded queue of ready-made frames and the task that writes them.

The hub never awaits a socket: it offers each frame to each connection's queue, and a connection that
falls behind is dropped (it reconnects with `after` and catches up) so nobody else waits for it. Behind
means either bound: its queue is full, or the frame it is writing has waited longer than `max_wait_seconds`
since it was offered (the client stopped reading and the buffers below us are full).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from dataclasses import dataclass, field

from starlette.websockets import WebSocket, WebSocketState

from circles.live.protocol import CloseCode

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Frame:
    seq: int | None  # None for frames outside the log (presence)
    text: str


@dataclass(frozen=True, slots=True)
class Close:
    code: CloseCode
    reason: str = ""


Outgoing = Frame | Close


@dataclass(eq=False)
class Connection:
    websocket: WebSocket
    circle_id: uuid.UUID
    participant_id: uuid.UUID | None
    queue_size: int
    credential_hash: str = ""  # of the key or token it authenticated with: revoking it closes the socket
    max_wait_seconds: float = 2.0
    queue: asyncio.Queue[tuple[float, Outgoing]] = field(init=False)  # (when it was offered, what)
    last_seq: int | None = None  # the newest seq this client has; set once its catch-up is sent
    closed: bool = False
    _writer: asyncio.Task[None] | None = None
    _writing_since: float | None = None  # when the frame being written was offered (monotonic)

    def __post_init__(self) -> None:
        self.queue = asyncio.Queue(maxsize=self.queue_size)

    def offer(self, item: Outgoing, now: float | None = None) -> bool:
        """Queue a frame without waiting. False when the client has fallen too far behind. `now` is
        time.monotonic(), read once by a caller offering one frame to many connections."""
        if self.closed:
            return True
        now = time.monotonic() if now is None else now
        if self.waited_too_long(now):
            return False
        try:
            self.queue.put_nowait((now, item))
        except asyncio.QueueFull:
            return False
        return True

    def waited_too_long(self, now: float) -> bool:
        """Has the frame being written waited more than max_wait_seconds? (The frames queued behind it are
        younger; while nothing is being written, nothing waits.)"""
        since = self._writing_since
        return since is not None and now - since > self.max_wait_seconds

    def start_writing(self, last_seq: int) -> None:
        self.last_seq = last_seq
        self._writer = asyncio.create_task(self._write(), name=f"live-writer-{id(self)}")

    def close_soon(self, code: CloseCode, reason: str = "") -> None:
        """Close at once, skipping what is queued (for a client that fell behind, or shutdown)."""
        if self.closed:
            return
        self.closed = True
        if self._writer is not None:
            self._writer.cancel()
        asyncio.get_running_loop().create_task(self._close(code, reason))

    async def stop(self) -> None:
        if self._writer is not None:
            self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._writer

    async def _write(self) -> None:
        while True:
            offered_at, item = await self.queue.get()
            if isinstance(item, Close):
                self.closed = True
                await self._close(item.code, item.reason)
                return
            if item.seq is not None:
                assert self.last_seq is not None
                if item.seq <= self.last_seq:
                    continue  # the client already has it from its snapshot or replay
                self.last_seq = item.seq
            self._writing_since = offered_at
            try:
                await self.websocket.send_text(item.text)
            except Exception:  # the peer went away; the reader notices and detaches us
                logger.debug("send failed; dropping connection", exc_info=True)
                self.closed = True
                return
            self._writing_since = None

    async def _close(self, code: CloseCode, reason: str) -> None:
        if self.websocket.application_state == WebSocketState.DISCONNECTED:
            return
        with contextlib.suppress(Exception):
            await self.websocket.close(code=int(code), reason=reason)
