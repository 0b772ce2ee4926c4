"""ASGI middleware that queues /v1 requests for the database: writes for the writer turn
(see `Database.writer_turn`), then every request for a request slot (see `Database.request_slot`).

A request that will write (anything but GET and HEAD: every such route takes `WriteDep`) waits here, on the
event loop, holding no threadpool thread, until it may write; it keeps its turn until its answer is sent, which is after
its commit and after the Idempotency middleware within has stored the answer. Then it waits, still on the
loop, for a request slot, which bounds how many requests can hold a pooled connection at once. Sockets and
the paths outside /v1 (health checks, pages) pass straight through.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from circles.db import Database

READ_METHODS = frozenset({"GET", "HEAD"})


class WriterQueue:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        database: Database = scope["app"].state.database
        if scope["method"] in READ_METHODS:
            async with database.request_slot():
                await self.app(scope, receive, send)
            return
        async with database.writer_turn(), database.request_slot():
            await self.app(scope, receive, send)
