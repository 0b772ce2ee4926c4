"""A lean WebSocket client (RFC 6455) on asyncio's Protocol, for holding thousands of sockets in one process.

The load generator must cost far less than the servers it measures, so this does only what a follower
needs: the opening handshake, masked text frames out, unmasked frames in (text, close, ping), a pong for
every ping, and no compression (no server under test offers it). Each chunk the kernel hands over is
stamped with the wall clock once, before any frame in it is parsed: that is the moment the client "has"
the frames, and it is on the same clock as the servers' `at`, since everything runs on one machine.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import socket
import struct
import time
from collections.abc import Callable

_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

OnText = Callable[["WebSocketClient", str, float], None]


class HandshakeFailed(Exception):
    pass


class WebSocketClient(asyncio.Protocol):
    """One socket. `on_text(client, text, received_at)` is called for every text message (the first can
    come with the handshake's answer, before `connect` has returned the client)."""

    def __init__(self, on_text: OnText) -> None:
        self.on_text = on_text
        self.transport: asyncio.Transport | None = None
        self.open = False
        self.close_code: int | None = None
        self.closed_at: float | None = None
        self.lost = asyncio.get_running_loop().create_future()
        self._buffer = bytearray()
        self._fragments: list[bytes] = []
        self._handshake: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._expected_accept = b""

    # -- asyncio.Protocol -------------------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's transports are not asyncio's class

    def data_received(self, data: bytes) -> None:
        received_at = time.time()
        self._buffer += data
        if not self.open:
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self._buffer[:end]).decode("latin-1")
            del self._buffer[: end + 4]
            self._check_handshake(head)
            if not self.open:
                return
        self._parse(received_at)

    def connection_lost(self, exc: Exception | None) -> None:
        self.open = False
        if self.closed_at is None:
            self.closed_at = time.time()
        if not self._handshake.done():
            self._handshake.set_exception(HandshakeFailed(f"connection lost during the handshake: {exc}"))
        if not self.lost.done():
            self.lost.set_result(None)

    # -- use --------------------------------------------------------------------------------------------
    async def handshake(self, host: str, port: int, path: str, timeout: float) -> None:
        assert self.transport is not None
        key = base64.b64encode(os.urandom(16))
        self._expected_accept = base64.b64encode(hashlib.sha1(key + _GUID).digest())
        request = (
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key.decode()}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.transport.write(request.encode())
        await asyncio.wait_for(self._handshake, timeout)

    def send_text(self, text: str) -> None:
        if self.transport is None or self.transport.is_closing():
            return
        self.transport.write(_frame(0x1, text.encode()))

    def pause(self) -> None:
        """Stop reading, like a client whose screen froze: the kernel's buffers fill, then the server's."""
        if self.transport is not None:
            self.transport.pause_reading()

    def resume(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.resume_reading()

    def abort(self) -> None:
        if self.transport is not None:
            self.transport.abort()

    def close(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(_frame(0x8, struct.pack("!H", 1000)))
            self.transport.close()

    # -- internals --------------------------------------------------------------------------------------
    def _check_handshake(self, head: str) -> None:
        status, _, rest = head.partition("\r\n")
        accepted = any(
            line.lower().startswith("sec-websocket-accept:")
            and line.split(":", 1)[1].strip().encode() == self._expected_accept
            for line in rest.split("\r\n")
        )
        if " 101 " not in status + " " or not accepted:
            self._handshake.set_exception(HandshakeFailed(status))
            self.abort()
            return
        self.open = True
        self._handshake.set_result(None)

    def _parse(self, received_at: float) -> None:
        buffer = self._buffer
        while len(buffer) >= 2:
            first, second = buffer[0], buffer[1]
            length = second & 0x7F
            start = 2
            if length == 126:
                if len(buffer) < 4:
                    return
                length = struct.unpack_from("!H", buffer, 2)[0]
                start = 4
            elif length == 127:
                if len(buffer) < 10:
                    return
                length = struct.unpack_from("!Q", buffer, 2)[0]
                start = 10
            if len(buffer) < start + length:
                return
            payload = bytes(buffer[start : start + length])
            del buffer[: start + length]
            self._on_frame(first & 0x80, first & 0x0F, payload, received_at)

    def _on_frame(self, fin: int, opcode: int, payload: bytes, received_at: float) -> None:
        if opcode in (0x1, 0x0):
            self._fragments.append(payload)
            if fin:
                text = b"".join(self._fragments).decode()
                self._fragments.clear()
                self.on_text(self, text, received_at)
        elif opcode == 0x9 and self.transport is not None and not self.transport.is_closing():
            self.transport.write(_frame(0xA, payload))
        elif opcode == 0x8:
            self.close_code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
            self.closed_at = received_at
            self.close()


def _frame(opcode: int, payload: bytes) -> bytes:
    mask = os.urandom(4)
    length = len(payload)
    if length < 126:
        head = struct.pack("!BB", 0x80 | opcode, 0x80 | length)
    elif length < 65536:
        head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, length)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, length)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return head + mask + masked


async def connect(
    host: str,
    port: int,
    path: str,
    on_text: OnText,
    *,
    timeout: float = 10.0,
    receive_buffer: int | None = None,
    max_segment: int | None = None,
) -> WebSocketClient:
    """Open and upgrade one socket. `receive_buffer` (bytes) shrinks the kernel's receive buffer, and
    `max_segment` the TCP segment size the client announces, as a phone on a real network would have
    (loopback's own is 64 KiB, which lets the server's kernel grow its send buffer to megabytes)."""
    loop = asyncio.get_running_loop()
    raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    raw.setblocking(False)
    if receive_buffer is not None:
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    if max_segment is not None:
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, max_segment)
    raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        await asyncio.wait_for(loop.sock_connect(raw, (host, port)), timeout)
        _transport, client = await loop.create_connection(lambda: WebSocketClient(on_text), sock=raw)
    except BaseException:
        raw.close()
        raise
    await client.handshake(host, port, path, timeout)
    return client
