"""Reading a request body ahead of the app, and handing it on as if unread (for the middleware that must
see the whole body first: the size limit, the Idempotency-Key fingerprint)."""

from __future__ import annotations

from starlette.types import Message, Receive


class BodyTooLong(Exception):
    pass


class ClientGone(Exception):
    pass


async def read_body(receive: Receive, max_bytes: int | None = None) -> bytes:
    """The whole body; BodyTooLong past `max_bytes`, ClientGone if the client left before it was sent."""
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] != "http.request":
            raise ClientGone()
        body += message.get("body", b"")
        if max_bytes is not None and len(body) > max_bytes:
            raise BodyTooLong()
        if not message.get("more_body", False):
            return bytes(body)


def replaying(body: bytes, receive: Receive) -> Receive:
    """A receive that gives the app `body` first, then whatever the client sends next (a disconnect)."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
