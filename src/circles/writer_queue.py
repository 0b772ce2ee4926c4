"""ASGI middleware that queues write requests for the database's writer turn (see `Database.writer_turn`).

A request that will write (anything but GET and HEAD, as `get_session` decides) waits here, on the event loop,
holding no threadpool thread, until it may write; it keeps its turn until its answer is sent, which is after
its commit and after the Idempotency middleware within has stored the answer. Reads and sockets pass straight
through.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from circles.db import Database

READ_METHODS = frozenset({"GET", "HEAD"})


class WriterQueue:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in READ_METHODS:
            await self.app(scope, receive, send)
            return
        database: Database = scope["app"].state.database
        async with database.writer_turn():
            await self.app(scope, receive, send)
