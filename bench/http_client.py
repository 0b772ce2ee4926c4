"""A lean HTTP/1.1 client on asyncio's Protocol, for the REST calls the load generator makes.

The generator shares two cores with the server it measures, and a REST call is timed from before the
request is written until its answer is read, so the client's own work is inside every latency. httpx spent
about 1.9 ms of CPU on each finish-turn call here, as much as a third of what the server spent; this client
does only what those calls need and spends a small part of that (the REST rows print both figures):
keep-alive connections in a small pool, a request written in one piece, and an answer read by its
Content-Length or, should a server send one, its chunks.

A connection idle for longer than `idle_seconds` is not reused: a server closes idle ones after its own
keep-alive time (uvicorn's is 5 s), and a request written on a connection being closed just then would fail
for the client's sake, not the server's.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import orjson

NO_BODY = frozenset({204, 304})
IDLE_SECONDS = 2.0


class HttpError(Exception):
    """The connection failed, or the answer was not HTTP/1.1 this client can read."""


class Answer:
    __slots__ = ("status_code", "headers", "content")

    def __init__(self, status_code: int, headers: dict[str, str], content: bytes) -> None:
        self.status_code = status_code
        self.headers = headers
        self.content = content

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        return orjson.loads(self.content)

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise HttpError(f"HTTP {self.status_code}: {self.text[:300]}")


class _Connection(asyncio.Protocol):
    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future[Answer] | None = None
        self.method = "GET"
        self.last_used = time.monotonic()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    @property
    def open(self) -> bool:
        """Connected, and neither side has begun to close (the transport knows: a close, the peer's EOF or a
        lost connection all mark it closing)."""
        return self.transport is not None and not self.transport.is_closing()

    def connection_lost(self, exc: Exception | None) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(HttpError(f"connection closed before the answer: {exc!r}"))

    def send(self, method: str, request: bytes) -> asyncio.Future[Answer]:
        assert self.transport is not None and self.waiter is None
        self.method = method
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return self.waiter

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if self.waiter is None or self.waiter.done():
            return
        try:
            answer = self._parse()
        except HttpError as error:
            self.waiter.set_exception(error)
            self.close()
            return
        if answer is not None:
            waiter, self.waiter = self.waiter, None
            self.last_used = time.monotonic()
            if answer.headers.get("connection", "").lower() == "close":
                self.close()
            waiter.set_result(answer)

    def _parse(self) -> Answer | None:
        """The answer, once all of it is in the buffer (and taken out of it); None while it is not."""
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return None
        head = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
        parts = head[0].split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
            raise HttpError(f"not an HTTP/1.x status line: {head[0]!r}")
        status = int(parts[1])
        headers: dict[str, str] = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        start = end + 4
        if status in NO_BODY or 100 <= status < 200 or self.method == "HEAD":
            content, consumed = b"", start
        elif "content-length" in headers:
            length = int(headers["content-length"])
            if len(self.buffer) < start + length:
                return None
            content, consumed = bytes(self.buffer[start : start + length]), start + length
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            chunked = self._chunks(start)
            if chunked is None:
                return None
            content, consumed = chunked
        else:
            raise HttpError("an answer with neither Content-Length nor chunks (this client keeps connections)")
        del self.buffer[:consumed]
        return Answer(status, headers, content)

    def _chunks(self, at: int) -> tuple[bytes, int] | None:
        content = bytearray()
        while True:
            line_end = self.buffer.find(b"\r\n", at)
            if line_end < 0:
                return None
            size = int(bytes(self.buffer[at:line_end]).split(b";")[0], 16)
            at = line_end + 2
            if size == 0:
                trailer_end = self.buffer.find(b"\r\n\r\n", at - 2)
                return (bytes(content), trailer_end + 4) if trailer_end >= 0 else None
            if len(self.buffer) < at + size + 2:
                return None
            content += self.buffer[at : at + size]
            at += size + 2

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


class HttpClient:
    """Requests to one server, at most `max_connections` at once, each on a kept-alive connection."""

    def __init__(
        self,
        host: str,
        port: int,
        headers: dict[str, str],
        *,
        max_connections: int = 64,
        timeout: float = 60,
        idle_seconds: float = IDLE_SECONDS,
    ) -> None:
        self.host, self.port, self.timeout, self.idle_seconds = host, port, timeout, idle_seconds
        fixed = {"Host": f"{host}:{port}", **headers}
        self._fixed = "".join(f"{name}: {value}\r\n" for name, value in fixed.items()).encode("latin-1")
        self._slots = asyncio.Semaphore(max_connections)
        self._idle: list[_Connection] = []

    async def request(self, method: str, path: str, json: Any = None) -> Answer:
        body = b"" if json is None else orjson.dumps(json)
        request = b"".join(
            (
                f"{method} {path} HTTP/1.1\r\n".encode("latin-1"),
                self._fixed,
                b"Content-Type: application/json\r\n" if json is not None else b"",
                f"Content-Length: {len(body)}\r\n\r\n".encode("latin-1") if body or method != "GET" else b"\r\n",
                body,
            )
        )
        async with self._slots:
            connection = await self._connection()
            try:
                async with asyncio.timeout(self.timeout):
                    answer = await connection.send(method, request)
            except BaseException:
                connection.close()
                raise
            if connection.open:
                self._idle.append(connection)
            return answer

    async def get(self, path: str) -> Answer:
        return await self.request("GET", path)

    async def post(self, path: str, json: Any) -> Answer:
        return await self.request("POST", path, json)

    async def patch(self, path: str, json: Any) -> Answer:
        return await self.request("PATCH", path, json)

    async def _connection(self) -> _Connection:
        now = time.monotonic()
        while self._idle:
            connection = self._idle.pop()
            if connection.open and now - connection.last_used < self.idle_seconds:
                return connection
            connection.close()
        loop = asyncio.get_running_loop()
        _, connection = await loop.create_connection(_Connection, self.host, self.port)
        return connection

    async def aclose(self) -> None:
        for connection in self._idle:
            connection.close()
        self._idle.clear()
