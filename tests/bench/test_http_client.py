"""The load generator's HTTP client against a server that answers in the ways HTTP/1.1 allows: all at once or
byte by byte, by Content-Length or in chunks, with no body, or closing the connection after the answer."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from bench.http_client import HttpClient, HttpError

Respond = Callable[[bytes], list[bytes]]


async def serve(respond: Respond, test: Callable[[HttpClient, list[bytes]], Awaitable[None]]) -> int:
    """Run `test` against a server answering each request with `respond`'s pieces; how many connections
    the client opened."""
    requests: list[bytes] = []
    writers: list[asyncio.StreamWriter] = []
    connections = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        writers.append(writer)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    (
                        int(line.split(b":")[1])
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length")
                    ),
                    0,
                )
                request = head + await reader.readexactly(length)
                requests.append(request)
                for piece in respond(request):
                    writer.write(piece)
                    await writer.drain()
                    await asyncio.sleep(0)
                if b"close" in request.split(b" ")[1]:
                    return
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    client = HttpClient("127.0.0.1", port, {"Authorization": "Bearer k"}, max_connections=2)
    try:
        await test(client, requests)
    finally:
        await client.aclose()
        server.close()
        for writer in writers:
            writer.close()
        await server.wait_closed()
        await asyncio.sleep(0.01)  # the closed transports let go of their sockets
    return connections


def by_length(body: bytes, status: str = "200 OK") -> bytes:
    return f"HTTP/1.1 {status}\r\ncontent-length: {len(body)}\r\n\r\n".encode() + body


def test_a_request_carries_its_headers_and_json_body_and_the_answer_is_read_by_its_length() -> None:
    async def test(client: HttpClient, requests: list[bytes]) -> None:
        answer = await client.post("/v1/things", {"a": 1})
        assert (answer.status_code, answer.json()) == (201, {"ok": True})
        head, _, body = requests[0].partition(b"\r\n\r\n")
        assert head.startswith(b"POST /v1/things HTTP/1.1\r\n")
        assert b"Authorization: Bearer k" in head and b"Content-Type: application/json" in head
        assert body == b'{"a":1}'

    asyncio.run(serve(lambda _: [by_length(b'{"ok":true}', "201 Created")], test))


def test_an_answer_arriving_byte_by_byte_is_put_together() -> None:
    def trickle(_: bytes) -> list[bytes]:
        whole = by_length(b'{"seq":7}')
        return [whole[i : i + 1] for i in range(len(whole))]

    async def test(client: HttpClient, _: list[bytes]) -> None:
        assert (await client.get("/state")).json() == {"seq": 7}

    asyncio.run(serve(trickle, test))


def test_a_chunked_answer_is_read_whole() -> None:
    chunked = b'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n4\r\n{"a"\r\n3\r\n:1}\r\n0\r\n\r\n'

    async def test(client: HttpClient, _: list[bytes]) -> None:
        assert (await client.get("/")).json() == {"a": 1}
        assert (await client.get("/")).json() == {"a": 1}  # the connection is left ready for the next

    assert asyncio.run(serve(lambda _: [chunked[:20], chunked[20:41], chunked[41:]], test)) == 1


def test_no_content_has_no_body_and_the_connection_is_kept() -> None:
    async def test(client: HttpClient, _: list[bytes]) -> None:
        for _ in range(3):
            answer = await client.post("/x", {})
            assert (answer.status_code, answer.content) == (204, b"")

    assert asyncio.run(serve(lambda _: [b"HTTP/1.1 204 No Content\r\n\r\n"], test)) == 1


def test_a_connection_the_server_closes_is_not_reused() -> None:
    async def test(client: HttpClient, _: list[bytes]) -> None:
        for _ in range(3):
            assert (await client.get("/close")).text == "bye"

    closing = by_length(b"bye").replace(b"\r\n\r\n", b"\r\nconnection: close\r\n\r\n", 1)
    assert asyncio.run(serve(lambda _: [closing], test)) == 3


def test_a_connection_lost_before_the_answer_fails_the_request() -> None:
    async def test(client: HttpClient, _: list[bytes]) -> None:
        with pytest.raises(HttpError, match="closed before the answer"):
            await client.get("/close")

    asyncio.run(serve(lambda _: [b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nshort"], test))


def test_what_is_not_http_fails_the_request() -> None:
    async def test(client: HttpClient, _: list[bytes]) -> None:
        with pytest.raises(HttpError, match="status line"):
            await client.get("/")

    asyncio.run(serve(lambda _: [b"SSH-2.0-OpenSSH\r\n\r\n"], test))


def test_an_error_status_is_raised_on_request() -> None:
    async def test(client: HttpClient, _: list[bytes]) -> None:
        answer = await client.get("/")
        with pytest.raises(HttpError, match="HTTP 404"):
            answer.raise_for_status()

    asyncio.run(serve(lambda _: [by_length(b"{}", "404 Not Found")], test))
